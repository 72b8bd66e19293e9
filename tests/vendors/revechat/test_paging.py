"""Listings page with ``page_no`` until an empty page, against a real server counting requests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import web

from chatapi import PaginationError, RetryPolicy, ServerError
from chatapi.vendors.revechat import ReveChat

if TYPE_CHECKING:
    from conftest import FakeReve


def _paged_chats(
    server: FakeReve, pages: int, per_page: int, *, envelope: bool, delay: float = 0.01
) -> None:
    """Serve ``pages`` full pages of chats, then empty pages for any higher ``page_no``."""

    async def handler(request: web.Request) -> web.StreamResponse:
        number = int(request.query["page_no"])
        # A little latency so that the speculative requests really overlap.
        await asyncio.sleep(delay)
        records = []
        if number <= pages:
            start = (number - 1) * per_page
            records = [{"chat_id": 1000 + i} for i in range(start, start + per_page)]
        body: Any = {"status": "success", "message": "", "body": records} if envelope else records
        return web.json_response(body)

    server.handler = handler


@pytest.mark.parametrize("envelope", [False, True], ids=["legacy-array", "current-envelope"])
async def test_seven_pages_then_empty_exactly_once_with_bounded_waste(
    server: FakeReve,
    make_client: Callable[..., ReveChat],
    make_key: Callable[..., str],
    envelope: bool,
) -> None:
    _paged_chats(server, pages=7, per_page=5, envelope=envelope)
    if envelope:
        client = make_client(auth_key=make_key(), max_concurrency=4)
    else:
        client = make_client(max_concurrency=4)
    pager = client.chats()
    chats = await pager.collect()

    assert [c.id for c in chats] == [str(1000 + i) for i in range(35)]
    report = pager.report
    assert report.pages == 7
    assert report.received == 35
    assert report.duplicates_dropped == 0
    assert report.expected is None  # REVE gives no total
    assert pager.total is None
    assert 0 <= report.wasted_requests <= 4
    numbers = sorted(int(r.query["page_no"]) for r in server.requests)
    # Pages 1..8 all asked (8 is the empty one), none twice, and at most 4 beyond it.
    assert numbers[:8] == list(range(1, 9))
    assert len(numbers) == len(set(numbers))
    assert len(numbers) <= 8 + 4
    assert client.stats.requests == len(numbers)


async def test_first_page_empty_means_empty_listing(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    _paged_chats(server, pages=0, per_page=5, envelope=False)
    client = make_client(max_concurrency=2)
    pager = client.offline_messages()
    assert await pager.collect() == []
    assert pager.report.pages == 0
    assert pager.report.wasted_requests <= 2


async def test_records_repeated_across_pages_are_yielded_once(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    # A record shifts to the next page while listing (a new one arrived at the top).
    pages = {
        "1": [{"visitor_id": 1}, {"visitor_id": 2}],
        "2": [{"visitor_id": 2}, {"visitor_id": 3}],
        "3": [{"visitor_id": 4}],
    }

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response(pages.get(request.query["page_no"], []))

    server.handler = handler
    client = make_client(max_concurrency=3)
    pager = client.visitors()
    visitors = await pager.collect()
    assert [v.id for v in visitors] == ["1", "2", "3", "4"]
    assert pager.report.duplicates_dropped == 1


async def test_breaking_out_stops_requests(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    _paged_chats(server, pages=50, per_page=2, envelope=False)
    client = make_client(max_concurrency=3)
    seen = []
    async for chat in client.chats():
        seen.append(chat.id)
        if len(seen) == 3:
            break
    assert seen == ["1000", "1001", "1002"]
    await asyncio.sleep(0.05)
    # Two pages consumed, at most the speculative window beyond them.
    assert len(server.requests) <= 2 + 3


async def test_a_failing_page_fails_the_listing_after_retries(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        if request.query["page_no"] == "2":
            return web.Response(status=502, text="<html>Bad Gateway</html>")
        if request.query["page_no"] == "1":
            return web.json_response([{"agent_id": 1}])
        return web.json_response([])

    server.handler = handler
    client = make_client(max_concurrency=2, retry_policy=RetryPolicy.no_wait(max_retries=2))
    with pytest.raises(ServerError) as info:
        await client.agents().collect()
    assert info.value.status == 502
    assert info.value.path == "/api/agents/"
    asked = [r.query["page_no"] for r in server.requests]
    assert asked.count("2") == 3  # first attempt + 2 retries
    assert not isinstance(info.value, PaginationError)


async def test_server_ignoring_page_no_is_a_pagination_error_not_a_loop(
    server: FakeReve, make_client: Callable[..., ReveChat]
) -> None:
    server.reply([{"agent_id": 1}, {"agent_id": 2}])
    client = make_client(max_concurrency=3)
    pager = client.agents()
    seen = []
    with pytest.raises(PaginationError, match="ignore the page parameter"):
        async for agent in pager:
            seen.append(agent.id)
    assert seen == ["1", "2"]
    assert pager.report.repeated_pages == 1
    await asyncio.sleep(0.05)
    assert len(server.requests) <= 2 + 3


@pytest.mark.parametrize("body", ["", '{"error": [{"code": 404, "message": "No Record found"}]}'])
async def test_404_past_the_first_page_ends_the_listing(
    server: FakeReve, make_client: Callable[..., ReveChat], body: str
) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        number = int(request.query["page_no"])
        if number <= 2:
            return web.json_response([{"chat_id": number * 10 + i} for i in range(2)])
        return web.Response(status=404, text=body, content_type="application/json")

    server.handler = handler
    client = make_client(max_concurrency=2)
    pager = client.chats()
    assert [c.id for c in await pager.collect()] == ["10", "11", "20", "21"]
    assert pager.report.pages == 2
    assert pager.report.wasted_requests <= 2


async def test_404_on_the_first_page_is_raised(
    server: FakeReve, make_client: Callable[..., ReveChat], make_key: Callable[..., str]
) -> None:
    from chatapi import NotFoundError

    server.reply('{"error": [{"code": 404, "message": "No such account"}]}', status=404)
    client = make_client(auth_key=make_key(), account_id="8683034")
    with pytest.raises(NotFoundError) as info:
        await client.chats().collect()
    assert info.value.message == "No such account"
    assert info.value.path == "/api/chats/8683034/"
