"""A minimal LiveChat-shaped server for benchmarks, run in its own process.

Serves ``/chats?page=N`` for N in 1..pages: 25 chats of ``messages`` messages each, with a fixed
latency per request. Bodies are rendered once at start so the server's CPU stays out of the
measurement. Prints ``READY <port>`` on stdout when listening.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from aiohttp import web


def render_pages(pages: int, messages: int) -> list[bytes]:
    bodies = []
    for number in range(1, pages + 1):
        chats = []
        for i in range(25):
            chat_id = f"C{number:05d}{i:02d}"
            base = 1_700_000_000 + number * 1000 + i * 10
            chats.append(
                {
                    "type": "chat",
                    "id": chat_id,
                    "visitor": {"id": f"S{number}.{i}", "name": f"Visitor {i}", "ip": "10.0.0.1"},
                    "agents": [{"display_name": "John Doe", "email": "john@example.com"}],
                    "rate": "not_rated",
                    "duration": 300,
                    "group": [0],
                    "tags": ["sales"],
                    "started_timestamp": base,
                    "ended_timestamp": base + 300,
                    "messages": [
                        {
                            "author_name": "John Doe" if m % 2 else f"Visitor {i}",
                            "text": f"message number {m} of chat {chat_id}",
                            "date": "Wed, 01/23/13 11:40:53 am",
                            "timestamp": base + m,
                            "user_type": "agent" if m % 2 else "visitor",
                            **({"agent_id": "john@example.com"} if m % 2 else {}),
                        }
                        for m in range(messages)
                    ],
                }
            )
        bodies.append(json.dumps({"chats": chats, "total": pages * 25, "pages": pages}).encode())
    return bodies


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--mode", choices=["total", "until-empty"], default="total")
    args = parser.parse_args()
    bodies = render_pages(args.pages, args.messages)
    empty_listing = json.dumps({"chats": [], "total": 0, "pages": 0}).encode()

    async def chats(request: web.Request) -> web.Response:
        number = int(request.query.get("page", "1"))
        if args.latency:
            await asyncio.sleep(args.latency)
        body = bodies[number - 1] if 1 <= number <= len(bodies) else empty_listing
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/chats", chats)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(f"READY {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
