"""The one error hierarchy of chatapi.

Every failure a client can raise is a :class:`ChatAPIError`. HTTP answers are mapped to a
subclass of :class:`APIStatusError` in exactly one place (:func:`status_error_class`), whatever
the vendor; vendors only extract their message and code from the body.

No error ever carries a credential: errors hold the method and the path of the request (no query
string, no headers), the vendor's message and code, never the request's auth header.
"""

from __future__ import annotations

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChatAPIError",
    "ConfigurationError",
    "ConflictError",
    "ErrorDetails",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestInfo",
    "ResponseFormatError",
    "ServerError",
    "UnsupportedOperationError",
    "WordingTable",
    "build_status_error",
    "make_status_error",
    "status_error_class",
    "text_message",
]

import re
from collections.abc import Iterable
from typing import NamedTuple

import attrs


class RequestInfo(NamedTuple):
    """What an error tells about the request that failed: method and path, nothing secret."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


class ChatAPIError(Exception):
    """Base class of every error chatapi raises.

    Attributes:
        vendor: The vendor name (``"livechat"``, ``"revechat"``, ``"acquire"``) or None.
        retryable: Whether repeating the same call may succeed.
        retry_after: Seconds the vendor asked us to wait before trying again, if it said.
    """

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        vendor: str | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.vendor = vendor
        if retryable is not None:
            self.retryable = retryable
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, vendor={self.vendor!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors do not pickle by default; errors cross process
        # boundaries in bulk exports run with multiprocessing.
        return (_rebuild_error, (type(self), self.__dict__.copy()))


def _rebuild_error(cls: type[ChatAPIError], state: dict[str, object]) -> ChatAPIError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class ConfigurationError(ChatAPIError):
    """Missing, contradictory or malformed client configuration (credentials, vendor name)."""


class UnsupportedOperationError(ChatAPIError):
    """The vendor has no endpoint for this normalized operation."""


class PaginationError(ChatAPIError):
    """Listing cannot be completed faithfully (runaway, looping or truncated pagination)."""


class ResponseFormatError(ChatAPIError):
    """The vendor's body cannot be decoded or lacks what the operation needs.

    Attributes:
        field: The missing or malformed field, when one is to blame.
    """

    def __init__(
        self,
        message: str,
        *,
        vendor: str | None = None,
        field: str | None = None,
        request: RequestInfo | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message, vendor=vendor, retryable=retryable)
        self.field = field
        self.request = request


class APIConnectionError(ChatAPIError):
    """The request did not get a complete HTTP answer (refused, reset, closed, truncated)."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        vendor: str | None = None,
        request: RequestInfo | None = None,
        sent: bool = True,
    ) -> None:
        super().__init__(message, vendor=vendor)
        self.request = request
        #: False when the request provably never left this machine (connect failure):
        #: only then may a non-idempotent call be retried.
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """An attempt took longer than the configured timeout."""


class APIStatusError(ChatAPIError):
    """The vendor answered with an error (an HTTP error status or an error envelope).

    Attributes:
        status: The real HTTP status (200 for an error envelope inside a 200).
        vendor_code: The vendor's own error code, when it gives one.
        request: Method and path of the failed request.
        body: The start of the response body (at most 64 KiB), for diagnosis.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        vendor: str | None = None,
        vendor_code: str | None = None,
        request: RequestInfo | None = None,
        body: str | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, vendor=vendor, retryable=retryable, retry_after=retry_after)
        self.status = status
        self.vendor_code = vendor_code
        self.request = request
        self.body = body

    @property
    def method(self) -> str | None:
        """HTTP method of the failed request."""
        return self.request.method if self.request else None

    @property
    def path(self) -> str | None:
        """URL path of the failed request (no query string)."""
        return self.request.path if self.request else None

    def __str__(self) -> str:
        where = f" ({self.request})" if self.request else ""
        code = f" [{self.vendor_code}]" if self.vendor_code else ""
        return f"{self.status}{code}: {self.message}{where}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, vendor={self.vendor!r}, "
            f"vendor_code={self.vendor_code!r}, message={self.message!r}, "
            f"request={str(self.request) if self.request else None!r})"
        )


class BadRequestError(APIStatusError):
    """400 or 422: the vendor rejected the request's parameters (its message says which)."""


class AuthenticationError(APIStatusError):
    """401: the credentials are invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials lack the permission for this resource."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the resource's state conflicts with the request."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long the vendor wants us to wait."""

    retryable = True


class ServerError(APIStatusError):
    """5xx: the vendor failed."""

    retryable = True


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    # Unprocessable Entity: a request that parsed but failed validation.
    422: BadRequestError,
    429: RateLimitError,
}

#: Statuses worth repeating for an idempotent call, besides 5xx subclasses.
_RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def status_error_class(status: int) -> type[APIStatusError]:
    """The error class for an HTTP status: the single place that mapping lives."""
    cls = _STATUS_CLASSES.get(status)
    if cls is not None:
        return cls
    if status >= 500:
        return ServerError
    return APIStatusError


def is_retryable_status(status: int) -> bool:
    """Whether an idempotent request answered with ``status`` may succeed when repeated."""
    return status in _RETRYABLE_STATUSES


