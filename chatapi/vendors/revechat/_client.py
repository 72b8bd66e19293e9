"""The REVE Chat REST client (``https://api.revechat.com/api/...``), both API generations.

Configuration, auth and the error hooks live here; the operations are rows of
:mod:`chatapi.vendors.revechat._endpoints`, one table per generation.
"""

from __future__ import annotations

import base64
import datetime as dt
import http
import logging
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from ..._base_client import BaseClient
from ..._core.paths import path_segment
from ..._core.secrets import Secret
from ..._core.timeparse import UTC
from ...endpoints import Endpoint
from ...errors import AuthenticationError, ConfigurationError, ErrorDetails, text_message
from ...models import Agent, Chat, OfflineMessage, Visitor
from ...pagination import Pager
from ._authkey import read_claims
from ._endpoints import CURRENT, ENDPOINTS_BY_GENERATION, LEGACY, LEGACY_ENDPOINTS
from ._errors import envelope_error, error_details

__all__ = ["ReveChat"]

logger = logging.getLogger("chatapi")

#: Warn when the auth key has less than this left: "The generated token will be valid for 30
#: days from the time of creation" (https://www.revechat.com/hc/introduction-to-rest-api).
EXPIRY_WARNING = dt.timedelta(days=3)
_KEY_HELP = "generate a new one in REVE Chat under Settings > Security > Auth Key"


