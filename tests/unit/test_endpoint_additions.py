"""Endpoint additions: the served page size and an envelope reader."""

from __future__ import annotations

from typing import Any

import pytest

from chatapi.endpoints import Endpoint, OffsetLimit, PageNumber
from chatapi.errors import PaginationError


def _row(**fields: Any) -> Endpoint[Any]:
    return Endpoint(path="/x", decode=None, page_size=3, served_size="limit", **fields)


def test_page_numbers_follow_the_served_size() -> None:
    row = _row(paging=PageNumber(size_param="limit"))
    assert row.served_pages({"limit": 2}, {}, 5, None, vendor="v", where="/x") == 3
    # The vendor's own page count wins; no served size changes nothing.
    assert row.served_pages({"limit": 2}, {}, 5, 9, vendor="v", where="/x") == 9
    assert row.served_pages({}, {}, 5, None, vendor="v", where="/x") is None


def test_offsets_served_short_raise() -> None:
    row = _row(paging=OffsetLimit())
    with pytest.raises(PaginationError, match="page_size=2"):
        row.served_pages({"limit": 2}, {}, 5, None, vendor="v", where="/x")
    assert row.served_pages({"limit": 3}, {}, 5, None, vendor="v", where="/x") is None


def test_envelope_reader() -> None:
    row = Endpoint(path="/x", decode=None, envelope=lambda body: body.get("inner", body))
    assert row.unwrap({"inner": [1]}) == [1]
    assert row.unwrap({"data": [2]}) == {"data": [2]}
