"""The LiveChat chat mapper's hot-path details: shared values, deferred transcripts."""

from __future__ import annotations

from typing import Any

import chatapi
from chatapi.vendors.livechat import _convert


def _chat(chat_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": chat_id,
        "started_timestamp": 1700000000,
        "agents": [{"display_name": "Ann", "email": "ann@example.com"}],
        "group": [0],
        **extra,
    }


def test_chats_share_equal_agent_and_group_tuples() -> None:
    first = _convert.chat_from_payload(_chat("A"))
    second = _convert.chat_from_payload(_chat("B"))
    assert first.agents == (
        chatapi.Participant(
            kind=chatapi.ParticipantKind.AGENT,
            id="ann@example.com",
            name="Ann",
            email="ann@example.com",
        ),
    )
    assert first.agents is second.agents
    assert first.group_ids == ("0",)
    assert first.group_ids is second.group_ids


def test_shared_values_are_bounded() -> None:
    for i in range(_convert._SHARED_MAX + 50):
        _convert.chat_from_payload(_chat(f"C{i}", group=[i]))
    assert len(_convert._SHARED) <= _convert._SHARED_MAX


def test_unhashable_odd_values_are_kept_unshared() -> None:
    chat = _convert.chat_from_payload(_chat("D", agents=[{"email": ["x"], "name": "Odd"}]))
    assert chat.agents[0].email == ["x"]


def test_supervisors_follow_agents() -> None:
    chat = _convert.chat_from_payload(_chat("E", supervisors=[{"login": "sue@example.com"}]))
    assert [(p.kind, p.id) for p in chat.agents] == [
        (chatapi.ParticipantKind.AGENT, "ann@example.com"),
        (chatapi.ParticipantKind.SUPERVISOR, "sue@example.com"),
    ]


def test_deferred_transcript_is_read_from_the_raw_payload() -> None:
    payload = _chat(
        "F",
        visitor={"id": "V1", "name": "Vic", "email": "vic@example.com"},
        messages=[
            {"author_name": "Vic", "text": "hi", "timestamp": 1700000001, "user_type": "visitor"},
            {
                "author_name": "Ann",
                "text": "hello",
                "timestamp": 1700000002,
                "user_type": "agent",
                "agent_id": "ann@example.com",
            },
        ],
    )
    chat = _convert.chat_from_payload(payload)
    assert chat._message_source is _convert._transcript  # one function for every chat
    visitor, agent = chat.messages
    assert (visitor.author.id, visitor.author.email, visitor.text) == (
        "V1",
        "vic@example.com",
        "hi",
    )
    assert (agent.author.kind, agent.author.email) == (
        chatapi.ParticipantKind.AGENT,
        "ann@example.com",
    )
    assert chat == chatapi.from_dict(chatapi.Chat, chatapi.to_dict(chat))


def test_falsy_non_list_messages_mean_no_transcript() -> None:
    assert _convert.chat_from_payload(_chat("G", messages="")).messages == ()
