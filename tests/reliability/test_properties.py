"""Property tests (hypothesis): the pager, Retry-After, ids in paths, and the vendor mappers.

Examples are derandomized (the ``reliability`` profile in conftest.py): every run sees the
same ones, and the whole file stays within a few seconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chatapi
from chatapi._core.converters import to_dict
from chatapi._core.mapping import map_records
from chatapi._core.paths import path_segment
from chatapi._core.retry import parse_retry_after
from chatapi.pagination import KnownTotal, Page, Pager, SinglePage, UntilEmpty
from chatapi.vendors.acquire import _convert as acquire
from chatapi.vendors.livechat import _convert as livechat
from chatapi.vendors.revechat import _convert as revechat

PROFILE = settings.get_profile("reliability")

# -- the pager ---------------------------------------------------------------------------------


def split(sizes: list[int]) -> list[list[str]]:
    pages, start = [], 0
    for size in sizes:
        pages.append([f"r{i}" for i in range(start, start + size)])
        start += size
    return pages


def fake_fetch(
    pages: list[list[str]], delays: list[int], *, report_total: bool
) -> Callable[..., Any]:
    n = sum(len(p) for p in pages)

    async def fetch(params: Any, number: int) -> Page[str]:
        # Pages finish out of order: page k yields to the loop delays[k] times first.
        for _ in range(delays[(number - 1) % len(delays)]):
            await asyncio.sleep(0)
        items = tuple(pages[number - 1]) if number <= len(pages) else ()
        if report_total:
            return Page(items=items, number=number, total=n, page_count=len(pages))
        return Page(items=items, number=number)

    return fetch


page_sizes = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=25)
delays = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=8)
concurrency = st.integers(min_value=1, max_value=16)


async def drain(pager: Pager[str]) -> list[str]:
    return [item async for item in pager]


@PROFILE
@given(sizes=page_sizes, delays=delays, concurrency=concurrency)
def test_known_total_yields_every_record_once_in_order(
    sizes: list[int], delays: list[int], concurrency: int
) -> None:
    pages = split(sizes)
    fetch = fake_fetch(pages, delays, report_total=True)
    pager = Pager(fetch, {}, KnownTotal(), concurrency=concurrency, key=lambda r: r)
    got = asyncio.run(drain(pager))
    assert got == [r for p in pages for r in p]
    assert pager.report.complete
    assert pager.report.duplicates_dropped == 0


@PROFILE
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=12), min_size=0, max_size=25),
    delays=delays,
    concurrency=concurrency,
)
def test_until_empty_yields_every_record_once_in_order(
    sizes: list[int], delays: list[int], concurrency: int
) -> None:
    pages = split(sizes)
    fetch = fake_fetch(pages, delays, report_total=False)
    pager = Pager(fetch, {}, UntilEmpty(), concurrency=concurrency, key=lambda r: r)
    got = asyncio.run(drain(pager))
    assert got == [r for p in pages for r in p]
    # Speculative requests past the end are bounded by the window.
    assert pager.report.wasted_requests <= concurrency


@PROFILE
@given(
    pages=st.lists(
        st.lists(st.sampled_from([f"r{i}" for i in range(30)]), max_size=10),
        min_size=1,
        max_size=12,
    ),
    delays=delays,
    concurrency=concurrency,
)
def test_overlapping_pages_yield_each_id_once_in_first_seen_order(
    pages: list[list[str]], delays: list[int], concurrency: int
) -> None:
    # Duplicates within and across pages, repeated pages: each id once, where first seen.
    fetch = fake_fetch(pages, delays, report_total=True)
    pager = Pager(fetch, {}, KnownTotal(), concurrency=concurrency, key=lambda r: r)
    got = asyncio.run(drain(pager))
    expected = list(dict.fromkeys(r for p in pages for r in p))
    assert got == expected
    assert pager.report.received == len(expected)
    assert pager.report.duplicates_dropped == sum(map(len, pages)) - len(expected)


@PROFILE
@given(size=st.integers(min_value=0, max_value=50), concurrency=concurrency)
def test_single_page_yields_every_record_once(size: int, concurrency: int) -> None:
    pages = split([size])
    pager = Pager(
        fake_fetch(pages, [0], report_total=True),
        {},
        SinglePage(),
        concurrency=concurrency,
        key=lambda r: r,
    )
    assert asyncio.run(drain(pager)) == pages[0]


@PROFILE
@given(data=st.data(), sizes=page_sizes, delays=delays, concurrency=concurrency)
def test_resuming_from_any_page_yields_the_rest_once(
    data: st.DataObject, sizes: list[int], delays: list[int], concurrency: int
) -> None:
    pages = split(sizes)
    stop = data.draw(st.integers(min_value=1, max_value=len(pages)), label="stop after page")

    async def scenario() -> tuple[list[str], list[str]]:
        fetch = fake_fetch(pages, delays, report_total=True)
        first: list[str] = []
        cursor = None
        pager = Pager(fetch, {}, KnownTotal(), concurrency=concurrency, key=lambda r: r)
        async for page in pager.pages():
            first.extend(page.items)
            cursor = page.cursor
            if page.number == stop:
                break
        assert cursor is not None
        resumed = Pager(fetch, {}, KnownTotal(), concurrency=concurrency, key=lambda r: r)
        resumed.start_at(chatapi.pagination.Cursor.from_json(cursor.to_json()), seen=first)
        return first, await drain(resumed)

    first, rest = asyncio.run(scenario())
    assert first + rest == [r for p in pages for r in p]


# -- Retry-After -------------------------------------------------------------------------------

NOW = 1_700_000_000.0
header_text = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.datetimes(
        min_value=dt.datetime(1, 1, 1),
        max_value=dt.datetime(9999, 12, 31),
        timezones=st.just(dt.timezone.utc),
    ).map(lambda d: email.utils.format_datetime(d, usegmt=True)),
    st.sampled_from(["", " ", "1e308", "1e309", "-0", "0x10", "1_000", "١٢", "Wed, 21 Oct 2015"]),
)


@PROFILE
@given(
    retry_after=st.none() | header_text,
    retry_after_ms=st.none() | header_text,
)
def test_parse_retry_after_never_raises_and_stays_in_range(
    retry_after: str | None, retry_after_ms: str | None
) -> None:
    headers = {}
    if retry_after is not None:
        headers["retry-after"] = retry_after
    if retry_after_ms is not None:
        headers["retry-after-ms"] = retry_after_ms
    value = parse_retry_after(headers, now=NOW)
    assert value is None or (isinstance(value, float) and math.isfinite(value) and value >= 0)
    if retry_after is None and retry_after_ms is None:
        assert value is None


@PROFILE
@given(seconds=st.integers(min_value=0, max_value=10**6))
def test_parse_retry_after_reads_every_format(seconds: int) -> None:
    assert parse_retry_after({"retry-after": str(seconds)}) == seconds
    assert parse_retry_after({"retry-after-ms": str(seconds)}) == seconds / 1000
    date = email.utils.formatdate(NOW + seconds, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=NOW) == pytest.approx(seconds, abs=1)


# -- ids in paths ------------------------------------------------------------------------------


@PROFILE
@given(value=st.text() | st.sampled_from(["", ".", "..", "...", "./", "%2e%2e", "/", "?#"]))
def test_path_segment_round_trips_or_rejects(value: str) -> None:
    if value in {"", ".", ".."}:
        with pytest.raises(ValueError):
            path_segment(value)
        return
    try:
        segment = path_segment(value)
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8 encoded: no id a vendor returns holds one.
        assert any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
        return
    assert unquote(segment) == value
    assert segment.isascii()
    assert not set(segment) & set("/?# ;")
    assert segment not in {".", ".."}


@PROFILE
@given(value=st.integers())
def test_path_segment_accepts_integer_ids(value: int) -> None:
    assert path_segment(value) == str(value)


# -- vendor mappers ----------------------------------------------------------------------------

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def seeds(vendor: str) -> list[dict[str, Any]]:
    """Every object of the vendor's recorded payloads (records, envelopes, nested parts)."""
    found: list[dict[str, Any]] = []
    for file in sorted((FIXTURES / vendor).glob("*.json")):
        found.extend(_objects(json.loads(file.read_text())))
    return found


