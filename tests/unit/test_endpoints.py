"""Endpoint rows are data: their request building and answer reading are pure functions."""

from __future__ import annotations

from typing import Any

import pytest

from chatapi.endpoints import Endpoint, OffsetLimit, PageNumber, listing, number_at, plain
from chatapi.errors import ResponseFormatError
from chatapi.pagination import KnownTotal, Pager, UntilShortPage


def _decode(payload: Any, context: Any) -> tuple[str, Any]:
    return str(payload["id"]), context


def test_ids_are_quoted_as_one_path_segment() -> None:
    row = Endpoint(path="/api/{account}/chats/{id}", decode=_decode)
    assert row.fill_path({"account": "acc"}, {"id": "a/b?c"}) == "/api/acc/chats/a%2Fb%3Fc"
    with pytest.raises(ValueError, match="invalid id"):
        row.fill_path({"account": "acc"}, {"id": ".."})


def test_page_number_and_offset_limit_parameters() -> None:
    numbered = listing("/x", _decode, per_page=25, paging=PageNumber("page_no", "size"))
    assert numbered.page_params({"q": "a", "tag[]": ("1", "2")}, 3) == [
        ("q", "a"),
        ("tag[]", "1"),
        ("tag[]", "2"),
        ("page_no", "3"),
        ("size", "25"),
    ]
    offsets = Endpoint(path="/x", decode=_decode, paging=OffsetLimit(), size_filter="page_size")
    assert offsets.page_params({"page_size": "10", "where": "a"}, 3) == [
        ("where", "a"),
        ("limit", "10"),
        ("offset", "20"),
    ]
    with pytest.raises(ValueError, match="page size"):
        Endpoint(path="/x", decode=_decode, paging=OffsetLimit()).page_params({}, 1)


def test_the_size_filter_sets_the_strategy_page_size() -> None:
    row = Endpoint(
        path="/x", decode=_decode, strategy=KnownTotal(), size_filter="page_size", page_size=25
    )
    assert row.planned({}) == KnownTotal(per_page=25)
    assert row.planned({"page_size": "7"}) == KnownTotal(per_page=7)
    short = Endpoint(path="/x", decode=_decode, strategy=UntilShortPage(25), size_filter="n")
    assert short.planned({"n": "5"}) == UntilShortPage(5)


def test_records_totals_and_envelopes_are_read_where_the_row_says() -> None:
    row = listing("/x", _decode, envelope="data", items="rows", total=("count", "counts.total"))
    body = {"data": {"rows": [{"id": 1}], "counts": {"total": "40"}}}
    payload = row.unwrap(body)
    assert row.records(payload, vendor="v", where="/x") == [{"id": 1}]
    assert row.totals(payload, vendor="v") == (40, None)
    # The same records without the wrapper object are accepted too.
    assert row.records([{"id": 2}], vendor="v", where="/x") == [{"id": 2}]
    with pytest.raises(ResponseFormatError, match="no 'rows' list") as caught:
        row.records({"rows": "nope"}, vendor="v", where="/x")
    assert caught.value.field == "rows"


def test_number_at_reads_numbers_and_numeric_strings_and_rejects_the_rest() -> None:
    assert number_at({"a": {"b": 3}}, "a.b", vendor="v") == 3
    assert number_at({"a": " 12 "}, "a", vendor="v") == 12
    assert number_at({"a": 4.0}, "a", vendor="v") == 4
    assert number_at({"a": None}, "a", vendor="v") is None
    assert number_at({}, "a.b", vendor="v") is None
    for bad in ("ten", 4.5, True, [1]):
        with pytest.raises(ResponseFormatError) as caught:
            number_at({"a": bad}, "a", vendor="v")
        assert caught.value.field == "a"


def test_decoders_get_the_client_context_and_failures_are_typed() -> None:
    row = Endpoint(path="/x", decode=_decode, kind="thing")
    assert row.map([{"id": 1}], "ctx", vendor="v") == (("1", "ctx"),)
    with pytest.raises(ResponseFormatError, match="thing payload lacks the required field 'id'"):
        row.map([{}], None, vendor="v")
    assert Endpoint(path="/x", decode=plain(lambda p: p["id"])).map([{"id": 5}], 1, vendor="v") == (
        5,
    )


def test_idempotency_is_the_operation_s_not_the_verb_s() -> None:
    assert Endpoint(path="/x", decode=None).safe_to_repeat
    assert not Endpoint(path="/x", decode=None, method="POST").safe_to_repeat
    assert Endpoint(path="/x", decode=None, method="POST", idempotent=True).safe_to_repeat
    assert not Endpoint(path="/x", decode=None, method="GET", idempotent=False).safe_to_repeat


# -- the engine's "ends at a short page" strategy ---------------------------------------------


class _Short:
    def __init__(self, records: int, per_page: int) -> None:
        self.records, self.per_page, self.asked = records, per_page, []

    async def fetch(self, params: Any, number: int) -> Any:
        from chatapi.pagination import Page

        self.asked.append(number)
        start = (number - 1) * self.per_page
        ids = list(range(start, min(start + self.per_page, self.records)))
        return Page(items=tuple(ids), number=number)


@pytest.mark.parametrize(("records", "pages"), [(23, 3), (20, 3), (0, 1), (5, 1)])
async def test_until_short_page_keeps_the_short_page_and_stops(records: int, pages: int) -> None:
    source = _Short(records, per_page=10)
    pager = Pager(source.fetch, {}, UntilShortPage(10), concurrency=4, key=lambda i: i)
    assert await pager.collect() == list(range(records))
    assert pager.report.pages == (pages if records % 10 else pages - 1)
    assert pager.report.complete


async def test_known_total_without_a_total_ends_at_a_short_page() -> None:
    source = _Short(23, per_page=10)
    pager = Pager(source.fetch, {}, KnownTotal(per_page=10), concurrency=1, key=lambda i: i)
    assert await pager.collect() == list(range(23))
    # Sequential (concurrency 1, a window of 1 open-ended request): nothing asked past page 3.
    assert max(source.asked) == 3


def test_page_pages_is_a_deprecated_name_of_page_count() -> None:
    from chatapi.pagination import Page

    page = Page(items=(), number=1, page_count=4)
    with pytest.warns(DeprecationWarning, match="page_count"):
        assert page.pages == 4
    with pytest.warns(DeprecationWarning, match="page_count"):
        old = Page(items=(), number=1, pages=2)
    assert old.page_count == 2
