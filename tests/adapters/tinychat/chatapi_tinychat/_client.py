"""The TinyChat client: one endpoint table, auth headers and an error-details hook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from chatapi import BaseClient, ConfigurationError
from chatapi.endpoints import Endpoint, PageNumber, listing, plain
from chatapi.errors import ErrorDetails
from chatapi.models import Chat, Message, Participant, ParticipantKind, Visitor

__all__ = ["ENDPOINTS", "PER_PAGE", "TinyChat", "chat_from_payload"]

#: Chats per page the client asks for.
PER_PAGE = 20


def _time(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)


def chat_from_payload(payload: Mapping[str, Any]) -> Chat:
    """A :class:`chatapi.Chat` from a TinyChat chat object."""
    visitor = payload.get("visitor") or {}
    messages = tuple(
        Message(
            id=None,
            author=Participant(kind=ParticipantKind(line["author"]), name=line.get("name")),
            text=line["text"],
            created_at=_time(line.get("at")),
        )
        for line in payload.get("messages", ())
    )
    return Chat(
        vendor="tinychat",
        id=str(payload["id"]),
        started_at=_time(payload.get("started")),
        ended_at=_time(payload.get("ended")),
        visitor=Visitor(id=visitor.get("id"), name=visitor.get("name")),
        messages=messages,
        missed=bool(payload.get("missed")),
        raw=payload,
    )


#: Every operation of the client, as data.
ENDPOINTS: dict[str, Endpoint[Any]] = {
    "chats": listing(
        "/api/chats",
        plain(chat_from_payload),
        kind="chat",
        items="chats",
        total=("total",),
        per_page=PER_PAGE,
        paging=PageNumber(param="page", size_param="per_page"),
    ),
    "get_chat": Endpoint(
        path="/api/chats/{id}", decode=plain(chat_from_payload), kind="chat", record="chat"
    ),
}


class TinyChat(BaseClient):
    """Client of the TinyChat API: ``TinyChat(token="...")``."""

    vendor: ClassVar[str] = "tinychat"
    default_base_url: ClassVar[str] = "https://api.tinychat.invalid"
    endpoints: ClassVar[Mapping[str, Endpoint[Any]]] = ENDPOINTS

    def __init__(self, *, token: str | None = None, **options: Any) -> None:
        if not token:
            raise ConfigurationError("TinyChat needs a token", vendor="tinychat")
        super().__init__(**options)
        self.__token = token

    def __repr__(self) -> str:
        return f"TinyChat(base_url={self.base_url!r}, auth='bearer')"

    def _auth_kind(self) -> str:
        return "bearer"

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self.__token}", "Accept": "application/json"}

    def _error_details(self, status: int, data: Any, text: str) -> ErrorDetails | None:
        error = data.get("error") if isinstance(data, Mapping) else None
        if not isinstance(error, Mapping):
            return None
        code = error.get("code")
        return ErrorDetails(
            message=str(error.get("message") or "") or None,
            vendor_code=str(code) if code is not None else None,
        )
