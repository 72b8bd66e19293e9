"""Pure helpers: path quoting, time parsing, window splitting, the model round trip."""

from __future__ import annotations

import datetime as dt

import pytest

import chatapi
from chatapi._core.paging import DateWindow, needs_split, page_count, split_window
from chatapi._core.paths import path_segment
from chatapi._core.timeparse import from_epoch_ms, from_epoch_seconds, parse_datetime, to_iso_date

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("raw", "quoted"),
    [
        ("MH022RD0K5", "MH022RD0K5"),
        ("a/b", "a%2Fb"),
        ("a?b#c", "a%3Fb%23c"),
        ("../x", "..%2Fx"),
        ("with space", "with%20space"),
        ("zażółć", "za%C5%BC%C3%B3%C5%82%C4%87"),
        ("john@example.com", "john%40example.com"),
        (42, "42"),
    ],
)
def test_path_segment_quotes_one_segment(raw: str | int, quoted: str) -> None:
    assert path_segment(raw) == quoted
    assert "/" not in path_segment(raw)


@pytest.mark.parametrize("bad", ["", ".", ".."])
def test_path_segment_rejects_traversal(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid id"):
        path_segment(bad)


def test_epoch_conversions_are_utc() -> None:
    assert from_epoch_seconds(1358937653) == dt.datetime(2013, 1, 23, 10, 40, 53, tzinfo=UTC)
    assert from_epoch_ms("1436415531845") == dt.datetime(2015, 7, 9, 4, 18, 51, 845000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "assume", "expected"),
    [
        ("2021-03-03T10:19:49Z", "UTC", dt.datetime(2021, 3, 3, 10, 19, 49, tzinfo=UTC)),
        ("2021-03-03T10:19:49+02:00", "UTC", dt.datetime(2021, 3, 3, 8, 19, 49, tzinfo=UTC)),
        ("2024-02-10 14:03:22", "UTC", dt.datetime(2024, 2, 10, 14, 3, 22, tzinfo=UTC)),
        ("2024-02-10 14:03:22", "Europe/Warsaw", dt.datetime(2024, 2, 10, 13, 3, 22, tzinfo=UTC)),
        ("10-02-2024 02:03:22 PM", "UTC", dt.datetime(2024, 2, 10, 14, 3, 22, tzinfo=UTC)),
    ],
)
def test_parse_datetime(text: str, assume: str, expected: dt.datetime) -> None:
    value = parse_datetime(text, assume=assume)
    assert value == expected
    assert value.tzinfo == UTC


def test_parse_datetime_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="unrecognized"):
        parse_datetime("yesterday-ish")


def test_to_iso_date() -> None:
    assert to_iso_date(dt.date(2024, 1, 2), name="date_from") == "2024-01-02"
    assert to_iso_date("2024-01-02", name="date_from") == "2024-01-02"
    with pytest.raises(ValueError, match="date_from"):
        to_iso_date("01/02/2024", name="date_from")


def test_split_window_halves_without_overlap() -> None:
    window = DateWindow(dt.date(2024, 1, 1), dt.date(2024, 1, 10))
    older, newer = split_window(window)
    assert older == DateWindow(dt.date(2024, 1, 1), dt.date(2024, 1, 5))
    assert newer == DateWindow(dt.date(2024, 1, 6), dt.date(2024, 1, 10))
    two = split_window(DateWindow(dt.date(2024, 1, 1), dt.date(2024, 1, 2)))
    assert [w.days for w in two] == [1, 1]
    with pytest.raises(ValueError):
        split_window(DateWindow(dt.date(2024, 1, 1), dt.date(2024, 1, 1)))


def test_page_count_and_cap() -> None:
    assert page_count(None, 7, 25) == 7
    assert page_count(51, None, 25) == 3
    assert page_count(None, None, 25) is None
    assert needs_split(25_001, 1000, cap=25_000, per_page=25)
    # A listing that reports the cap itself may be clipped to it: split and verify.
    assert needs_split(25_000, 1000, cap=25_000, per_page=25)
    assert needs_split(None, 1000, cap=25_000, per_page=25)
    assert not needs_split(None, 999, cap=25_000, per_page=25)
    assert not needs_split(24_999, 1000, cap=25_000, per_page=25)


def _sample_chat() -> chatapi.Chat:
    agent = chatapi.Participant(kind=chatapi.ParticipantKind.AGENT, id="a@x.io", name="A")
    return chatapi.Chat(
        vendor="livechat",
        id="C1",
        started_at=dt.datetime(2024, 1, 1, 12, tzinfo=UTC),
        ended_at=None,
        visitor=chatapi.Visitor(id="V1", name="Vee"),
        agents=(agent,),
        messages=(
            chatapi.Message(
                id=None, author=agent, text="hi", created_at=dt.datetime(2024, 1, 1, tzinfo=UTC)
            ),
        ),
        tags=("t",),
        rating="rated_good",
        group_ids=("0",),
        raw={"id": "C1", "nested": {"k": [1, 2]}},
    )


def test_to_dict_from_dict_round_trip() -> None:
    chat = _sample_chat()
    data = chatapi.to_dict(chat)
    assert data["started_at"] == "2024-01-01T12:00:00+00:00"
    assert data["agents"][0]["kind"] == "agent"
    assert data["raw"] == {"id": "C1", "nested": {"k": [1, 2]}}
    back = chatapi.from_dict(chatapi.Chat, data)
    assert back == chat
    assert back.raw == chat.raw
    assert "raw" not in chatapi.to_dict(chat, include_raw=False)


def test_from_dict_names_the_bad_field() -> None:
    data = chatapi.to_dict(_sample_chat())
    del data["id"]
    with pytest.raises(chatapi.ResponseFormatError, match="id"):
        chatapi.from_dict(chatapi.Chat, data)


def test_models_are_frozen_and_raw_is_out_of_eq_and_repr() -> None:
    chat = _sample_chat()
    with pytest.raises(AttributeError):
        chat.id = "other"  # type: ignore[misc]
    import attrs

    twin = attrs.evolve(chat, raw={"different": True})
    assert twin == chat
    assert "nested" not in repr(chat)


def test_unknown_enum_values_map_to_unknown() -> None:
    assert chatapi.ParticipantKind("robot") is chatapi.ParticipantKind.UNKNOWN
    assert chatapi.AgentStatus("busy") is chatapi.AgentStatus.UNKNOWN
    assert chatapi.AgentRole("viceroy") is chatapi.AgentRole.UNKNOWN
