"""The fake TinyChat server, serving chatapi's generated dataset."""

from __future__ import annotations

from typing import Any, ClassVar

from aiohttp import web

from chatapi.sandbox import Dataset, VendorApp

__all__ = ["MAX_PER_PAGE", "TinyChatApp", "chat_id"]

MAX_PER_PAGE = 100


def chat_id(index: int) -> str:
    """The TinyChat id of chat ``index``."""
    return f"tc-{index:06d}"


class TinyChatApp(VendorApp):
    """``GET /api/chats`` (page-numbered, with a total) and ``GET /api/chats/{id}``."""

    vendor: ClassVar[str] = "tinychat"
    generations: ClassVar[tuple[str, ...]] = ("v1",)

    def __init__(self, dataset: Dataset, faults: Any, generation: str | None = None) -> None:
        self.token = f"tiny-{dataset.config.seed:x}-sandbox-token"
        super().__init__(dataset, faults, generation)

    def setup_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/api/chats", self.list_chats)
        router.add_get("/api/chats/{chat_id}", self.get_chat)

    def credentials(self, base_url: str) -> dict[str, Any]:
        return {"token": self.token, "base_url": base_url}

    def error_response(self, status: int, message: str) -> web.Response:
        return web.json_response(
            {"error": {"code": f"E{status}", "message": message}}, status=status
        )

    def _denied(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self.error_response(401, "invalid token")
        return None

    def chat_payload(self, index: int) -> dict[str, Any]:
        """Chat ``index`` as TinyChat renders it."""
        chat = self.dataset.chat(index)
        visitor = self.dataset.visitor(chat.visitor)
        return {
            "id": chat_id(index),
            "started": chat.started,
            "ended": None if chat.missed else chat.ended,
            "missed": chat.missed,
            "visitor": {"id": f"v-{chat.visitor}", "name": visitor.name},
            "messages": [
                {"author": m.author, "text": m.text, "at": m.timestamp} for m in chat.messages
            ],
        }

    async def list_chats(self, request: web.Request) -> web.Response:
        denied = self._denied(request)
        if denied is not None:
            return denied
        self.listing_requested()
        try:
            page = int(request.query.get("page", "1"))
            per_page = int(request.query.get("per_page", "20"))
        except ValueError:
            return self.error_response(400, "page and per_page are numbers")
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            return self.error_response(400, "page out of range")
        ids = self.dataset.chat_ids()
        chunk = ids[(page - 1) * per_page : page * per_page]
        return web.json_response(
            {"total": len(ids), "chats": [self.chat_payload(i) for i in chunk]}
        )

    async def get_chat(self, request: web.Request) -> web.Response:
        denied = self._denied(request)
        if denied is not None:
            return denied
        text = request.match_info["chat_id"]
        try:
            index = int(text.removeprefix("tc-"))
        except ValueError:
            index = -1
        if not text.startswith("tc-") or index not in self.dataset.chat_ids():
            return self.error_response(404, f"no chat {text}")
        return web.json_response({"chat": self.chat_payload(index)})
