"""Deferred transcripts: mapped on first access of ``Chat.messages``, exactly as if eager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

import chatapi
from chatapi import Chat, ParticipantKind, ResponseFormatError
from chatapi._core.mapping import map_records
from chatapi.sandbox import serve
from chatapi.sandbox.server import make_app
from chatapi.vendors.acquire._convert import (
    v1_chat,
    v1_message,
    v1_offline_message,
    v2_chat,
    v2_message,
)

UTC = dt.timezone.utc
KOLKATA = ZoneInfo("Asia/Kolkata")
END = dt.datetime(2025, 6, 1, tzinfo=UTC)
THREAD = "acquire_v1-profile-message-thread_acquireio-developer.acquire.io.json"
MESSAGES = "acquire_v1-profile-lead-message_seed.json"
WEBHOOK = "acquire_v2-webhook-case-status_acquireio-developer.acquire.io.json"
NO_WAIT = chatapi.RetryPolicy.no_wait(max_retries=5)


def _is_deferred(chat: Chat) -> bool:
    return chat._message_source is not None


def _check_same_as_eager(chat: Chat, expected: Sequence[chatapi.Message]) -> None:
    """``chat`` (untouched) equals the chat with ``expected`` mapped eagerly, every way."""
    eager = attrs.evolve(chat, messages=tuple(expected))  # a plain, non-deferred chat
    assert not _is_deferred(eager)
    twin = attrs.evolve(chat, messages=tuple(expected))
    # Compared, serialized and hashed before its own messages were read.
    assert chatapi.to_dict(chat) == chatapi.to_dict(eager)
    assert chat == eager and eager == chat
    assert hash(twin) == hash(eager)
    assert chat.messages == tuple(expected)
    assert not _is_deferred(chat)
    assert repr(chat) == repr(eager)
    assert chatapi.from_dict(Chat, chatapi.to_dict(chat)) == eager


def _sandbox_cases() -> list[dict[str, Any]]:
    fake: Any = make_app("acquire", generation="v2", chats=40, seed=3, end=END)
    return [fake.v2_case_payload(i, {"contact", "users", "messages"}) for i in range(40)]


def _sandbox_threads() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    fake: Any = make_app("acquire", generation="v1", chats=40, seed=3, end=END)
    return [(fake.v1_thread(i), fake.v1_message_rows(i)) for i in range(40)]


# -- v2 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tz", [UTC, KOLKATA], ids=str)
def test_v2_deferred_transcript_equals_the_eager_one(tz: dt.tzinfo) -> None:
    cases = _sandbox_cases()
    assert sum(bool(case["messages"]) for case in cases) > 30
    for case in cases:
        chat = v2_chat(case, tz)
        assert _is_deferred(chat) is bool(case["messages"])
        _check_same_as_eager(chat, [v2_message(item, tz) for item in case["messages"]])


def test_v2_webhook_sample_as_a_case(fixture_json: Callable[[str], Any]) -> None:
    # Event rows, string ids and JavaScript dates (webhook sample) in a case's relation.
    data = fixture_json(WEBHOOK)["data"]
    case = {"id": data["caseId"], "contact": data["contact"], "messages": data["messages"]}
    chat = v2_chat(case)
    assert _is_deferred(chat)
    expected = [v2_message(item) for item in data["messages"]]
    assert expected[0].author.kind is ParticipantKind.SYSTEM
    _check_same_as_eager(chat, expected)


def test_v2_loader_is_shared_not_per_chat() -> None:
    first, second = (v2_chat(case, KOLKATA) for case in _sandbox_cases()[:2])
    assert first._message_source is second._message_source
    assert v2_chat(_sandbox_cases()[0])._message_source is first._message_source.func  # type: ignore[union-attr]


def test_v2_authors_are_shared() -> None:
    chats = [v2_chat(case) for case in _sandbox_cases()]
    authors = [m.author for chat in chats for m in chat.messages]
    assert len({id(a) for a in authors}) == len(set(authors))


def test_v2_malformed_message_is_a_format_error_on_access() -> None:
    case = {
        "id": 7,
        "messages": [
            {"id": 1, "message": "ok", "dateCreated": "2021-04-13T05:22:19.000Z"},
            {"id": 2, "message": "when?", "dateCreated": "soon"},
        ],
    }
    chat = v2_chat(case)  # the chat itself maps
    for _ in range(2):  # and keeps failing on every access
        with pytest.raises(ResponseFormatError, match="case message payload is malformed"):
            _ = chat.messages
    missing = v2_chat({"id": 8, "messages": [{"message": "no id"}]})
    with pytest.raises(ResponseFormatError) as info:
        _ = missing.messages
    assert info.value.field == "id"
    with pytest.raises(ResponseFormatError):
        _ = v2_chat({"id": 9, "messages": ["not an object"]}).messages


@pytest.mark.parametrize("messages", ["not a list", {"id": 1}, 5])
def test_v2_messages_that_are_not_a_list_fail_at_once(messages: Any) -> None:
    with pytest.raises(ResponseFormatError):
        map_records(v2_chat, [{"id": 1, "messages": messages}], vendor="acquire", kind="case")


@pytest.mark.parametrize("messages", [None, [], ""])
def test_v2_no_messages_is_an_empty_transcript(messages: Any) -> None:
    chat = v2_chat({"id": 1, "messages": messages})
    assert not _is_deferred(chat)
    assert chat.messages == ()


# -- v1 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tz", [UTC, KOLKATA], ids=str)
def test_v1_deferred_transcript_equals_the_eager_one(tz: dt.tzinfo) -> None:
    for thread, rows in _sandbox_threads():
        chat = v1_chat(thread, tz, rows)
        # The sandbox's threads have their times: the transcript is not needed for them.
        assert _is_deferred(chat) is bool(rows)
        _check_same_as_eager(chat, [v1_message(item, tz) for item in rows])
        assert chat.raw["messages"] == rows


def test_v1_times_taken_from_messages_map_them_at_once(
    fixture_json: Callable[[str], Any],
) -> None:
    # The thread sample has neither chat_created nor chat_updated: its start comes from the
    # messages, which are then mapped with the chat.
    thread = fixture_json(THREAD)["data"]["messages"][0]
    rows = fixture_json(MESSAGES)["data"]["messages"]
    chat = v1_chat(thread, KOLKATA, rows)
    assert not _is_deferred(chat)
    mapped = tuple(v1_message(item, KOLKATA) for item in rows)
    assert chat.messages == mapped
    assert chat.started_at == min(m.created_at for m in mapped if m.created_at)
    closed = {**thread, "thread_status": "closed", "chat_created": "2019-01-17 10:06:24"}
    chat = v1_chat(closed, KOLKATA, rows)
    assert not _is_deferred(chat)  # the end is the last message's time
    assert chat.ended_at == max(m.created_at for m in mapped if m.created_at)
    dated = {**closed, "chat_updated": "2019-01-17 10:30:00"}
    chat = v1_chat(dated, KOLKATA, rows)
    assert _is_deferred(chat)
    assert chat.ended_at == dt.datetime(2019, 1, 17, 5, 0, tzinfo=UTC)
    _check_same_as_eager(chat, mapped)


def test_v1_malformed_message_is_a_format_error_on_access() -> None:
    thread = {"thread_id": 1, "thread_status": "open", "chat_created": "2019-01-17 10:06:24"}
    chat = v1_chat(thread, UTC, [{"id": 1, "date_created": "not a date"}])
    with pytest.raises(ResponseFormatError, match="thread message payload is malformed"):
        _ = chat.messages
    missing = v1_chat(thread, UTC, [{"message": "no id"}])
    with pytest.raises(ResponseFormatError) as info:
        _ = missing.messages
    assert info.value.field == "id"


def test_v1_offline_message_maps_its_messages_at_once() -> None:
    thread = {"thread_id": 1, "thread_status": "open", "chat_created": "2019-01-17 10:06:24"}
    with pytest.raises(ResponseFormatError) as info:
        map_records(
            lambda p: v1_offline_message(p, UTC, [{"message": "no id"}]),
            [thread],
            vendor="acquire",
            kind="offline thread",
        )
    assert info.value.field == "id"
    assert "offline thread payload" in str(info.value)


# -- through the clients ------------------------------------------------------------------------


async def test_v2_client_chats_have_deferred_transcripts() -> None:
    async with (
        serve("acquire", generation="v2", chats=30, seed=4) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        chats = await client.chats().collect()
        assert len(chats) == 30
        assert any(_is_deferred(chat) for chat in chats)
        for chat in chats:
            expected = [v2_message(item) for item in chat.raw.get("messages") or ()]
            assert [m.text for m in expected] == [
                m.text for m in sb.dataset.chat(int(chat.id) - 1).messages
            ]
            _check_same_as_eager(chat, expected)


async def test_v1_client_chats_have_deferred_transcripts() -> None:
    async with (
        serve("acquire", generation="v1", chats=20, seed=4) as sb,
        sb.client(retry_policy=NO_WAIT) as client,
    ):
        chats = await client.chats().collect()
        assert any(_is_deferred(chat) for chat in chats)
        for chat in chats:
            expected = [v1_message(item, UTC) for item in chat.raw.get("messages") or ()]
            _check_same_as_eager(chat, expected)