def make_status_error(
    status: int,
    message: str,
    *,
    vendor: str | None = None,
    vendor_code: str | None = None,
    request: RequestInfo | None = None,
    body: str | None = None,
    retry_after: float | None = None,
    error_class: type[APIStatusError] | None = None,
    retryable: bool | None = None,
) -> APIStatusError:
    """Build the error for an HTTP status (or a vendor envelope mapped to one).

    Args:
        status: The real HTTP status of the answer.
        message: The vendor's message, already extracted from the body.
        vendor: The vendor name.
        vendor_code: The vendor's own error code.
        request: Method and path of the request.
        body: The start of the body, for diagnosis.
        retry_after: Seconds to wait, when the vendor said.
        error_class: Override the class chosen from ``status`` (an error envelope inside a
            200 names its kind in the body, not in the status).
        retryable: Override whether repeating may help (default: from the status, or True
            for the rate-limit and server-error classes of an envelope inside a 2xx).
    """
    cls = error_class or status_error_class(status)
    return cls(
        message,
        status=status,
        vendor=vendor,
        vendor_code=vendor_code,
        request=request,
        body=body,
        retryable=retryable
        if retryable is not None
        else is_retryable_status(status)
        or cls is RateLimitError
        or (status < 300 and issubclass(cls, ServerError)),
        retry_after=retry_after,
    )


@attrs.frozen(kw_only=True)
class ErrorDetails:
    """What a vendor's error answer says, as the vendor adapter reads it.

    An adapter only extracts this from a body; the core alone builds the exception (class,
    retryability, scrubbing) from it and the answer's real status.

    Attributes:
        message: The vendor's message (None: the core uses the body's text or the HTTP reason).
        vendor_code: The vendor's own error code.
        error_class: A class hint: the class the body asks for. It decides for an error inside
            a 2xx envelope, and refines a 4xx other than 429 (a 400 whose code says "not
            found"); throttling and server errors keep the class of their status.
        retry_after: Seconds to wait, when the body says (an HTTP ``Retry-After`` header wins).
        body: The body to keep on the error, when the adapter redacted it (default: as
            received).
    """

    message: str | None = None
    vendor_code: str | None = None
    error_class: type[APIStatusError] | None = None
    retry_after: float | None = None
    body: bytes | None = None


@attrs.frozen
class WordingTable:
    """Message wording → error class, for vendors whose errors carry no code or status.

    Rows are ``(pattern, class)`` pairs tried in order; a pattern is a regular expression
    searched case-insensitively.

    Example:
        >>> table = WordingTable.of(("not found|no record", NotFoundError))
        >>> table.classify("No record found") is NotFoundError
        True
    """

    rows: tuple[tuple[re.Pattern[str], type[APIStatusError]], ...]

    @classmethod
    def of(cls, *rows: tuple[str, type[APIStatusError]]) -> WordingTable:
        """A table from ``(regular expression, class)`` pairs."""
        return cls(tuple((re.compile(pattern, re.I), error) for pattern, error in rows))

    def classify(self, *texts: str | None) -> type[APIStatusError] | None:
        """The class of the first row matching any of ``texts``, or None."""
        candidates: Iterable[str] = [text for text in texts if text]
        for pattern, error in self.rows:
            if any(pattern.search(text) for text in candidates):
                return error
        return None


#: Longest message kept from a plain-text (non-JSON) error body.
_TEXT_MESSAGE_CHARS = 500


def text_message(text: str, fallback: str) -> str:
    """The message of a plain-text error body: its text, unless it is empty or an HTML page
    (a proxy's error page says nothing useful), then ``fallback`` (the HTTP reason)."""
    stripped = text.strip()
    if stripped and not stripped.startswith("<"):
        return stripped[:_TEXT_MESSAGE_CHARS]
    return fallback


#: Bytes of an error body kept on the error, for diagnosis.
_BODY_CHARS = 4096


def build_status_error(
    status: int,
    details: ErrorDetails,
    *,
    vendor: str | None,
    request: RequestInfo | None,
    body: bytes,
    reason: str | None,
    retry_after: float | None,
) -> APIStatusError:
    """The hierarchy's error for an answer, from what the vendor's adapter read in it.

    The one place an adapter's reading becomes an exception.

    Args:
        status: The real HTTP status (2xx for an error envelope).
        details: The adapter's reading of the body.
        vendor: The vendor name.
        request: Method and path of the request.
        body: The body as received (``details.body`` replaces it when set).
        reason: The HTTP reason phrase.
        retry_after: Seconds from the ``Retry-After`` header, if it had one.
    """
    kept = details.body if details.body is not None else body
    message = details.message
    if not message:
        message = text_message(kept.decode("utf-8", "replace"), reason or f"HTTP {status}")
    hint = details.error_class
    if status < 300:
        error_class: type[APIStatusError] | None = hint or BadRequestError
    elif hint is not None and 400 <= status < 500 and status != 429:
        error_class = hint
    else:
        error_class = None
    wait = retry_after if retry_after is not None else details.retry_after
    return make_status_error(
        status,
        message,
        vendor=vendor,
        vendor_code=details.vendor_code,
        request=request,
        body=kept[:_BODY_CHARS].decode("utf-8", "replace"),
        retry_after=wait,
        error_class=error_class,
    )
