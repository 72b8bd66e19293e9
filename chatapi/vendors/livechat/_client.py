"""The LiveChat REST API v2 client (``https://api.livechatinc.com``, ``X-API-Version: 2``)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..._base_client import BaseClient, status_error_from_body
from ..._core.mapping import map_records
from ..._core.paths import path_segment
from ..._core.secrets import Secret
from ..._transport import RawResponse
from ...errors import (
    APIStatusError,
    ChatAPIError,
    ConfigurationError,
    RequestInfo,
    ResponseFormatError,
)
from ...models import Agent, Chat, OfflineMessage
from ...pagination import DateWindowed, KnownTotal, Page, Pager, Params, SinglePage
from ._convert import agent_from_payload, chat_from_payload, offline_message_from_payload
from ._errors import extract_error, misdirected_region
from ._filters import AGENT_FILTERS, CHAT_FILTERS, OFFLINE_MESSAGE_FILTERS, encode_filters

__all__ = ["LiveChat"]

#: "each containing 25 chats" / "25 offline messages" (REST reference, Archives).
PER_PAGE = 25
#: "the results are limited to the latest 25000 records" (REST reference, Archives).
RECORD_CAP = 25_000
_REGIONS = ("dal", "fra")


def _key(record: Chat | OfflineMessage | Agent) -> str:
    return record.id


class LiveChat(BaseClient):
    """Client of the LiveChat REST API v2.

    Authenticate with either ``login`` + ``api_key`` (HTTP Basic; a Personal Access Token
    works as the ``api_key``) or an OAuth ``access_token`` (Bearer; its ``dal:``/``fra:``
    prefix selects the data center through ``X-Region``).

    Args:
        login: The agent's login e-mail, for Basic auth.
        api_key: The API key or Personal Access Token, for Basic auth.
        access_token: An OAuth access token, for Bearer auth.
        region: Data center (``dal`` or ``fra``); defaults to the token's prefix.
        **options: ``base_url``, ``session``, ``max_concurrency``, ``max_retries``,
            ``timeout``, ``retry_policy`` (see :class:`chatapi.BaseClient`).

    Raises:
        ConfigurationError: Missing or contradictory credentials.

    Example:
        >>> async with chatapi.LiveChat(login="john@example.com", api_key="KEY") as lc:
        ...     async for chat in lc.chats(date_from="2024-01-01"):
        ...         print(chat.id, len(chat.messages))
    """

    vendor = "livechat"
    default_base_url = "https://api.livechatinc.com"
    capabilities = {
        "chats": CHAT_FILTERS,
        "offline_messages": OFFLINE_MESSAGE_FILTERS,
        "agents": AGENT_FILTERS,
    }

    def __init__(
        self,
        *,
        login: str | None = None,
        api_key: str | None = None,
        access_token: str | None = None,
        region: str | None = None,
        **options: Any,
    ) -> None:
        if access_token is not None and (login is not None or api_key is not None):
            raise ConfigurationError(
                "LiveChat takes either login + api_key or access_token, not both",
                vendor=self.vendor,
            )
        if access_token is not None:
            if not isinstance(access_token, str) or not access_token.strip():
                raise ConfigurationError("access_token is empty", vendor=self.vendor)
            prefix = access_token[:4]
            token_region = prefix[:3] if prefix[3:4] in (":", "-") else None
            auth = f"Bearer {access_token}"
            self._auth_scheme = "bearer"
            region = region or (token_region if token_region in _REGIONS else None)
        elif login is not None or api_key is not None:
            if not login or not api_key:
                raise ConfigurationError(
                    "LiveChat Basic auth needs both login and api_key", vendor=self.vendor
                )
            pair = f"{login}:{api_key}".encode()
            auth = f"Basic {base64.b64encode(pair).decode('ascii')}"
            self._auth_scheme = "basic"
        else:
            raise ConfigurationError(
                "LiveChat needs credentials: login + api_key, or access_token",
                vendor=self.vendor,
            )
        self._secret = Secret(auth)
        self.region = region
        super().__init__(**options)

    # -- hooks ------------------------------------------------------------------------------

    def _auth_kind(self) -> str:
        return self._auth_scheme

    def _auth_headers(self) -> Mapping[str, str]:
        headers = {
            "Authorization": self._secret.reveal(),
            "X-API-Version": "2",
            "Accept": "application/json",
        }
        if self.region:
            headers["X-Region"] = self.region
        return headers

    def _classify(
        self, response: RawResponse, data: Any, info: RequestInfo, retry_after: float | None
    ) -> ChatAPIError | None:
        if 200 <= response.status < 300:
            return None
        fallback = response.reason or f"HTTP {response.status}"
        message, code = extract_error(response.body, fallback)
        return status_error_from_body(
            vendor=self.vendor,
            status=response.status,
            info=info,
            message=message,
            vendor_code=code,
            body=response.body,
            retry_after=retry_after,
        )

    def _recover(self, error: ChatAPIError) -> bool:
        # "If you get the Misdirected request error, use the prefix returned in the error as
        # the value of X-Region" (REST reference, Data centers).
        if not isinstance(error, APIStatusError):
            return False
        region = misdirected_region(error.status, error.vendor_code, error.body)
        if region is None or region == self.region:
            return False
        self.region = region
        return True

    # -- pages ------------------------------------------------------------------------------

    async def _get_page(self, path: str, params: Params, number: int) -> Any:
        response = await self._request("GET", path, params={**params, "page": str(number)})
        return response.data

    def _listing_body(
        self, data: Any, key: str, info: str
    ) -> tuple[list[Any], int | None, int | None]:
        if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
            raise ResponseFormatError(
                f"livechat {info} page has no {key!r} list", vendor=self.vendor, field=key
            )
        total, pages = data.get("total"), data.get("pages")
        return (
            data[key],
            int(total) if total is not None else None,
            int(pages) if pages is not None else None,
        )

    async def _chats_page(self, params: Params, number: int) -> Page[Chat]:
        data = await self._get_page("/chats", params, number)
        records, total, pages = self._listing_body(data, "chats", "/chats")
        items = map_records(chat_from_payload, records, vendor=self.vendor, kind="chat")
        return Page(items=items, number=number, raw=data, total=total, pages=pages)

    async def _offline_page(self, params: Params, number: int) -> Page[OfflineMessage]:
        data = await self._get_page("/offline_messages", params, number)
        records, total, pages = self._listing_body(data, "offline_messages", "/offline_messages")
        items = map_records(
            offline_message_from_payload, records, vendor=self.vendor, kind="offline message"
        )
        return Page(items=items, number=number, raw=data, total=total, pages=pages)

    async def _agents_page(self, params: Params, number: int) -> Page[Agent]:
        response = await self._request("GET", "/agents", params=params)
        data = response.data
        if not isinstance(data, list):
            raise ResponseFormatError("livechat /agents did not return a list", vendor=self.vendor)
        items = map_records(agent_from_payload, data, vendor=self.vendor, kind="agent")
        return Page(items=items, number=number, raw=data, total=len(items), pages=1)

    # -- normalized operations --------------------------------------------------------------

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every archived chat matching ``filters``, newest first, fetched concurrently.

        Listings above LiveChat's 25,000-record cap are split into date windows.

        Args:
            **filters: ``date_from``, ``date_to`` (``datetime.date`` or ``YYYY-MM-DD``),
                ``type`` (``chat``/``missed_chat``), ``visitor_id``, ``query``, ``agent``,
                ``group``, ``goal``, ``has_goal``, ``rate``, ``timezone``,
                ``include_pending``, ``tag`` (list), ``tagged``, ``sale``, ``has_sale``,
                ``queued``, ``comment``, ``city``, ``region``, ``country``.

        Raises:
            TypeError: An unknown filter name (before any request).
            ValueError: A filter value of the wrong kind.
        """
        self._check_filters("chats", filters)
        strategy = DateWindowed(cap=RECORD_CAP, per_page=PER_PAGE)
        return self._pager(self._chats_page, encode_filters(filters), strategy, _key)

    async def get_chat(self, chat_id: str) -> Chat:
        """One chat by id.

        Raises:
            NotFoundError: No such chat.
        """
        response = await self._request("GET", f"/chats/{path_segment(chat_id)}")
        return map_records(chat_from_payload, (response.data,), vendor=self.vendor, kind="chat")[0]

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Offline messages matching ``filters`` (LiveChat defaults to the last 7 days).

        Args:
            **filters: ``date_from``, ``date_to``, ``skill``, ``query``.
        """
        self._check_filters("offline_messages", filters)
        strategy = KnownTotal(per_page=PER_PAGE)
        return self._pager(self._offline_page, encode_filters(filters), strategy, _key)

    async def get_offline_message(self, message_id: str) -> OfflineMessage:
        """One offline message by id."""
        response = await self._request("GET", f"/offline_messages/{path_segment(message_id)}")
        return map_records(
            offline_message_from_payload,
            (response.data,),
            vendor=self.vendor,
            kind="offline message",
        )[0]

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent of the license.

        Args:
            **filters: ``status`` (``accepting chats``, ``not accepting chats``, ``offline``).
        """
        self._check_filters("agents", filters)
        return self._pager(self._agents_page, encode_filters(filters), SinglePage(), _key)

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by login e-mail."""
        response = await self._request("GET", f"/agents/{path_segment(agent_id)}")
        return map_records(agent_from_payload, (response.data,), vendor=self.vendor, kind="agent")[
            0
        ]
