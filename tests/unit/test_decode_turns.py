"""Decode turns: a listing's answers are decoded in page order, as the consumer gets to them.

See ``chatapi/_core/decode_turns.py``: building pages in bursts ahead of the consumer kept the
cyclic garbage collector busy for as long as mapping the records took.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from typing import Any

import pytest
from aioresponses import aioresponses

import chatapi
from chatapi import Page
from chatapi._core import decode_turns, jsonlib
from chatapi.pagination import KnownTotal, Pager, Params, UntilEmpty

BASE = "https://api.livechatinc.com"


class Source:
    """Pages whose 'network' part finishes at random moments; 'decoding' waits for the turn."""

    def __init__(self, pages: int, *, shuffle_arrivals: bool = True, empty_from: int = 0) -> None:
        self.pages = pages
        self.empty_from = empty_from
        rng = random.Random(7)
        self.arrival = {n: rng.random() * 0.01 if shuffle_arrivals else 0.0 for n in range(1, 99)}
        self.arrived: list[int] = []
        self.decoded: list[int] = []

    async def fetch(self, params: Params, number: int) -> Page[str]:
        await asyncio.sleep(self.arrival[number])
        self.arrived.append(number)
        await decode_turns.wait_for_turn()
        self.decoded.append(number)
        empty = self.empty_from and number >= self.empty_from
        return Page(
            items=() if empty else (f"p{number}",),
            number=number,
            total=None if self.empty_from else self.pages,
            page_count=None if self.empty_from else self.pages,
        )


def ident(item: str) -> str:
    return item


async def test_pages_are_decoded_in_page_order_whatever_order_they_arrive_in() -> None:
    source = Source(40)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=8, key=ident)
    assert await pager.collect() == [f"p{n}" for n in range(1, 41)]
    assert source.arrived != sorted(source.arrived)  # the test does shuffle arrivals
    # Page 1 is fetched while planning (no turn); every later page in order.
    assert source.decoded == list(range(1, 41))


async def test_a_page_is_decoded_when_asked_for_or_while_the_consumer_waits() -> None:
    source = Source(30, shuffle_arrivals=False)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=8, key=ident)
    pages = pager.pages()
    first = await pages.__anext__()
    assert first.number == 1
    await asyncio.sleep(0.01)  # the consumer waits on something else: every answer arrives
    assert len(source.arrived) >= 8
    assert source.decoded == [1, 2]  # the next page is ready, nothing further
    second = await pages.__anext__()
    assert second.number == 2
    # A consumer that comes straight back (no other await) decodes nothing ahead of it.
    assert source.decoded == [1, 2]
    third = await pages.__anext__()
    assert third.number == 3
    assert source.decoded == [1, 2, 3]
    await pages.aclose()


async def test_pages_waiting_for_a_slow_consumer_are_not_decoded() -> None:
    source = Source(60)
    pager = Pager(source.fetch, {}, KnownTotal(), concurrency=16, key=ident)
    taken = most_ahead = 0
    async for page in pager.pages():
        taken += 1
        await asyncio.sleep(0.002)  # slow consumer: answers pile up meanwhile
        decoded_ahead = sum(1 for n in source.decoded if n > page.number)
        most_ahead = max(most_ahead, decoded_ahead)
    assert taken == 60
    assert len(source.arrived) == 60
    # Besides the page in hand, at most the one decoded ahead of it: never a burst of them.
    assert most_ahead == 1


async def test_until_empty_decodes_nothing_past_the_empty_page() -> None:
    source = Source(0, empty_from=6)
    pager = Pager(source.fetch, {}, UntilEmpty(), concurrency=8, key=ident)
    assert await pager.collect() == [f"p{n}" for n in range(1, 6)]
    assert len(source.arrived) > 6  # speculative requests did come back...
    assert source.decoded == [1, 2, 3, 4, 5, 6]  # ...but were dropped as bytes


async def test_requests_outside_a_listing_never_wait() -> None:
    # No turn in the context: wait_for_turn only yields once.
    await asyncio.wait_for(decode_turns.wait_for_turn(), timeout=1)


def _page(number: int, pages: int) -> dict[str, Any]:
    # Above EARLY_DECODE_BYTES, as real pages are: small bodies are decoded on arrival.
    text = "x" * decode_turns.EARLY_DECODE_BYTES
    return {
        "chats": [
            {"id": f"C{number}-{i}", "started_timestamp": 1700000000, "comment": text}
            for i in range(3)
        ],
        "total": pages * 3,
        "pages": pages,
    }


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    calls: list[int] = []
    real = jsonlib.loads

    def counting(data: bytes | str) -> Any:
        decoded = real(data)
        if isinstance(decoded, dict) and "chats" in decoded:
            calls.append(int(decoded["chats"][0]["id"].split("-")[0][1:]))
        return decoded

    monkeypatch.setattr(jsonlib, "loads", counting)
    yield calls


async def test_client_listing_decodes_pages_as_the_consumer_takes_them(decodes: list[int]) -> None:
    with aioresponses() as mocked:
        for n in range(1, 11):
            mocked.get(f"{BASE}/chats?page={n}", payload=_page(n, 10))
        async with chatapi.LiveChat(login="a@b.c", api_key="k", max_concurrency=8) as client:
            pages = client.chats().pages()
            first = await pages.__anext__()
            await asyncio.sleep(0.05)  # every mocked answer has arrived by now
            assert first.number == 1
            assert client.stats.requests >= 9
            assert decodes == [1, 2]
            # Answers are counted when they arrive, decoded or not.
            assert client.stats.statuses == {200: client.stats.requests}
            numbers = [first.number] + [page.number async for page in pages]
    assert numbers == list(range(1, 11))
    assert decodes == list(range(1, 11))


async def test_throttling_answers_are_classified_without_waiting_for_the_turn() -> None:
    with aioresponses() as mocked:
        mocked.get(f"{BASE}/chats?page=1", payload=_page(1, 6))
        mocked.get(f"{BASE}/chats?page=2", payload=_page(2, 6))
        mocked.get(f"{BASE}/chats?page=3", status=429, headers={"Retry-After": "1"})
        for n in range(3, 7):
            mocked.get(f"{BASE}/chats?page={n}", payload=_page(n, 6))
        async with chatapi.LiveChat(login="a@b.c", api_key="k", max_concurrency=8) as client:
            pages = client.chats().pages()
            await pages.__anext__()
            await asyncio.sleep(0.05)
            # Page 3's turn is far off, but its 429 already paused the client.
            assert client.stats.rate_limited == 1
            assert client.stats.paused_seconds > 0
            await pages.aclose()


async def test_decode_at_once_lets_later_pages_send_their_next_requests() -> None:
    first_round: list[int] = []
    second_round: list[int] = []

    async def two_rounds(params: Params, number: int) -> Page[str]:
        with decode_turns.decode_at_once():
            await decode_turns.wait_for_turn()  # an answer needed to send the next request
            first_round.append(number)
        await decode_turns.wait_for_turn()  # the page's last answer: decoded in turn
        second_round.append(number)
        return Page(items=(f"p{number}",), number=number, total=8, page_count=8)

    pager = Pager(two_rounds, {}, KnownTotal(), concurrency=8, key=ident)
    pages = pager.pages()
    await pages.__anext__()
    await asyncio.sleep(0.01)
    assert sorted(first_round) == list(range(1, 9))  # every page got past its first round
    assert second_round == [1, 2]  # but decodes its last answer in turn
    await pages.aclose()


async def test_small_2xx_answers_are_classified_on_arrival() -> None:
    # REVE Chat reports throttling inside a 200 envelope: it must pause the client at once,
    # not when the consumer reaches that page.
    base = "https://api.revechat.com/api"

    def big(page: int) -> list[dict[str, Any]]:
        note = "x" * decode_turns.EARLY_DECODE_BYTES
        return [{"chat_id": f"C{page}-{n}", "note": note} for n in range(2)]

    throttled = {"status": "failure", "message": "Rate limit exceeded, try again in 2 seconds"}
    with aioresponses() as mocked:
        for n in range(1, 12):
            mocked.get(f"{base}/chats/?page_no={n}", payload=throttled if n == 3 else big(n))
        async with chatapi.ReveChat(email="a@b.c", password="pw", max_concurrency=4) as client:
            pages = client.chats().pages()
            await pages.__anext__()
            await asyncio.sleep(0.05)
            assert client.stats.paused_seconds > 0
            await pages.aclose()
