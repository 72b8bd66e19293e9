"""The coercions' fast paths behave exactly as the general path they short-cut.

The fast paths only take values whose type is exactly ``str`` or ``int``; the same value as an
instance of a subclass takes the general path (unchanged by the fast paths), which is the
reference here. Null words are checked against their plain definition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chatapi._core.timeparse import UTC
from chatapi.vendors.acquire import _coerce
from chatapi.vendors.acquire._coerce import is_null, to_bool, to_datetime, to_id, to_text


def _outcome(function: Any, *args: Any) -> Any:
    try:
        result = function(*args)
    except (ValueError, TypeError, OverflowError) as exc:  # the type is the behaviour
        return ("raises", type(exc))
    if isinstance(result, dt.datetime):
        return (result, result.tzinfo)
    return result


class Text(str):
    """A str subclass: not `type(x) is str`, so it takes the general path."""


class Int(int):
    """An int subclass: not `type(x) is int`, so it takes the general path."""


def general(value: Any) -> Any:
    """``value`` as the general path sees it (the fast paths skip subclasses)."""
    if type(value) is str:
        return Text(value)
    if type(value) is int:
        return Int(value)
    return value


VALUES: list[Any] = [
    None,
    "",
    " ",
    "null",
    "NULL",
    " Null ",
    "none",
    "undefined",
    " undefined ",
    "undefined\n",
    "\u00a0null\u00a0",
    "\tnone",
    "nulls",
    "x",
    " 3518 ",
    " Seen ",
    "NO",
    "yes",
    "3518",
    "0",
    "a long message body with words",
    " a long padded message body ",
    "a long message ending in a newline\n",
    "İİİİİİİİİİ",
    Text("null"),
    Text(" 12 "),
    0,
    7,
    -3,
    2**70,
    7.0,
    7.5,
    float("nan"),
    True,
    False,
    [1],
    {"id": 1},
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_coercions_match_the_general_path(value: Any) -> None:
    plain_null = value is None or (
        isinstance(value, str) and value.strip().lower() in _coerce._NULLS
    )
    assert is_null(value) is plain_null
    reference = general(value)
    assert _outcome(to_bool, value) == _outcome(to_bool, reference)
    assert _outcome(to_id, value) == _outcome(to_id, reference)
    assert _outcome(to_text, value) == _outcome(to_text, reference)


TIMES = [
    "2021-04-13T05:22:19.000Z",
    "2021-04-13T05:22:19Z",
    "2021-04-13T05:22:19.123456Z",
    "2021-04-13T05:22:19z",
    "2021-04-13T05:22Z",
    "2021-04-13T05Z",
    "2021-04-13T05:22:19+05:30",
    "2021-04-13T05:22:19.000-0800",
    "2021-04-13T05:22:19",
    "2018-07-23 13:45:50",
    " 2018-07-23 13:45:50 ",
    "2018-07-23 13:45:50\n",
    "2018-07-23",
    "20180723",
    "2018-W30-1",
    "2021-03-14 02:30:00",  # a time that does not exist in New York (DST gap)
    "2021-11-07 01:30:00",  # a time that occurs twice in New York
    "12-07-2018 11:05:51 AM",
    "Wed Mar 03 2021 15:49:49 GMT+0530 (India Standard Time)",
    "0000-00-00 00:00:00",
    "0000-00-00",
    "null",
    "",
    "yesterday-ish",
    "2021-13-01T00:00:00Z",
    Text("2018-07-23 13:45:50"),
    1618291339,
    1618291339.5,
    True,
    None,
    [2021],
]
ZONES = [UTC, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/New_York")]


@pytest.mark.parametrize("tz", ZONES, ids=str)
@pytest.mark.parametrize("value", TIMES, ids=repr)
def test_to_datetime_matches_the_general_path(value: Any, tz: dt.tzinfo) -> None:
    assert _outcome(to_datetime, value, tz) == _outcome(to_datetime, general(value), tz)


def test_to_datetime_fast_path_gives_utc() -> None:
    value = to_datetime("2021-04-13T05:22:19.000Z", ZoneInfo("Asia/Kolkata"))
    assert value == dt.datetime(2021, 4, 13, 5, 22, 19, tzinfo=UTC)
    assert value is not None and value.tzinfo is UTC
    naive = to_datetime("2018-07-23 13:45:50", ZoneInfo("Asia/Kolkata"))
    assert naive == dt.datetime(2018, 7, 23, 8, 15, 50, tzinfo=UTC)
    assert naive is not None and naive.tzinfo is UTC
