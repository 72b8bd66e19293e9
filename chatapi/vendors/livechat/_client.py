"""The LiveChat REST API v2 client (``https://api.livechatinc.com``, ``X-API-Version: 2``)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..._core.secrets import Secret
from ...errors import APIStatusError, ChatAPIError, ConfigurationError, ErrorDetails
from ...models import Agent, Chat, OfflineMessage, Visitor
from ...pagination import Pager
from ._config_ops import ConfigurationOperations
from ._endpoints import ENDPOINTS
from ._errors import error_details, misdirected_region
from ._ticket_ops import TicketOperations

__all__ = ["ENDPOINTS", "LiveChat"]

_REGIONS = ("dal", "fra")


class LiveChat(ConfigurationOperations, TicketOperations):
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

    Besides the normalized reads, every operation of the REST API v2 reference is a method:
    agents (create, update, delete), chat tags and transcripts, canned responses, goals,
    greetings, groups, status, tags, tickets, webhooks and visitors. Their records are the
    types of :mod:`chatapi.livechat`. Writes are sent once: they are repeated only when they
    provably were not processed (see :class:`chatapi.RetryPolicy`).

    Example:
        >>> async with chatapi.LiveChat(login="john@example.com", api_key="KEY") as lc:
        ...     async for chat in lc.chats(date_from="2024-01-01"):
        ...         print(chat.id, len(chat.messages))
        ...     group = await lc.create_group("Billing", agents=["john@example.com"])
    """

    vendor = "livechat"
    default_base_url = "https://api.livechatinc.com"
    endpoints = ENDPOINTS

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
        self._login: str | None = None
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
            self._login = login
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

    def _own_login(self) -> str | None:
        return self._login

    def _auth_headers(self) -> Mapping[str, str]:
        headers = {
            "Authorization": self._secret.reveal(),
            "X-API-Version": "2",
            "Accept": "application/json",
        }
        if self.region:
            headers["X-Region"] = self.region
        return headers

    def _error_details(self, status: int, data: Any, text: str) -> ErrorDetails | None:
        return error_details(data)

    def _recover(self, error: ChatAPIError) -> bool:
        # "If you get the Misdirected request error, use the prefix returned in the error as
        # the value of X-Region" (https://developers.livechat.com/docs/, "Data centers").
        if not isinstance(error, APIStatusError):
            return False
        region = misdirected_region(error.status, error.vendor_code, error.body)
        if region is None or region == self.region:
            return False
        self.region = region
        return True

    # -- normalized operations: typed wrappers over ENDPOINTS ---------------------------------

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
        return self._list("chats", filters)

    async def get_chat(self, chat_id: str) -> Chat:
        """One chat by id.

        Raises:
            NotFoundError: No such chat.
        """
        chat: Chat = await self._call("get_chat", path_args={"id": chat_id})
        return chat

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Offline messages matching ``filters`` (LiveChat defaults to the last 7 days).

        Args:
            **filters: ``date_from``, ``date_to``, ``skill``, ``query``.
        """
        return self._list("offline_messages", filters)

    async def get_offline_message(self, message_id: str) -> OfflineMessage:
        """One offline message by id."""
        message: OfflineMessage = await self._call(
            "get_offline_message", path_args={"id": message_id}
        )
        return message

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent of the license.

        Args:
            **filters: ``status`` (``accepting chats``, ``not accepting chats``, ``offline``).
        """
        return self._list("agents", filters)

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by login e-mail."""
        agent: Agent = await self._call("get_agent", path_args={"id": agent_id})
        return agent

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """The visitors on the site now (pages with the tracking code).

        Args:
            **filters: ``state`` (``chatting``, ``queued``), ``group`` (a group id or a
                list of them; the reference's ``group[]``).
        """
        return self._list("visitors", filters)
