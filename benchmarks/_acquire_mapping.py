"""Micro-benchmark: Acquire payload -> model mapping (no I/O), in µs per chat.

Payloads are the sandbox's own (``make_app("acquire", chats=2000, seed=3)``, the data
``serve(...)`` answers with), JSON round-tripped so they are plain decoded dicts as on the
wire. Times only the pure mappers: a v2 case listing page (``v2_chat``, messages related) and
v1 threads with their fetched Profile Message API rows (``v1_chat``). Best of several repeats.

Standalone (not part of run_all.py)::

    .venv/bin/python benchmarks/_acquire_mapping.py [--repeats N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import time
from collections.abc import Callable
from typing import Any

from chatapi.models import Chat
from chatapi.sandbox.server import make_app
from chatapi.vendors.acquire._convert import v1_chat, v2_chat

CHATS = 2000
SEED = 3
# A fixed end keeps the generated times (and so the payloads) the same from run to run.
END = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
UTC = dt.timezone.utc


def _decoded(value: Any) -> Any:
    return json.loads(json.dumps(value))


def v2_payloads() -> list[dict[str, Any]]:
    fake: Any = make_app("acquire", generation="v2", chats=CHATS, seed=SEED, end=END)
    relations = {"contact", "users", "messages"}
    return [_decoded(fake.v2_case_payload(i, relations)) for i in range(CHATS)]


def v1_payloads() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    fake: Any = make_app("acquire", generation="v1", chats=CHATS, seed=SEED, end=END)
    return [_decoded((fake.v1_thread(i), fake.v1_message_rows(i))) for i in range(CHATS)]


def best(run: Callable[[], list[Chat]], repeats: int, read_messages: bool) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        chats = run()
        if read_messages:
            for chat in chats:
                chat.messages  # noqa: B018 -- the read is what is timed
        times.append(time.perf_counter() - start)
        del chats
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    v2 = v2_payloads()
    v1 = v1_payloads()
    messages_v2 = sum(len(p.get("messages") or ()) for p in v2)
    messages_v1 = sum(len(m) for _, m in v1)

    def map_v2() -> list[Chat]:
        return [v2_chat(p, UTC) for p in v2]

    def map_v1() -> list[Chat]:
        return [v1_chat(t, UTC, m) for t, m in v1]

    print(f"{CHATS} chats, seed {SEED}; best of {args.repeats}")
    for name, run in (
        (f"v2 cases ({messages_v2} messages)", map_v2),
        (f"v1 threads ({messages_v1} messages)", map_v1),
    ):
        lazy = best(run, args.repeats, read_messages=False)
        full = best(run, args.repeats, read_messages=True)
        print(f"{name}:")
        print(f"  map chats only            {lazy / CHATS * 1e6:8.1f} us/chat")
        print(f"  map chats + read messages {full / CHATS * 1e6:8.1f} us/chat")


if __name__ == "__main__":
    main()
