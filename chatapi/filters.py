"""Listing filters as data: each accepted filter and how its value is encoded on the wire.

An endpoint row (:mod:`chatapi.endpoints`) names its filters with a :class:`FilterSet`, a
mapping of filter name → codec. A codec checks a caller's value and turns it into a wire
parameter: :class:`Text`, :class:`Identifier`, :class:`Date`, :class:`Flag`,
:class:`Integer`, :class:`Choice`, :class:`Repeated`. Every codec can rename the parameter
(``wire="requester[mail]"``), so a filter keeps a Python-safe name while the wire gets the
vendor's.

Example:
    >>> chats = FilterSet({"date_from": Date(), "tag": Repeated("tag[]"), "query": Text()})
    >>> chats.encode({"date_from": "2024-01-01", "tag": ["vip", "new"]})
    {'date_from': '2024-01-01', 'tag[]': ('vip', 'new')}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

import attrs

from ._core.timeparse import to_iso_date

__all__ = [
    "Choice",
    "Date",
    "FilterCodec",
    "FilterSet",
    "Flag",
    "Identifier",
    "Integer",
    "Repeated",
    "Text",
    "WireValue",
    "as_filter_set",
]

#: What one filter becomes on the wire: a value, or a repeated parameter's values.
WireValue = str | tuple[str, ...]


class FilterCodec(Protocol):
    """Checks one filter's value and encodes it (``ValueError`` naming the filter if wrong)."""

    @property
    def wire(self) -> str | None:
        """The wire parameter's name (None: the filter's own name)."""

    def encode(self, name: str, value: Any) -> WireValue:
        """The wire value of ``value`` for the filter ``name``."""


def _scalar(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, int)):
        return str(value)
    raise ValueError(f"{name} must be a string or an int, got {type(value).__name__}")


@attrs.frozen
class Text:
    """A string or an int, sent as text (a bool as ``1``/``0``)."""

    wire: str | None = None

    def encode(self, name: str, value: Any) -> WireValue:
        """The value as text."""
        return _scalar(name, value)


@attrs.frozen
class Identifier:
    """An id: an int or a non-empty string (stripped), sent as text; a bool is refused."""

    wire: str | None = None

    def encode(self, name: str, value: Any) -> WireValue:
        """The id as text."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise ValueError(f"{name} must be an int or a non-empty string, got {value!r}")


def dates_in_order(
    start: str = "date_from", end: str = "date_to"
) -> Callable[[Mapping[str, WireValue]], None]:
    """A :class:`FilterSet` check: the ``start`` date is not after the ``end`` date."""

    def check(params: Mapping[str, WireValue]) -> None:
        first, last = params.get(start), params.get(end)
        if isinstance(first, str) and isinstance(last, str) and first > last:
            raise ValueError(f"{start} {first} is after {end} {last}")

    return check


@attrs.frozen
class Date:
    """A ``datetime.date`` or a ``YYYY-MM-DD`` string, sent as ``YYYY-MM-DD``."""

    wire: str | None = None

    def encode(self, name: str, value: Any) -> WireValue:
        """The date as ``YYYY-MM-DD``."""
        if isinstance(value, dt.datetime):
            value = value.date()
        return to_iso_date(value, name=name)


@attrs.frozen
class Flag:
    """A bool (or ``1``/``0``), sent as ``1``/``0`` (or the given ``true``/``false`` texts)."""

    wire: str | None = None
    true: str = "1"
    false: str = "0"

    def encode(self, name: str, value: Any) -> WireValue:
        """``true`` or ``false``."""
        if value not in (True, False, 0, 1, "0", "1"):
            raise ValueError(f"{name} must be a bool (or 1/0), got {value!r}")
        return self.true if value in (True, 1, "1") else self.false


@attrs.frozen
class Integer:
    """A whole number within ``[minimum, maximum]`` (bounds optional), sent as text."""

    wire: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def encode(self, name: str, value: Any) -> WireValue:
        """The number as text."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {type(value).__name__}")
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            low = "" if self.minimum is None else f" >= {self.minimum}"
            high = "" if self.maximum is None else f" <= {self.maximum}"
            raise ValueError(
                f"{name} must be{low}{' and' if low and high else ''}{high}, got {value}"
            )
        return str(value)


@attrs.frozen(init=False)
class Choice:
    """One of a fixed set of texts (compared case-insensitively, sent lower-cased)."""

    choices: frozenset[str]
    wire: str | None = None

    def __init__(self, *choices: str, wire: str | None = None) -> None:
        self.__attrs_init__(frozenset(c.lower() for c in choices), wire)

    def encode(self, name: str, value: Any) -> WireValue:
        """The chosen text."""
        text = value.strip().lower() if isinstance(value, str) else None
        if text not in self.choices:
            known = ", ".join(repr(c) for c in sorted(self.choices))
            raise ValueError(f"{name} must be one of {known}, got {value!r}")
        return text


@attrs.frozen
class Repeated:
    """One value or a list of them, sent as a repeated parameter (``tag[]=a&tag[]=b``)."""

    wire: str | None = None

    def encode(self, name: str, value: Any) -> WireValue:
        """The values as texts."""
        values = (value,) if isinstance(value, (str, int)) else tuple(value)
        return tuple(_scalar(name, item) for item in values)


@attrs.frozen(init=False)
class FilterSet:
    """The filters a listing accepts, each with its codec, and a check across them.

    Iterating, ``in`` and ``len`` see the filter names, so a set of names compares equal to
    :attr:`names`.

    Args:
        codecs: Filter name → codec.
        check: Runs on the encoded parameters (a ``date_from`` after ``date_to``, say) and
            raises ``ValueError``.
    """

    codecs: Mapping[str, FilterCodec]
    check: Callable[[Mapping[str, WireValue]], None] | None

    def __init__(
        self,
        codecs: Mapping[str, FilterCodec] | None = None,
        *,
        check: Callable[[Mapping[str, WireValue]], None] | None = None,
    ) -> None:
        self.__attrs_init__(dict(codecs or {}), check)

    @classmethod
    def text(cls, names: Iterable[str]) -> FilterSet:
        """Filters sent as given (each value as text)."""
        return cls({name: Text() for name in names})

    @property
    def names(self) -> frozenset[str]:
        """The accepted filter names."""
        return frozenset(self.codecs)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codecs)

    def __contains__(self, name: object) -> bool:
        return name in self.codecs

    def __len__(self) -> int:
        return len(self.codecs)

    def encode(self, filters: Mapping[str, Any]) -> dict[str, WireValue]:
        """The wire parameters of ``filters`` (``None`` values left out).

        Raises:
            TypeError: A filter this set does not accept.
            ValueError: A value of the wrong kind, naming the filter.
        """
        params: dict[str, WireValue] = {}
        for name, value in filters.items():
            codec = self.codecs.get(name)
            if codec is None:
                raise TypeError(f"unknown filter {name!r}")
            if value is None:
                continue
            params[codec.wire or name] = codec.encode(name, value)
        if self.check is not None:
            self.check(params)
        return params


def as_filter_set(value: FilterSet | Iterable[str]) -> FilterSet:
    """``value`` as a :class:`FilterSet` (a plain set of names: each sent as text)."""
    if isinstance(value, FilterSet):
        return value
    return FilterSet.text(value)
