"""The core alone builds exceptions from what an adapter reads in an error body."""

from __future__ import annotations

import pytest

from chatapi.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ErrorDetails,
    NotFoundError,
    RateLimitError,
    RequestInfo,
    ServerError,
    WordingTable,
    build_status_error,
)

INFO = RequestInfo("GET", "/x")


def _build(
    status: int, details: ErrorDetails, body: bytes = b"", retry_after: float | None = None
) -> APIStatusError:
    return build_status_error(
        status,
        details,
        vendor="v",
        request=INFO,
        body=body,
        reason="Reason",
        retry_after=retry_after,
    )


def test_the_status_decides_without_a_hint() -> None:
    error = _build(401, ErrorDetails(message="bad key", vendor_code="E1"))
    assert type(error) is AuthenticationError
    assert (error.status, error.message, error.vendor_code, error.request) == (
        401,
        "bad key",
        "E1",
        INFO,
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, NotFoundError), (422, NotFoundError), (429, RateLimitError), (500, ServerError)],
)
def test_a_hint_refines_a_4xx_but_not_throttling_or_server_errors(
    status: int, expected: type[APIStatusError]
) -> None:
    error = _build(status, ErrorDetails(message="m", error_class=NotFoundError))
    assert type(error) is expected
    assert error.status == status


def test_an_envelope_inside_a_2xx_takes_its_hint_or_is_a_bad_request() -> None:
    limited = _build(200, ErrorDetails(message="slow down", error_class=RateLimitError))
    assert type(limited) is RateLimitError and limited.retryable and limited.status == 200
    assert type(_build(200, ErrorDetails(message="no"))) is BadRequestError


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"Service down for maintenance", "Service down for maintenance"),
        (b"<html><body>502 Bad Gateway</body></html>", "Reason"),
        (b"   ", "Reason"),
    ],
)
def test_one_plain_text_and_html_fallback(body: bytes, message: str) -> None:
    assert _build(503, ErrorDetails(), body).message == message


def test_retry_after_header_wins_over_the_body_and_a_redacted_body_is_kept() -> None:
    error = _build(429, ErrorDetails(retry_after=9.0, body=b"redacted"), b"secret", 2.0)
    assert error.retry_after == 2.0
    assert error.body == "redacted"
    assert _build(429, ErrorDetails(retry_after=9.0)).retry_after == 9.0


def test_wording_table_picks_the_first_matching_row() -> None:
    table = WordingTable.of(
        ("permission|forbidden", AuthenticationError), ("not found|no record", NotFoundError)
    )
    assert table.classify("No Record here") is NotFoundError
    assert table.classify(None, "FORBIDDEN") is AuthenticationError
    assert table.classify("fine", None) is None
