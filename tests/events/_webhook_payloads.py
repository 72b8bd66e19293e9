"""Webhook payloads for the parser tests: the samples, and webhooks derived from sandbox chats.

The derived LiveChat webhook follows the v2 webhook chat object
(https://developers.livechat.com/docs/, "Webhooks v2 reference (deprecated)", plus the keys
recorded payloads add: ``agents[{name, login}]``, ``groups``, ``url``, ``referer``); the
derived Acquire v2 webhook follows
``tests/fixtures/samples/acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json``
(string ids, JavaScript ``Date.toString()`` dates, ``caseId``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from chatapi.events import Event, hmac_sha256_hex, parse_webhook
from chatapi.sandbox.acquire import AcquireApp
from chatapi.sandbox.data import DataConfig, Dataset
from chatapi.sandbox.faults import Faults
from chatapi.sandbox.livechat import LiveChatApp

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
TOKEN = "27f41c8da685c81a890f9e5f8ce48387"
UNIQUE_ID = "3e2d1f0a9b8c7d6e5f4a3b2c1d0e9f8a"


def sample(name: str) -> bytes:
    """A sample file's bytes (``tests/fixtures/samples/<name>``)."""
    return (SAMPLES / name).read_bytes()


def webhook_samples() -> list[Path]:
    """Every ``*webhook*`` sample."""
    return sorted(SAMPLES.glob("*webhook*"))


def body(payload: Any) -> bytes:
    """A payload as the compact JSON a vendor POSTs."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def parse(vendor: str, payload: Any, **kwargs: Any) -> Event:
    """``parse_webhook`` over the payload's compact JSON bytes."""
    return parse_webhook(vendor, body(payload), **kwargs)


@functools.lru_cache(maxsize=1)
def dataset() -> Dataset:
    """A small fixed sandbox dataset."""
    end = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    return Dataset(DataConfig(seed=7, chats=40, end=end))


@functools.lru_cache(maxsize=1)
def livechat_app() -> LiveChatApp:
    """The LiveChat fake over :func:`dataset`."""
    return LiveChatApp(dataset(), Faults())


@functools.lru_cache(maxsize=1)
def acquire_app() -> AcquireApp:
    """The Acquire v2 fake over :func:`dataset`."""
    return AcquireApp(dataset(), Faults(), "v2")


def answered_chats() -> list[int]:
    """Indexes of chats somebody answered (missed ones have no webhook chat shape)."""
    data = dataset()
    return [i for i in range(data.config.chats) if not data.chat(i).missed]


def supervised_chats() -> list[int]:
    """Indexes of answered chats with a supervisor's whispered line."""
    data = dataset()
    return [i for i in answered_chats() if data.chat(i).supervisor is not None]


_MESSAGE_KEYS = ("user_type", "author_name", "agent_id", "text", "timestamp")


def livechat_webhook(
    archive: dict[str, Any], event_type: str = "chat_ended", *, token: str = TOKEN
) -> dict[str, Any]:
    """The v2 webhook LiveChat sends for the chat whose ``/chats`` record is ``archive``."""
    people = archive.get("agents", []) + archive.get("supervisors", [])
    chat: dict[str, Any] = {
        "id": archive["id"],
        "started_timestamp": archive["started_timestamp"],
        "messages": [
            {key: m[key] for key in _MESSAGE_KEYS if key in m} for m in archive["messages"]
        ],
        "tags": list(archive.get("tags", [])),
        "agents": [{"name": a["display_name"], "login": a["email"]} for a in people],
        "groups": list(archive.get("group", [])),
        "url": archive.get("chat_start_url"),
        "referer": archive.get("referrer", ""),
    }
    if event_type != "chat_started":
        chat["ended_timestamp"] = archive["ended_timestamp"]
    visitor = archive["visitor"]
    webhook_visitor = {"id": visitor["id"], "name": visitor["name"]}
    if visitor.get("email"):  # the /chats record carries no e-mail in its visitor
        webhook_visitor["email"] = visitor["email"]
    return {
        "event_type": event_type,
        "token": token,
        "license_id": "1025707",
        "event_unique_id": UNIQUE_ID,
        "lc_version": "2",
        "chat": chat,
        "visitor": webhook_visitor,
        "pre_chat_survey": [],
    }


def livechat_same_facts(archive: dict[str, Any], event_type: str = "chat_ended") -> dict[str, Any]:
    """The ``/chats`` record without what a webhook does not carry: the rating (and, for
    ``chat_started``, the end)."""
    left_out = {"rate"} | ({"ended_timestamp"} if event_type == "chat_started" else set())
    return {key: value for key, value in archive.items() if key not in left_out}


def js_date(iso: str) -> str:
    """An ISO-8601 ``...Z`` time as JavaScript's ``Date.toString()`` writes it in UTC."""
    moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def acquire_case(index: int) -> dict[str, Any]:
    """Case ``index`` as the case API gives it, with its contact (fields) and messages."""
    app = acquire_app()
    record = app.v2_case_payload(index, {"messages"})
    record["contact"] = app.v2_contact_payload(dataset().chat(index).visitor)
    return record


def acquire_v2_webhook(case: dict[str, Any], event: str = "case:status") -> dict[str, Any]:
    """The v2 webhook for ``case``, in the sample's shape."""
    contact = case["contact"]
    return {
        "event": event,
        "data": {
            "caseId": str(case["id"]),
            "status": case["status"],
            "fields": {},
            "contact": {"id": str(contact["id"]), "fields": contact["fields"]},
            "messages": [
                {
                    "id": str(m["id"]),
                    "channel": m["channel"],
                    "senderId": str(m["senderId"]),
                    "senderType": m["senderType"],
                    "type": m["type"],
                    "message": m["message"],
                    "seen": m["seen"],
                    "dateCreated": js_date(m["dateCreated"]),
                }
                for m in case["messages"]
            ],
        },
    }


def acquire_same_facts(case: dict[str, Any]) -> dict[str, Any]:
    """The case with only the facts its webhook carries: id, status, contact, messages
    (without the embedded ``sender`` objects)."""
    return {
        "id": case["id"],
        "status": case["status"],
        "contact": case["contact"],
        "messages": [
            {key: value for key, value in m.items() if key != "sender"} for m in case["messages"]
        ],
    }


def sign(raw: bytes, key: str) -> dict[str, str]:
    """The ``x-acquire-signature`` header of ``raw`` under ``key``."""
    return {"X-Acquire-Signature": hmac_sha256_hex(key, raw)}
