"""Decode a listing's answers in listing order, as the consumer gets to them.

A concurrent listing has many requests in flight. Decoding each answer the moment it arrives
builds several pages' worth of objects in one burst while the consumer still holds earlier
ones; CPython's cyclic garbage collector counts those bursts and runs about once per 700 new
objects, promoting what is alive into older generations whose collections walk the whole heap.
Measured on the CPU-bound benchmark (``benchmarks/cpu_path.py``), that churn cost about as
much as mapping the records.

So the pagination engine gives each page fetch a *turn*: the request loop reads the answer as
soon as it arrives (freeing its concurrency slot, so the next request goes out), then waits
for the turn before decoding it. The engine opens a page's turn when the consumer asks for
that page, and the next page's while the consumer, having taken one, awaits something else (a
file write): never a burst of them. Objects are then built at the pace they are consumed and
freed: the collector rarely runs, and pages waiting for a slow consumer are held as compact
bytes rather than as decoded objects.

Answers that are not 2xx (errors, throttling) are classified at once: a 429 must set the
shared pause without delay. So are 2xx answers of at most :data:`EARLY_DECODE_BYTES`: some
vendors report failures, throttling included, in a 200 envelope (REVE Chat's ``{"status":
"failure"}``, Acquire v1's ``{"success": false}``), and such an envelope is small, while the
pages whose decoding matters for the collector are tens of kilobytes.

Requests outside a listing have no turn and never wait. A page fetch that needs some answers
before it can send its next requests (Acquire v1: profiles, then their threads, then each
thread's messages) makes those requests inside :func:`decode_at_once`, or every page past
the consumer's would stall after its first request and the listing would lose its
concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["EARLY_DECODE_BYTES", "decode_at_once", "open_turn", "use_turn", "wait_for_turn"]

#: 2xx bodies up to this size are decoded on arrival, turn or not (failure envelopes).
EARLY_DECODE_BYTES = 4096

_turn: ContextVar[asyncio.Event | None] = ContextVar("chatapi_decode_turn", default=None)


def use_turn(turn: asyncio.Event) -> None:
    """Make ``turn`` the decode turn of the current task (call at the start of its coroutine:
    each task runs in its own copy of the context, so this never leaks into other tasks)."""
    _turn.set(turn)


def open_turn(turn: asyncio.Event) -> None:
    """Let the fetch holding ``turn`` decode its answers."""
    turn.set()


async def wait_for_turn() -> None:
    """Wait until the current task may decode an answer; always yields to the loop once.

    The yield lets a request waiting for the concurrency slot just freed go on the wire
    before this task spends CPU on decoding.
    """
    turn = _turn.get()
    if turn is None or turn.is_set():
        await asyncio.sleep(0)
    else:
        await turn.wait()


@contextmanager
def decode_at_once() -> Iterator[None]:
    """Inside this block, the current task decodes answers as soon as they arrive.

    For the requests of a page fetch whose answers it needs to send further requests; the
    block's end restores the page's turn for the requests after it.
    """
    token = _turn.set(None)
    try:
        yield
    finally:
        _turn.reset(token)
