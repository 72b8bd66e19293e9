"""The Acquire dispatcher and what both generations share: configuration, auth, error hooks.

``Acquire(token=...)`` builds an :class:`~chatapi.vendors.acquire.AcquireV1` (``_v1.py``),
``Acquire(api_key=..., account_id=...)`` an :class:`~chatapi.vendors.acquire.AcquireV2`
(``_v2.py``): the two generations share no host, verb, envelope or field name
(https://developer.acquire.io/ and https://developer.acquire.io/v/2.0.0/), so each is its own
subclass with its own endpoint rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..._base_client import BaseClient
from ..._core.secrets import Secret
from ...errors import ConfigurationError, ErrorDetails
from ._errors import envelope_error, http_error

__all__ = ["Acquire"]

#: The generation name -> its client class (filled as ``_v1``/``_v2`` define them).
_GENERATIONS: dict[str, type[Acquire]] = {}


def credential(name: str, value: Any) -> Secret:
    """A credential option as a :class:`Secret`.

    Raises:
        ConfigurationError: Empty, not a string, or with a line break.
    """
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string", vendor=Acquire.vendor)
    if any(ch in value for ch in "\r\n"):
        # A line break would let the value add headers to every request.
        raise ConfigurationError(f"{name} contains a line break", vendor=Acquire.vendor)
    return Secret(value.strip())


def _zone(value: str | dt.tzinfo) -> dt.tzinfo:
    if isinstance(value, dt.tzinfo):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            "timezone must be an IANA name or a datetime.tzinfo", vendor=Acquire.vendor
        )
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(
            f"unknown timezone {value!r} (use an IANA name such as 'Europe/London')",
            vendor=Acquire.vendor,
        ) from exc


def _generation(token: str | None, api_key: str | None, account_id: str | int | None) -> str:
    if token is not None and (api_key is not None or account_id is not None):
        raise ConfigurationError(
            "Acquire takes either token (v1) or api_key + account_id (v2), not both",
            vendor=Acquire.vendor,
        )
    if token is not None:
        return "v1"
    if api_key is not None or account_id is not None:
        return "v2"
    raise ConfigurationError(
        "Acquire needs credentials: token (v1 API) or api_key + account_id (v2 API)",
        vendor=Acquire.vendor,
    )


class Acquire(BaseClient):
    """Client of the Acquire (acquire.io) REST APIs, both generations.

    ``Acquire(token=...)`` returns an :class:`AcquireV1` (``https://app.acquire.io/api``, the
    generation of the Profile Message API); ``Acquire(api_key=..., account_id=...)`` returns an
    :class:`AcquireV2` (``https://{account_id}.acquire.io/api/v1``).

    Args:
        token: v1 API token (*Setting > API Token and Whitelist*), sent as a Bearer token.
        api_key: v2 API key (*Settings > For Developers > API Key*), sent as a Bearer token.
        account_id: v2 account (the instance's subdomain); optional with a ``base_url``.
        timezone: Zone of the naive ``YYYY-MM-DD HH:MM:SS`` times Acquire sends (an IANA name
            or a tzinfo; default UTC: Acquire does not say which zone they are in).
        **options: ``base_url``, ``session``, ``max_concurrency``, ``max_retries``,
            ``timeout``, ``retry_policy`` (see :class:`chatapi.BaseClient`).

    Raises:
        ConfigurationError: Missing or contradictory credentials, a malformed account id or an
            unknown timezone.

    Example:
        >>> async with chatapi.Acquire(token="TOKEN", timezone="Asia/Kolkata") as acq:
        ...     async for agent in acq.agents():
        ...         print(agent.id, agent.name)
    """

    vendor = "acquire"
    default_base_url = "https://app.acquire.io/api"
    #: ``"v1"`` or ``"v2"``.
    generation: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.generation and cls.generation not in _GENERATIONS:
            _GENERATIONS[cls.generation] = cls

    def __new__(
        cls,
        *,
        token: str | None = None,
        api_key: str | None = None,
        account_id: str | int | None = None,
        **options: Any,
    ) -> Acquire:
        target = _GENERATIONS[_generation(token, api_key, account_id)]
        if cls is Acquire:
            cls = target
        elif cls is not target:
            wanted = "token" if cls.generation == "v1" else "api_key + account_id"
            raise ConfigurationError(f"{cls.__name__} takes {wanted}", vendor=cls.vendor)
        return super().__new__(cls)

    def __init__(
        self,
        *,
        token: str | None = None,
        api_key: str | None = None,
        account_id: str | int | None = None,
        timezone: str | dt.tzinfo = dt.timezone.utc,
        **options: Any,
    ) -> None:
        self.timezone = _zone(timezone)
        self._secret = self._configure(token, api_key, account_id, options)
        super().__init__(**options)

    def _configure(
        self,
        token: str | None,
        api_key: str | None,
        account_id: str | int | None,
        options: dict[str, Any],
    ) -> Secret:
        raise NotImplementedError

    # -- hooks ------------------------------------------------------------------------------

    def _auth_kind(self) -> str:
        return f"bearer ({self.generation})"

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._secret.reveal()}", "Accept": "application/json"}

    def _error_details(self, status: int, data: Any, text: str) -> ErrorDetails | None:
        return http_error(data, text)

    def _envelope_error(self, data: Any) -> ErrorDetails | None:
        # v1 reports failures inside HTTP 200 ({"success": false, ...}): see _errors.py.
        return envelope_error(data)

    def _decode_context(self) -> Any:
        # The zone of Acquire's naive times: every decoder's second argument.
        return self.timezone