def _reason(status: int) -> str:
    """The standard reason phrase of ``status`` (``HTTP <status>`` for an unknown one)."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class ReveChat(BaseClient):
    """Client of the REVE Chat REST API, legacy or current generation.

    * Legacy (https://docs.revechat.com/developers-docs/rest/introduction): ``email`` +
      ``password`` → HTTP Basic; paths ``/api/<resource>/``; bodies are bare JSON arrays.
    * Current (https://www.revechat.com/hc/introduction-to-rest-api, 2025): ``auth_key``
      (the JWT from *Settings → Security → Auth Key*, valid 30 days) sent as
      ``Authorization: <key>`` with no scheme word, and ``account_id`` as a path segment
      (``/api/agents/{account_id}``); bodies are ``{"status", "message", "body": [...]}``
      envelopes.

    Both body shapes are accepted whichever generation is configured. Every listing pages
    with ``page_no`` until an empty page (REVE gives no total). A key that expires within
    three days is reported by a warning on the ``chatapi`` logger when the client is built.

    Args:
        email: Login e-mail of a Super Admin, for the legacy generation.
        password: That user's password.
        auth_key: The auth key (a JWT), for the current generation.
        account_id: The account id (*Settings → Chat Widget → Code Snippet*); read from the
            key's ``accountId`` claim when omitted.
        **options: ``base_url``, ``session``, ``max_concurrency``, ``max_retries``,
            ``timeout``, ``retry_policy`` (see :class:`chatapi.BaseClient`).

    Attributes:
        generation: ``"legacy"`` or ``"current"``.
        account_id: The account id of the current generation (None for legacy).
        auth_key_expires_at: When the auth key expires (UTC), if its payload says.

    Raises:
        ConfigurationError: Missing, empty or contradictory credentials.

    Example:
        >>> async with chatapi.ReveChat(auth_key=KEY, account_id="8683034") as reve:
        ...     async for chat in reve.chats(date_from="2025-01-01"):
        ...         print(chat.id, chat.missed)
    """

    vendor = "revechat"
    default_base_url = "https://api.revechat.com"
    #: Both generations offer the same operations (the README's capability table).
    generations: ClassVar[tuple[str, ...]] = ("legacy", "current")
    #: The legacy generation's rows; the instance runs its own generation's table (same
    #: operations and filters, other paths): see :meth:`_endpoint_table`.
    endpoints = LEGACY_ENDPOINTS

    def __init__(
        self,
        *,
        email: str | None = None,
        password: str | None = None,
        auth_key: str | None = None,
        account_id: str | int | None = None,
        **options: Any,
    ) -> None:
        self.auth_key_expires_at: dt.datetime | None = None
        self.account_id: str | None = None
        legacy = email is not None or password is not None
        if auth_key is not None and legacy:
            raise ConfigurationError(
                "REVE Chat takes either email + password (legacy API) or auth_key + "
                "account_id (current API), not both",
                vendor=self.vendor,
            )
        if auth_key is not None:
            self._secret = Secret(self._check_key(auth_key))
            self.generation = CURRENT
            self.account_id = self._resolve_account(auth_key, account_id)
        elif legacy:
            if account_id is not None:
                raise ConfigurationError(
                    "account_id belongs to the auth_key API; the legacy email + password API "
                    "has no account id in its paths",
                    vendor=self.vendor,
                )
            if not isinstance(email, str) or not email.strip():
                raise ConfigurationError(
                    "REVE Chat Basic auth needs a non-empty email", vendor=self.vendor
                )
            if not isinstance(password, str) or not password:
                raise ConfigurationError(
                    "REVE Chat Basic auth needs a non-empty password", vendor=self.vendor
                )
            pair = f"{email.strip()}:{password}".encode()
            self._secret = Secret(f"Basic {base64.b64encode(pair).decode('ascii')}")
            self.generation = LEGACY
        else:
            raise ConfigurationError(
                "REVE Chat needs credentials: email + password, or auth_key + account_id",
                vendor=self.vendor,
            )
        super().__init__(**options)
        self._warn_if_expiring()

    def _check_key(self, auth_key: object) -> str:
        if not isinstance(auth_key, str) or not auth_key.strip():
            raise ConfigurationError("auth_key is empty", vendor=self.vendor)
        key = auth_key.strip()
        if any(ch.isspace() for ch in key.removeprefix("Bearer ")):
            # A pasted key with a line break would make an invalid header; say so without
            # showing the key.
            raise ConfigurationError("auth_key contains whitespace", vendor=self.vendor)
        return key

    def _resolve_account(self, auth_key: str, account_id: str | int | None) -> str:
        # Some callers send "Bearer <key>" (a third-party app does; the published example sends
        # the bare key): the claims are the same.
        claims = read_claims(auth_key.strip().removeprefix("Bearer "))
        self.auth_key_expires_at = claims.expires_at
        if account_id is None:
            if claims.account_id is None:
                raise ConfigurationError(
                    "REVE Chat auth_key needs an account_id (Settings > Chat Widget > Code "
                    "Snippet); the key does not name its account",
                    vendor=self.vendor,
                )
            return claims.account_id
        if isinstance(account_id, bool) or not isinstance(account_id, (str, int)):
            raise ConfigurationError(
                f"account_id must be a string or an int, got {type(account_id).__name__}",
                vendor=self.vendor,
            )
        account = str(account_id).strip()
        if not account:
            raise ConfigurationError("account_id is empty", vendor=self.vendor)
        if claims.account_id is not None and claims.account_id != account:
            # Not the key itself, only the account it names: safe to show both ids.
            raise ConfigurationError(
                f"account_id {account!r} contradicts the auth_key, which belongs to account "
                f"{claims.account_id!r}",
                vendor=self.vendor,
            )
        return account

    def _now(self) -> dt.datetime:
        return dt.datetime.now(UTC)

    def _warn_if_expiring(self) -> None:
        expires = self.auth_key_expires_at
        if expires is None:
            return
        left = expires - self._now()
        if left <= dt.timedelta(0):
            logger.warning(
                "revechat: the auth key expired at %s; %s", expires.isoformat(), _KEY_HELP
            )
        elif left < EXPIRY_WARNING:
            logger.warning(
                "revechat: the auth key expires at %s (in %.1f hours); %s",
                expires.isoformat(),
                left.total_seconds() / 3600,
                _KEY_HELP,
            )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, auth={self._auth_kind()!r}, "
            f"generation={self.generation!r})"
        )

    # -- hooks ------------------------------------------------------------------------------

    def _auth_kind(self) -> str:
        return "basic" if self.generation == LEGACY else "auth_key"

    def _auth_headers(self) -> Mapping[str, str]:
        # The current generation's example sends the bare key: "--header 'Authorization:
        # <auth key>'" (https://www.revechat.com/hc/agents-api); Basic for the legacy one
        # ("-u john@example.com:123456", https://docs.revechat.com/developers-docs/rest/introduction).
        return {"Authorization": self._secret.reveal(), "Accept": "application/json"}

    def _endpoint_table(self) -> Mapping[str, Endpoint[Any]]:
        # Both generations declare the same operations; only their paths differ.
        return ENDPOINTS_BY_GENERATION[self.generation]

    def _path_values(self) -> Mapping[str, str]:
        if self.generation == LEGACY:
            return {}
        return {"account": path_segment(self.account_id or "")}

    def _error_details(self, status: int, data: Any, text: str) -> ErrorDetails:
        details = error_details(data, text)
        if details.message is None and details.vendor_code is not None:
            # A code without a message ({code: 403}): the status's reason says more than the
            # body's text would. Bodies with nothing to read are left to the core's fallback.
            details = attrs.evolve(details, message=_reason(status))
        if status not in (429, 503) and details.retry_after is not None:
            # The wait of a body counts for throttling only: "a body that details ... the
            # amount of time you have to wait" (https://docs.revechat.com/developers-docs/rest/
            # introduction). No Retry-After header is documented; when sent, it wins.
            details = attrs.evolve(details, retry_after=None)
        if status == 401:
            said = details.message or text_message(text, "Unauthorized")
            expired = self._expired_key_message(said)
            if expired is not None:
                details = attrs.evolve(details, message=expired)
        return details

    def _envelope_error(self, data: Any) -> ErrorDetails | None:
        details = envelope_error(data)
        if details is not None and details.error_class is AuthenticationError:
            expired = self._expired_key_message(details.message or "")
            if expired is not None:
                details = attrs.evolve(details, message=expired)
        return details

    def _expired_key_message(self, said: str) -> str | None:
        """The message of an authentication failure after the key's expiry (None before it)."""
        expires = self.auth_key_expires_at
        if self.generation == CURRENT and expires is not None and self._now() >= expires:
            return (
                f"the auth key expired at {expires.isoformat()}; {_KEY_HELP} "
                f"(REVE Chat said: {said})"
            )
        return None

    # -- normalized operations: typed wrappers over the generation's rows ---------------------

    def chats(self, **filters: Any) -> Pager[Chat]:
        """Every chat matching ``filters``, fetched page by page until an empty page.

        A missed chat (``missed=True``) never started a conversation: its ``started_at`` is
        when the visitor requested it. Which time zone REVE applies to the dates is not
        documented.

        Args:
            **filters: ``date_from``, ``date_to`` (``datetime.date`` or ``YYYY-MM-DD``),
                ``agent_id`` (int or str), ``agent_email_id`` (str).

        Raises:
            TypeError: An unknown filter name (before any request).
            ValueError: A filter value of the wrong kind, or ``date_from`` after ``date_to``.
        """
        return self._list("chats", filters)

    async def get_chat(self, chat_id: str) -> Chat:
        """One chat by id.

        Args:
            chat_id: REVE's ``chat_id`` (as :attr:`Chat.id <chatapi.Chat.id>` gives it).

        Raises:
            NotFoundError: No such chat.
        """
        chat: Chat = await self._call("get_chat", path_args={"id": chat_id})
        return chat

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Every offline message (REVE documents no filter for them).

        ``read`` comes from REVE's ``unread`` flag; list rows carry no replies (only
        ``reply_message_count``, kept in ``raw``): :meth:`get_offline_message` has them.

        Args:
            **filters: None accepted: the API documents none.

        Raises:
            TypeError: Any filter (before any request).
        """
        return self._list("offline_messages", filters)

    async def get_offline_message(self, message_id: str) -> OfflineMessage:
        """One offline message by id, with its replies (oldest first).

        Args:
            message_id: REVE's ``offline_message_id``.

        Raises:
            NotFoundError: No such offline message.
        """
        message: OfflineMessage = await self._call(
            "get_offline_message", path_args={"id": message_id}
        )
        return message

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent of the account.

        Args:
            **filters: None accepted: the API documents none.

        Raises:
            TypeError: Any filter (before any request).
        """
        return self._list("agents", filters)

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by id.

        Args:
            agent_id: REVE's ``agent_id``.

        Raises:
            NotFoundError: No such agent.
        """
        agent: Agent = await self._call("get_agent", path_args={"id": agent_id})
        return agent

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every visitor of the account (each with the vendor's payload in ``raw``).

        Args:
            **filters: None accepted: the API documents none.

        Raises:
            TypeError: Any filter (before any request).
        """
        return self._list("visitors", filters)

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One visitor by id (the single-visitor answer carries statistics; see ``raw``).

        Args:
            visitor_id: REVE's ``visitor_id``.

        Raises:
            NotFoundError: No such visitor.
        """
        visitor: Visitor = await self._call("get_visitor", path_args={"id": visitor_id})
        return visitor