UTC = dt.timezone.utc
MAPPERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "livechat-chat": ("livechat", livechat.chat_from_payload),
    "livechat-offline": ("livechat", livechat.offline_message_from_payload),
    "livechat-agent": ("livechat", livechat.agent_from_payload),
    "revechat-chat": ("revechat", revechat.chat_from_payload),
    "revechat-offline": ("revechat", revechat.offline_message_from_payload),
    "revechat-agent": ("revechat", revechat.agent_from_payload),
    "revechat-visitor": ("revechat", revechat.visitor_from_payload),
    "acquire-v1-chat": ("acquire", functools.partial(acquire.v1_chat, tz=UTC)),
    "acquire-v1-offline": ("acquire", functools.partial(acquire.v1_offline_message, tz=UTC)),
    "acquire-v1-message": ("acquire", functools.partial(acquire.v1_message, tz=UTC)),
    "acquire-v1-agent": ("acquire", acquire.v1_agent),
    "acquire-v1-visitor": ("acquire", acquire.v1_visitor),
    "acquire-v2-chat": ("acquire", acquire.v2_chat),
    "acquire-v2-message": ("acquire", acquire.v2_message),
    "acquire-v2-agent": ("acquire", acquire.v2_agent),
    "acquire-v2-visitor": ("acquire", acquire.v2_visitor),
}

