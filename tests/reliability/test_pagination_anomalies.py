"""Listings whose vendor misbehaves between pages, against a real server."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import chatapi
from chatapi import RetryPolicy

from .conftest import Server, chat, livechat

PER_PAGE = 25


def page_body(ids: list[str], total: int, pages: int) -> dict[str, Any]:
    return {"chats": [chat(i) for i in ids], "total": total, "pages": pages}


def ids_of(number: int) -> list[str]:
    return [f"P{number}-{i}" for i in range(PER_PAGE)]


async def listing(server: Server, pages: dict[int, Any], **options: Any) -> Any:
    async def handler(request: web.Request) -> web.Response:
        answer = pages[int(request.query["page"])]
        if isinstance(answer, int):
            return web.json_response({"error": "boom"}, status=answer)
        return web.json_response(answer)

    server.route("GET", "/chats", handler)
    await server.start()
    lc = livechat(server.url, max_concurrency=4, **options)
    return lc


async def test_duplicates_across_pages_are_dropped(server: Server) -> None:
    pages = {n: page_body(ids_of(n), 75, 3) for n in (1, 2, 3)}
    # Page 2 repeats two records of page 1 (a record moved across the page boundary).
    pages[2]["chats"][:2] = [chat("P1-23"), chat("P1-24")]
    async with await listing(server, pages) as lc:
        pager = lc.chats()
        records = [c.id async for c in pager]
    assert len(records) == len(set(records)) == 73
    assert pager.report.duplicates_dropped == 2
    assert pager.report.missing == 2
    assert not pager.report.complete


async def test_a_page_repeating_the_previous_one_is_reported(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    pages = {n: page_body(ids_of(n), 100, 4) for n in (1, 2, 3, 4)}
    pages[3] = pages[2]
    caplog.set_level(logging.WARNING, logger="chatapi")
    async with await listing(server, pages) as lc:
        pager = lc.chats()
        records = [c.id async for c in pager]
    assert records == ids_of(1) + ids_of(2) + ids_of(4)
    assert pager.report.repeated_pages == 1
    assert pager.report.duplicates_dropped == PER_PAGE
    assert pager.report.missing == PER_PAGE
    assert "delivered 75 of 100" in caplog.text


async def test_total_growing_mid_listing(server: Server) -> None:
    # The vendor announces 3 pages, then 4 once the listing runs: the plan of page 1 holds,
    # every record of the planned pages arrives once, and the report says what was planned.
    pages = {1: page_body(ids_of(1), 75, 3)}
    pages.update({n: page_body(ids_of(n), 100, 4) for n in (2, 3, 4)})
    async with await listing(server, pages) as lc:
        pager = lc.chats()
        records = [c.id async for c in pager]
        assert lc.stats.requests == 3
    assert records == ids_of(1) + ids_of(2) + ids_of(3)
    assert pager.total == 75
    assert pager.report.complete


async def test_total_shrinking_mid_listing(server: Server) -> None:
    pages = {1: page_body(ids_of(1), 100, 4)}
    pages.update({n: page_body(ids_of(n), 50, 2) for n in (2,)})
    pages.update({n: page_body([], 50, 2) for n in (3, 4)})
    async with await listing(server, pages) as lc:
        pager = lc.chats()
        records = [c.id async for c in pager]
    assert records == ids_of(1) + ids_of(2)
    assert pager.report.expected == 100
    assert pager.report.missing == 50
    assert not pager.report.complete


async def test_an_error_mid_listing_raises_and_export_resumes(
    server: Server, tmp_path: Path
) -> None:
    total_pages = 6
    pages: dict[int, Any] = {
        n: page_body(ids_of(n), PER_PAGE * total_pages, total_pages)
        for n in range(1, total_pages + 1)
    }
    good_page_4 = pages[4]
    pages[4] = 503  # sustained: every retry fails
    out = tmp_path / "chats.jsonl"
    async with await listing(server, pages) as lc:
        with pytest.raises(chatapi.ServerError):
            await lc.chats().collect()
        with pytest.raises(chatapi.ServerError):
            await chatapi.export(lc, "chats", out)
        written = [json.loads(line)["id"] for line in out.read_text().splitlines()]
        assert written == ids_of(1) + ids_of(2) + ids_of(3)
        before = lc.stats.requests
        pages[4] = good_page_4  # the vendor recovers
        report = await chatapi.export(lc, "chats", out, resume=True)
        assert lc.stats.requests - before == 3  # pages 4..6 only: nothing refetched
    assert report.complete and report.resumed
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    expected = [i for n in range(1, total_pages + 1) for i in ids_of(n)]
    assert ids == expected
    assert report.records_written == len(expected)


async def test_records_shifting_across_a_resume_point_are_written_once(
    server: Server, tmp_path: Path
) -> None:
    # Newest-first listing: two chats arrive between the runs, shifting every later page by
    # two; the resumed run sees two records it already wrote and must drop them.
    pages: dict[int, Any] = {n: page_body(ids_of(n), 100, 4) for n in (1, 2, 3, 4)}
    pages[3] = 500
    out = tmp_path / "chats.jsonl"
    async with await listing(server, pages, retry_policy=RetryPolicy.no_wait(0)) as lc:
        with pytest.raises(chatapi.ServerError):
            await chatapi.export(lc, "chats", out)
        shifted = ids_of(2)[-2:] + ids_of(3)[:-2]
        pages[3] = page_body(shifted, 102, 5)
        pages[4] = page_body(ids_of(3)[-2:] + ids_of(4)[:-2], 102, 5)
        pages[5] = page_body(ids_of(4)[-2:], 102, 5)
        await chatapi.export(lc, "chats", out, resume=True)
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids))
    # The plan of the first run (4 pages) holds: the two records pushed onto page 5 are the
    # listing's known loss, and every other record is there once.
    assert set(ids) == {i for n in (1, 2, 3, 4) for i in ids_of(n)} - set(ids_of(4)[-2:])
