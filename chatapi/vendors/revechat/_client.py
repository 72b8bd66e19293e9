"""The REVE Chat REST client (``https://api.revechat.com/api/...``), both API generations."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable, Hashable, Mapping
from typing import Any, ClassVar, TypeVar

from ..._base_client import BaseClient, status_error_from_body
from ..._core.mapping import map_records
from ..._core.paths import path_segment
from ..._core.secrets import Secret
from ..._core.timeparse import UTC
from ..._transport import RawResponse
from ...errors import (
    AuthenticationError,
    ChatAPIError,
    ConfigurationError,
    NotFoundError,
    RateLimitError,
    RequestInfo,
    ResponseFormatError,
    make_status_error,
)
from ...models import Agent, Chat, OfflineMessage, Visitor
from ...pagination import Page, PageFetcher, Pager, Params, UntilEmpty
from ._authkey import read_claims
from ._convert import (
    agent_from_payload,
    chat_from_payload,
    offline_message_from_payload,
    visitor_from_payload,
)
from ._errors import envelope_error, extract_error
from ._filters import (
    AGENT_FILTERS,
    CHAT_FILTERS,
    OFFLINE_MESSAGE_FILTERS,
    VISITOR_FILTERS,
    encode_chat_filters,
)

__all__ = ["ReveChat"]

logger = logging.getLogger("chatapi")
T = TypeVar("T")

#: Warn when the auth key has less than this left ("valid for 30 days", research notes §1.1).
EXPIRY_WARNING = dt.timedelta(days=3)
_KEY_HELP = "generate a new one in REVE Chat under Settings > Security > Auth Key"

LEGACY = "legacy"
CURRENT = "current"

#: Listing paths of the current generation. Only agents (no trailing slash) and chats (with
#: one) are published (research notes §1.1); the others follow the chats shape [inferred].
_CURRENT_LISTINGS = {
    "agents": "/api/agents/{account}",
    "chats": "/api/chats/{account}/",
    "offlinemessages": "/api/offlinemessages/{account}/",
    "visitors": "/api/visitors/{account}/",
}


def _record_id(record: Any) -> Hashable:
    # Every REVE record has its own id (chat_id, agent_id, ...): the dedupe key.
    key: Hashable = record.id
    return key


#: The only keys of an envelope that carries no records (no ``body`` at all).
_ENVELOPE_KEYS = frozenset({"status", "message", "code"})


def _bodyless_success(data: Any) -> bool:
    """Whether ``data`` is ``{"status": "success", "message": ...}`` with no ``body``.

    Only the success envelope of the current generation is published (research notes §1.3);
    an answer without records may plausibly leave ``body`` out. Records have a ``status``
    too (an agent's ``"OFFLINE"``), hence the strict key set.
    """
    if not isinstance(data, Mapping) or "body" in data or not set(data) <= _ENVELOPE_KEYS:
        return False
    status = data.get("status")
    return isinstance(status, str) and status.strip().lower() == "success"


class ReveChat(BaseClient):
    """Client of the REVE Chat REST API, legacy or current generation.

    * Legacy (docs.revechat.com): ``email`` + ``password`` → HTTP Basic; paths
      ``/api/<resource>/``; bodies are bare JSON arrays.
    * Current (revechat.com/hc, 2025): ``auth_key`` (the JWT from *Settings → Security →
      Auth Key*, valid 30 days) sent as ``Authorization: <key>`` with no scheme word, and
      ``account_id`` as a path segment (``/api/agents/{account_id}``); bodies are
      ``{"status", "message", "body": [...]}`` envelopes.

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
    capabilities = {
        "chats": CHAT_FILTERS,
        "offline_messages": OFFLINE_MESSAGE_FILTERS,
        "agents": AGENT_FILTERS,
        "visitors": VISITOR_FILTERS,
    }

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
        # Some callers send "Bearer <key>" (research notes §1.1): the claims are the same.
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
        # <auth key>'" (research notes §1.1); Basic for the legacy one ("-u email:password").
        return {"Authorization": self._secret.reveal(), "Accept": "application/json"}

    def _classify(
        self, response: RawResponse, data: Any, info: RequestInfo, retry_after: float | None
    ) -> ChatAPIError | None:
        status = response.status
        if 200 <= status < 300:
            found = envelope_error(data)
            if found is None:
                return None
            vendor_error, error_class = found
            message = vendor_error.message
            if error_class is AuthenticationError:
                message = self._auth_message(message)
            wait = retry_after
            if wait is None and error_class is RateLimitError:
                wait = vendor_error.wait
            return status_error_from_body(
                vendor=self.vendor,
                status=status,
                info=info,
                message=message,
                vendor_code=vendor_error.code,
                body=response.body,
                retry_after=wait,
                error_class=error_class,
            )
        vendor_error = extract_error(response.body, response.reason or f"HTTP {status}")
        message = vendor_error.message
        if status == 401:
            message = self._auth_message(message)
        wait = retry_after
        if wait is None and status in (429, 503):
            # "a body that details ... the amount of time you have to wait" (research notes
            # §1.2): the header is not documented, so the body's value counts when it is absent.
            wait = vendor_error.wait
        return status_error_from_body(
            vendor=self.vendor,
            status=status,
            info=info,
            message=message,
            vendor_code=vendor_error.code,
            body=response.body,
            retry_after=wait,
        )

    def _auth_message(self, message: str) -> str:
        expires = self.auth_key_expires_at
        if self.generation == CURRENT and expires is not None and self._now() >= expires:
            return (
                f"the auth key expired at {expires.isoformat()}; {_KEY_HELP} "
                f"(REVE Chat said: {message})"
            )
        return message

    # -- paths and bodies -------------------------------------------------------------------

    def _list_path(self, resource: str) -> str:
        if self.generation == LEGACY:
            # "/api/offlinemessages/", "/api/agents/" ... (legacy docs).
            return f"/api/{resource}/"
        account = path_segment(self.account_id or "")
        return _CURRENT_LISTINGS[resource].format(account=account)

    def _item_path(self, resource: str, record_id: str) -> str:
        segment = path_segment(record_id)
        if self.generation == LEGACY:
            # "/api/offlinemessages/744", "/api/agents/463" (legacy docs).
            return f"/api/{resource}/{segment}"
        # Unpublished for the current generation: the account id takes the place the legacy
        # paths give the record id (/api/agents/{account_id}), so the record id follows it.
        return f"/api/{resource}/{path_segment(self.account_id or '')}/{segment}"

    def _records(self, data: Any, path: str) -> list[Any]:
        """The records of a listing body: a bare array (legacy) or an envelope's ``body``."""
        if isinstance(data, list):
            return data
        if _bodyless_success(data):
            return []
        if isinstance(data, Mapping) and "body" in data:
            body = data["body"]
            if body is None:
                # An envelope with no records at all: the end of the listing.
                return []
            if isinstance(body, list):
                return body
        raise ResponseFormatError(
            f"revechat {path} answered neither a JSON array nor a {{'body': [...]}} envelope",
            vendor=self.vendor,
            field="body",
        )

    def _record(self, data: Any, info: RequestInfo, kind: str) -> Any:
        """The single record of a ``get_*`` body, bare or in an envelope."""
        record = data
        enveloped = _bodyless_success(data) or (isinstance(data, Mapping) and "body" in data)
        if enveloped:
            record = data.get("body")
        if enveloped and (record is None or record == []):
            message = data.get("message")
            raise make_status_error(
                200,
                str(message) if isinstance(message, str) and message else f"no {kind} found",
                vendor=self.vendor,
                request=info,
                error_class=NotFoundError,
            )
        if isinstance(record, list) and len(record) == 1:
            record = record[0]
        if not isinstance(record, Mapping):
            raise ResponseFormatError(
                f"revechat {info} did not answer one {kind} object",
                vendor=self.vendor,
                request=info,
            )
        return record

    # -- listings ---------------------------------------------------------------------------

    def _fetcher(self, resource: str, mapper: Callable[[Any], T], kind: str) -> PageFetcher[T]:
        path = self._list_path(resource)

        async def fetch(params: Params, number: int) -> Page[T]:
            # "page_no: The requested page number. Default value: 1" (every listing's doc).
            query = {**params, "page_no": str(number)}
            try:
                response = await self._request("GET", path, params=query)
            except NotFoundError as error:
                # What REVE answers past the last page is undocumented (research notes §1.4:
                # "end-of-list = empty array is [I]"); its "No Record found" 404s
                # (offline messages doc) suggest it may be a 404. After page 1 proved the path
                # right, a 404 ends the listing like an empty page instead of failing it.
                if number == 1 or error.status != 404:
                    raise
                logger.info("revechat: %s page %d answered 404: end of listing", path, number)
                return Page(items=(), number=number, raw=None)
            records = self._records(response.data, path)
            items = map_records(mapper, records, vendor=self.vendor, kind=kind)
            return Page(items=items, number=number, raw=response.data)

        return fetch

    def _listing(self, fetch: PageFetcher[T], params: Params) -> Pager[T]:
        return self._pager(fetch, params, UntilEmpty(), _record_id)

    async def _get_one(
        self, resource: str, record_id: str, mapper: Callable[[Any], T], kind: str
    ) -> T:
        path = self._item_path(resource, str(record_id))
        response = await self._request("GET", path)
        record = self._record(response.data, RequestInfo("GET", path), kind)
        return map_records(mapper, (record,), vendor=self.vendor, kind=kind)[0]

    # -- normalized operations --------------------------------------------------------------

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
        self._check_filters("chats", filters)
        params = encode_chat_filters(filters)
        fetch = self._fetcher("chats", chat_from_payload, "chat")
        return self._listing(fetch, params)

    async def get_chat(self, chat_id: str) -> Chat:
        """One chat by id.

        Args:
            chat_id: REVE's ``chat_id`` (as :attr:`Chat.id <chatapi.Chat.id>` gives it).

        Raises:
            NotFoundError: No such chat.
        """
        return await self._get_one("chats", chat_id, chat_from_payload, "chat")

    def offline_messages(self, **filters: Any) -> Pager[OfflineMessage]:
        """Every offline message (REVE documents no filter for them).

        ``read`` comes from REVE's ``unread`` flag; list rows carry no replies (only
        ``reply_message_count``, kept in ``raw``): :meth:`get_offline_message` has them.

        Args:
            **filters: None accepted: the API documents none.

        Raises:
            TypeError: Any filter (before any request).
        """
        self._check_filters("offline_messages", filters)
        fetch = self._fetcher("offlinemessages", offline_message_from_payload, "offline message")
        return self._listing(fetch, {})

    async def get_offline_message(self, message_id: str) -> OfflineMessage:
        """One offline message by id, with its replies (oldest first).

        Args:
            message_id: REVE's ``offline_message_id``.

        Raises:
            NotFoundError: No such offline message.
        """
        return await self._get_one(
            "offlinemessages", message_id, offline_message_from_payload, "offline message"
        )

    def agents(self, **filters: Any) -> Pager[Agent]:
        """Every agent of the account.

        Args:
            **filters: None accepted: the API documents none.

        Raises:
            TypeError: Any filter (before any request).
        """
        self._check_filters("agents", filters)
        fetch = self._fetcher("agents", agent_from_payload, "agent")
        return self._listing(fetch, {})

    async def get_agent(self, agent_id: str) -> Agent:
        """One agent by id.

        Args:
            agent_id: REVE's ``agent_id``.

        Raises:
            NotFoundError: No such agent.
        """
        return await self._get_one("agents", agent_id, agent_from_payload, "agent")

    def visitors(self, **filters: Any) -> Pager[Visitor]:
        """Every visitor of the account (each with the vendor's payload in ``raw``).

        Args:
            **filters: None accepted: the API documents none.

        Raises:
            TypeError: Any filter (before any request).
        """
        self._check_filters("visitors", filters)
        fetch = self._fetcher("visitors", visitor_from_payload, "visitor")
        return self._listing(fetch, {})

    async def get_visitor(self, visitor_id: str) -> Visitor:
        """One visitor by id (the single-visitor answer carries statistics; see ``raw``).

        Args:
            visitor_id: REVE's ``visitor_id``.

        Raises:
            NotFoundError: No such visitor.
        """
        return await self._get_one("visitors", visitor_id, visitor_from_payload, "visitor")