awkward = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1e400",
        "nan",
        "2024-13-45",
        "2024-01-01 10:00:00",
        "1700000000",
        "∞",
        "0" * 40,
    ]
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | awkward,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def mutate(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    """``value`` with one part (at any depth) replaced by arbitrary JSON, or removed."""
    if depth > 3 or not isinstance(value, (dict, list)) or not value:
        return data.draw(json_values)
    if isinstance(value, dict):
        key = data.draw(st.sampled_from(sorted(value)))
        copy = dict(value)
        action = data.draw(st.sampled_from(["replace", "delete", "descend"]))
        if action == "delete":
            del copy[key]
        elif action == "replace":
            copy[key] = data.draw(json_values)
        else:
            copy[key] = mutate(data, value[key], depth + 1)
        return copy
    index = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    items = list(value)
    items[index] = mutate(data, value[index], depth + 1)
    return items


@functools.cache
def valid_seeds(name: str) -> list[dict[str, Any]]:
    """The recorded objects ``name``'s mapper accepts as they are: the records to mutate."""
    vendor, mapper = MAPPERS[name]
    found = []
    for seed in seeds(vendor):
        try:
            map_records(mapper, (seed,), vendor=vendor, kind="record")
        except chatapi.ResponseFormatError:
            continue
        found.append(seed)
    return found or seeds(vendor)


def check_mapper(vendor: str, mapper: Callable[[Any], Any], payload: Any) -> None:
    try:
        (model,) = map_records(mapper, (payload,), vendor=vendor, kind="record")
    except chatapi.ResponseFormatError:
        return
    # Whatever mapped also exports: every field (messages included) reaches to_dict.
    to_dict(model, include_raw=False)
    repr(model)


@pytest.mark.parametrize("name", sorted(MAPPERS))
@PROFILE
@given(data=st.data())
def test_mapper_on_mutated_real_payloads(name: str, data: st.DataObject) -> None:
    vendor, mapper = MAPPERS[name]
    seed = data.draw(st.sampled_from(valid_seeds(name)), label="seed")
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="mutations")):
        seed = mutate(data, seed)
    check_mapper(vendor, mapper, seed)


@pytest.mark.parametrize("name", sorted(MAPPERS))
@settings(PROFILE, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(payload=json_values)
def test_mapper_on_arbitrary_json(name: str, payload: Any) -> None:
    vendor, mapper = MAPPERS[name]
    check_mapper(vendor, mapper, payload)
