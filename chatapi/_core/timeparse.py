"""Turning vendors' many time formats into timezone-aware UTC datetimes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["UTC", "from_epoch_ms", "from_epoch_seconds", "parse_datetime", "to_iso_date"]

UTC = dt.timezone.utc
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def from_epoch_seconds(value: float | int | str) -> dt.datetime:
    """Epoch seconds (number or numeric string) to UTC."""
    return _EPOCH + dt.timedelta(seconds=float(value))


def from_epoch_ms(value: float | int | str) -> dt.datetime:
    """Epoch milliseconds (number or numeric string) to UTC."""
    return _EPOCH + dt.timedelta(milliseconds=float(value))


_NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%Y %I:%M:%S %p",
    "%Y-%m-%d",
)


def parse_datetime(text: str, *, assume: dt.tzinfo | str = UTC) -> dt.datetime:
    """Parse ISO-8601 or a naive ``YYYY-MM-DD HH:MM:SS``-like string to UTC.

    Args:
        text: The vendor's string.
        assume: The timezone a naive value is in (a tzinfo or an IANA name).

    Raises:
        ValueError: When no known format matches.
    """
    tz = ZoneInfo(assume) if isinstance(assume, str) else assume
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    value = _parse_any(s)
    if value is None:
        raise ValueError(f"unrecognized datetime: {text!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _parse_any(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _NAIVE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def to_iso_date(value: dt.date | str, *, name: str) -> str:
    """A ``datetime.date`` or ``YYYY-MM-DD`` string as ``YYYY-MM-DD``.

    Raises:
        ValueError: When ``value`` is neither, naming the parameter.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{name} must be a datetime.date or a 'YYYY-MM-DD' string, got {value!r}")
