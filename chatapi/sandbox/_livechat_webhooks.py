"""LiveChat webhook (v2) payloads the sandbox POSTs in live mode.

Shape: the LiveChat webhooks v2 reference (https://developers.livechat.com/docs/ "Webhooks v2
reference (deprecated)"; ``tests/fixtures/samples/livechat_v2-webhook-*.json``) plus what real
recorded payloads add (``/work/shared/vendor-docs/research-notes.md`` section 3.7): a flat
object ``{event_type, token, license_id, event_unique_id, lc_version: "2"}`` and only the data
types the webhook asked for:

- ``chat``: ``{id, started_timestamp, ended_timestamp (chat_ended only), messages[{user_type,
  author_name, agent_id (agents and supervisors), text, json, timestamp}], attachments, events
  (chat_ended: the "closed" event), tags, agents[{name, login}], groups, url, referer}``;
- ``visitor``: ``{id, name, email, custom_variables[{key, value}], country, city, language,
  page_current, timezone}``;
- ``pre_chat_survey``: ``[{id, type, label, answer}]``.

The chat carries the facts ``GET /chats/<id>`` serves for it (id, timestamps, messages, tags
as changed by ``PUT /chats/<id>/tags``, agent, group, visitor). The sandbox releases chats
that are already over, so ``chat_started`` carries every message of the chat too; it omits
``ended_timestamp`` (the chat is running when it starts). A missed chat (no agent answered)
has ``agents: []`` and its one visitor message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from ._app import json_bytes
from .data import Dataset

__all__ = ["event_unique_id", "webhook_body", "webhook_chat", "webhook_survey", "webhook_visitor"]

#: The events live mode reports, in the order they are sent for one chat.
LIVE_EVENTS = ("chat_started", "chat_ended")


def event_unique_id(seed: int, webhook_id: str, event_type: str, chat_id: str) -> str:
    """A 32-hex id for one delivery (the same on every retry of it), like the recorded
    payloads' ``event_unique_id``."""
    return hashlib.md5(f"{seed}:{webhook_id}:{event_type}:{chat_id}".encode()).hexdigest()


def webhook_chat(
    data: Dataset, index: int, record: Mapping[str, Any], *, ended: bool
) -> dict[str, Any]:
    """The ``chat`` data type of chat ``index``, from its ``/chats`` ``record``."""
    chat = data.chat(index)
    visitor = data.visitor(chat.visitor)
    if record.get("type") == "missed_chat":
        messages = [
            {
                "user_type": "visitor",
                "author_name": visitor.name,
                "text": message.text,
                "json": "",
                "timestamp": message.timestamp,
            }
            for message in chat.messages
        ]
        agents: list[dict[str, Any]] = []
        url = f"https://shop.example.com/{chat.topic}"
        referer = ""
        groups = list(record.get("group", [chat.group]))
    else:
        messages = []
        for message in record["messages"]:
            item = {
                key: message[key]
                for key in ("user_type", "author_name", "agent_id", "text")
                if key in message
            }
            item["json"] = ""
            item["timestamp"] = message["timestamp"]
            messages.append(item)
        # Recorded payloads name agents by {name, login} (login: the agent's e-mail).
        agents = [{"name": a["display_name"], "login": a["email"]} for a in record["agents"]]
        url = record["chat_start_url"]
        referer = record.get("referrer", "")
        groups = list(record["group"])
    payload: dict[str, Any] = {
        "id": record["id"],
        "started_timestamp": chat.started,
    }
    if ended:
        payload["ended_timestamp"] = chat.ended
    payload.update(
        {
            "messages": messages,
            "attachments": [],
            "events": (
                [
                    {
                        "user_type": "visitor",
                        "text": f"{visitor.name} closed the chat.",
                        "timestamp": chat.ended,
                        "type": "closed",
                    }
                ]
                if ended
                else []
            ),
            "tags": list(record.get("tags", [])),
            "agents": agents,
            "groups": groups,
            "url": url,
            "referer": referer,
        }
    )
    return payload


def webhook_visitor(data: Dataset, index: int, visitor_id: str) -> dict[str, Any]:
    """The ``visitor`` data type for chat ``index`` (``visitor_id`` as ``/chats`` gives it)."""
    chat = data.chat(index)
    visitor = data.visitor(chat.visitor)
    return {
        "id": visitor_id,
        "name": visitor.name,
        "email": visitor.email,
        # The same custom variable the /chats record carries.
        "custom_variables": [{"key": "customer_login", "value": visitor.email.split("@")[0]}],
        "country": visitor.country,
        "city": visitor.city,
        "language": "en",
        "page_current": f"https://shop.example.com/{chat.topic}",
        "timezone": visitor.timezone,
    }


def webhook_survey(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``pre_chat_survey`` data type from the ``/chats`` record's ``prechat_survey``
    (a missed chat has none: ``[]``, as when the survey was skipped)."""
    survey: Sequence[Mapping[str, Any]] = record.get("prechat_survey", [])
    return [
        {
            "id": item["id"],
            "type": "email" if "mail" in item["key"].lower() else "name",
            "label": item["key"],
            "answer": item["value"],
        }
        for item in survey
    ]


def webhook_body(
    webhook: Mapping[str, Any],
    *,
    data: Dataset,
    index: int,
    record: Mapping[str, Any],
    visitor_id: str,
) -> dict[str, Any]:
    """The payload POSTed to ``webhook`` (a ``GET /webhooks`` record) for chat ``index``.

    Only the data types the webhook asked for are included.
    """
    event_type = webhook["event_type"]
    body: dict[str, Any] = {
        "event_type": event_type,
        "token": webhook["token"],
        # A string in the documented and recorded payloads.
        "license_id": str(webhook["licence"]),
        "event_unique_id": event_unique_id(
            data.config.seed, webhook["id"], event_type, record["id"]
        ),
        "lc_version": "2",
    }
    wanted = set(webhook["data_types"])
    if "chat" in wanted:
        body["chat"] = webhook_chat(data, index, record, ended=event_type == "chat_ended")
    if "visitor" in wanted:
        body["visitor"] = webhook_visitor(data, index, visitor_id)
    if "pre_chat_survey" in wanted:
        body["pre_chat_survey"] = webhook_survey(record)
    return body


def encode(body: Mapping[str, Any]) -> bytes:
    """Compact JSON, as LiveChat sends it."""
    return json_bytes(body)
