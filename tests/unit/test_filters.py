"""Filters as data: each codec checks a value and encodes it; a FilterSet runs them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chatapi.endpoints import Endpoint
from chatapi.filters import (
    Choice,
    Date,
    FilterSet,
    Flag,
    Identifier,
    Integer,
    Repeated,
    Text,
    as_filter_set,
    dates_in_order,
)


@pytest.mark.parametrize(
    ("codec", "value", "wire"),
    [
        (Text(), "x", "x"),
        (Text(), 7, "7"),
        (Text(), True, "1"),
        (Identifier(), " 42 ", "42"),
        (Identifier(), 42, "42"),
        (Date(), dt.date(2024, 3, 1), "2024-03-01"),
        (Date(), dt.datetime(2024, 3, 1, 23, 59), "2024-03-01"),
        (Date(), "2024-03-01", "2024-03-01"),
        (Flag(), True, "1"),
        (Flag(), "0", "0"),
        (Flag(true="true", false="false"), 1, "true"),
        (Integer(minimum=1, maximum=100), 100, "100"),
        (Choice("asc", "desc"), "DESC", "desc"),
        (Repeated(), ["a", 2], ("a", "2")),
        (Repeated(), "a", ("a",)),
    ],
)
def test_codecs_encode_good_values(codec: Any, value: Any, wire: Any) -> None:
    assert codec.encode("f", value) == wire


@pytest.mark.parametrize(
    ("codec", "value"),
    [
        (Text(), 1.5),
        (Text(), ["x"]),
        (Identifier(), True),
        (Identifier(), "  "),
        (Identifier(), 4.5),
        (Date(), "01/10/2016"),
        (Date(), 20170110),
        (Flag(), "yes"),
        (Integer(minimum=1, maximum=100), 0),
        (Integer(minimum=1), True),
        (Integer(), "3"),
        (Choice("asc", "desc"), "up"),
        (Repeated(), [1.5]),
    ],
)
def test_codecs_refuse_bad_values_naming_the_filter(codec: Any, value: Any) -> None:
    with pytest.raises(ValueError, match="the_filter"):
        codec.encode("the_filter", value)


def test_a_filter_set_renames_leaves_out_none_and_checks_across_filters() -> None:
    filters = FilterSet(
        {
            "date_from": Date(),
            "date_to": Date(),
            "requester_mail": Text(wire="requester[mail]"),
            "tag": Repeated("tag[]"),
        },
        check=dates_in_order(),
    )
    assert set(filters) == filters.names == {"date_from", "date_to", "requester_mail", "tag"}
    assert "tag" in filters and len(filters) == 4
    assert filters.encode({"requester_mail": "a@b.c", "tag": ["x"], "date_to": None}) == {
        "requester[mail]": "a@b.c",
        "tag[]": ("x",),
    }
    with pytest.raises(ValueError, match="date_from 2024-02-01 is after date_to 2024-01-01"):
        filters.encode({"date_from": "2024-02-01", "date_to": "2024-01-01"})
    with pytest.raises(TypeError, match="unknown filter 'nope'"):
        filters.encode({"nope": 1})


def test_rows_take_a_filter_set_or_plain_names() -> None:
    named = Endpoint(path="/x", decode=None, filters={"a", "b"})
    assert named.filters.names == {"a", "b"}
    assert named.encode_filters({"a": 1, "b": "y"}) == {"a": "1", "b": "y"}
    assert as_filter_set(named.filters) is named.filters
    coded = Endpoint(path="/x", decode=None, filters=FilterSet({"since": Date(wire="from")}))
    assert coded.encode_filters({"since": dt.date(2024, 1, 2)}) == {"from": "2024-01-02"}
