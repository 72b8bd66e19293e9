"""The endpoint table: a vendor operation is a row of data that the base client runs.

A vendor client declares ``endpoints``, a mapping of operation name → :class:`Endpoint`.
:meth:`chatapi.BaseClient._call` runs a single-record row, :meth:`chatapi.BaseClient._list`
a listing row; the public methods are short typed wrappers around those two.

A row says: the HTTP method and path template, where its parameters go (query, form or JSON
body), which filters it accepts and how they are encoded, how pages are asked for
(:class:`PageNumber`, :class:`OffsetLimit`) and planned (a :mod:`chatapi.pagination`
strategy), where the records and totals sit in the body, whether repeating the request is
safe, and the decoder that maps one record payload to a model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, Literal, TypeVar

import attrs

from ._core.mapping import map_records
from ._core.paths import path_segment
from .errors import PaginationError, ResponseFormatError
from .filters import FilterSet, as_filter_set
from .pagination import KnownTotal, Params, SinglePage, Strategy, UntilShortPage
from .parameters import ParameterSet

__all__ = [
    "Confirmation",
    "Decoder",
    "Endpoint",
    "FilterEncoder",
    "OffsetLimit",
    "PageNumber",
    "PageRequest",
    "Picker",
    "Reader",
    "listing",
    "number_at",
    "plain",
]

T = TypeVar("T")

#: Maps one record payload to a model: ``(payload, the client's decode context) -> model``.
Decoder = Callable[[Any, Any], T]
#: Turns validated filters (accepted names only) into wire parameters.
FilterEncoder = Callable[[Mapping[str, Any]], Params]
#: Reads something out of a decoded body (the record list, the single record).
Reader = Callable[[Any], Any]
#: Picks the record a call produced out of the records an answer holds, given the call's
#: arguments (path values and keywords); returns ``ErrorDetails`` when none matches.
Picker = Callable[[Sequence[Any], Mapping[str, Any]], Any]
#: Whether the answer of an operation that returns nothing is the acknowledgement the vendor
#: documents (``{"result": ...}``); anything else is a ``ResponseFormatError``.
Confirmation = Callable[[Any], bool]


def plain(mapper: Callable[[Any], T]) -> Decoder[T]:
    """A :data:`Decoder` from a mapper that needs no context (most vendors' mappers)."""

    def decode(payload: Any, _context: Any) -> T:
        return mapper(payload)

    decode.__name__ = getattr(mapper, "__name__", "decode")
    # Endpoint.map calls the mapper itself: no wrapper call per record on the hot path.
    decode.plain_mapper = mapper  # type: ignore[attr-defined]
    return decode


@attrs.frozen
class PageNumber:
    """Pages are asked for by number: ``param=N`` (1-based), with an optional size parameter.

    Attributes:
        param: The page-number parameter (``page``, ``page_no``).
        size_param: The page-size parameter, if the vendor takes one.
    """

    param: str = "page"
    size_param: str | None = None

    def params(self, number: int, size: int | None) -> list[tuple[str, str]]:
        """The paging parameters of page ``number``."""
        pairs = [(self.param, str(number))]
        if self.size_param is not None and size is not None:
            pairs.append((self.size_param, str(size)))
        return pairs


@attrs.frozen
class OffsetLimit:
    """Pages are asked for by offset and limit: page N starts at ``(N - 1) * limit``.

    Attributes:
        offset: The offset parameter.
        limit: The limit parameter.
    """

    offset: str = "offset"
    limit: str = "limit"

    def params(self, number: int, size: int | None) -> list[tuple[str, str]]:
        """The paging parameters of page ``number``.

        Raises:
            ValueError: Without a page size (offsets need one).
        """
        if size is None:
            raise ValueError("offset/limit paging needs a page size")
        return [(self.limit, str(size)), (self.offset, str((number - 1) * size))]


PageRequest = PageNumber | OffsetLimit


def number_at(data: Any, path: str, *, vendor: str) -> int | None:
    """The paging number (a total, a count) at the dotted ``path`` of a body, None if absent.

    Numbers may come as JSON numbers or as decimal strings.

    Raises:
        ResponseFormatError: The value is present but not a whole number (naming the field).
    """
    value = data
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = None
    try:
        if isinstance(value, str):
            return int(value.strip())
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    except ValueError:
        pass
    raise ResponseFormatError(
        f"{vendor} listing has a non-numeric {path!r}: {value!r:.40}", vendor=vendor, field=path
    )


@attrs.frozen(kw_only=True)
class Endpoint(Generic[T]):
    """One vendor operation, as data.

    Attributes:
        path: Path template under the client's base URL. ``{id}`` (and any other name given
            at call time) is filled with the caller's value quoted as one path segment;
            other names come from the client's ``_path_values()`` (an account id).
        decode: Maps one record payload to the model (None: the operation returns None).
        kind: What one record is called in error messages (``"chat"``).
        method: The HTTP method.
        body: Where parameters go: the query string, a form body, or a JSON body.
        idempotent: Whether repeating the request is safe; None: safe for GET only.
            Idempotency belongs to the operation, not the verb (a read sent as POST is).
        filters: The filters a listing accepts and how each is encoded (a
            :class:`~chatapi.filters.FilterSet`; a plain set of names sends each as text);
            any other name is a ``TypeError``.
        encode: Filters → wire parameters, for vendors whose filters combine (default: each
            filter by its codec).
        envelope: Key of an envelope object around the payload (``{"data": ...}``); a body
            without that key is taken as the payload itself. A reader function may decide
            instead (an envelope recognized by more than its payload key).
        items: Where a listing's records are: a key of the payload, a reader function, or
            None for a payload that is the record list itself.
        record: Where a single record is: a key, a reader, or None for the payload itself. A
            reader may return :class:`~chatapi.errors.ErrorDetails` for a successful answer
            that holds no record: the core raises ``NotFoundError`` (or the hinted class).
        total: Dotted keys of the record total, the first present one wins.
        pages: Key of the page count, when the vendor reports one.
        paging: How a page is asked for (None: the listing is one request).
        strategy: How the listing's pages are planned (:mod:`chatapi.pagination`).
        page_size: The page size asked for (None: the vendor's default).
        size_filter: A filter that sets the page size (``page_size``).
        decode_at_once: Whether the answers are decoded on arrival instead of in the
            listing's decode turn (needed when a page's answer decides further requests).
        not_found_ends_listing: Whether a 404 after the first page ends the listing like an
            empty page (vendors that answer "No record found" past the end).
        json_document: Builds a JSON body from the parameter pairs (``body="json"`` rows
            whose document is not a flat object of strings).
        served_size: Dotted key of the page size the vendor says it served. A page-numbered
            listing then counts its pages by the served size (the vendor's page numbers
            rule); an offset/limit listing served fewer than asked raises
            ``PaginationError`` (offsets step by the requested size: records would be
            skipped).
        parameters: The keywords a write (or any call sending typed values) accepts, each
            with its kind and wire name (:class:`~chatapi.parameters.ParameterSet`); they
            are checked before any request and sent where ``body`` says.
        constants: Parameters every request of the row sends (``count=1``).
        pick: When the answer holds a list of records, which one the call produced.
        confirms: For a row without a decoder: whether its answer is the vendor's
            acknowledgement (None: any successful answer is).
        identity: A listing's record identity, for the engine's duplicate checks (default:
            the record's ``id``).
    """

    path: str
    decode: Decoder[T] | None
    kind: str = "record"
    method: str = "GET"
    body: Literal["query", "form", "json"] = "query"
    idempotent: bool | None = None
    filters: FilterSet = attrs.field(factory=FilterSet, converter=as_filter_set)
    encode: FilterEncoder | None = None
    envelope: str | Reader | None = None
    items: str | Reader | None = None
    record: str | Reader | None = None
    total: tuple[str, ...] = ()
    pages: str | None = None
    paging: PageRequest | None = None
    strategy: Strategy = attrs.field(factory=SinglePage)
    page_size: int | None = None
    size_filter: str | None = None
    decode_at_once: bool = False
    not_found_ends_listing: bool = False
    json_document: Callable[[Sequence[tuple[str, str]]], Any] | None = None
    served_size: str | None = None
    parameters: ParameterSet | None = None
    constants: tuple[tuple[str, str], ...] = ()
    pick: Picker | None = None
    confirms: Confirmation | None = None
    identity: Callable[[Any], Any] | None = None

    @property
    def safe_to_repeat(self) -> bool:
        """Whether the request may be retried after it may have been processed."""
        if self.idempotent is not None:
            return self.idempotent
        return self.method in ("GET", "HEAD", "OPTIONS")

    # -- requests ---------------------------------------------------------------------------

    def fill_path(self, values: Mapping[str, str], args: Mapping[str, str | int]) -> str:
        """The path with ``args`` quoted as path segments and ``values`` (the client's, already
        quoted) filled in.

        Raises:
            ValueError: An empty id, ``.`` or ``..`` (see :func:`chatapi._core.paths`).
        """
        quoted = {name: path_segment(value) for name, value in args.items()}
        return self.path.format_map({**values, **quoted})

    def encode_filters(self, filters: Mapping[str, Any]) -> Params:
        """Wire parameters of validated ``filters`` (``None`` values left out): by the row's
        ``encode`` function when it has one, else by each filter's codec."""
        if self.encode is not None:
            return self.encode(filters)
        return self.filters.encode(filters)

    def size_for(self, params: Params) -> int | None:
        """The page size of a listing with encoded ``params``."""
        if self.size_filter is not None:
            value = params.get(self.size_filter)
            if isinstance(value, str):
                return int(value)
        return self.page_size

    def planned(self, params: Params) -> Strategy:
        """The pagination strategy, with the page size of these ``params`` when it matters."""
        size = self.size_for(params)
        strategy = self.strategy
        if size is None:
            return strategy
        if isinstance(strategy, KnownTotal) and strategy.per_page != size:
            return KnownTotal(per_page=size)
        if isinstance(strategy, UntilShortPage) and strategy.per_page != size:
            return UntilShortPage(per_page=size)
        return strategy

    def page_params(self, params: Params, number: int) -> list[tuple[str, str]]:
        """Every parameter of page ``number``: the filters, then the paging parameters."""
        size = self.size_for(params)
        pairs: list[tuple[str, str]] = []
        for name, value in params.items():
            if name == self.size_filter:
                continue
            if isinstance(value, tuple):
                pairs.extend((name, item) for item in value)
            else:
                pairs.append((name, value))
        pairs.extend(self.constants)
        if self.paging is not None:
            pairs.extend(self.paging.params(number, size))
        return pairs

    # -- answers ----------------------------------------------------------------------------

    def unwrap(self, data: Any) -> Any:
        """The payload inside the envelope (the body itself when it has none)."""
        if callable(self.envelope):
            return self.envelope(data)
        if self.envelope is not None and isinstance(data, Mapping) and self.envelope in data:
            return data[self.envelope]
        return data

    def records(self, payload: Any, *, vendor: str, where: str) -> Sequence[Any]:
        """The record payloads of a listing's page.

        Raises:
            ResponseFormatError: The payload holds no record list where the row says.
        """
        items = self.items
        if callable(items):
            found = items(payload)
        elif items is not None and isinstance(payload, Mapping):
            found = payload.get(items)
        else:
            found = payload
        if isinstance(found, list):
            return found
        if isinstance(payload, list):
            return payload  # the same records without the wrapper object
        name = items if isinstance(items, str) else "records"
        raise ResponseFormatError(
            f"{vendor} {where} page has no {name!r} list", vendor=vendor, field=name
        )

    def single(self, payload: Any) -> Any:
        """The record payload of a single-record answer."""
        record = self.record
        if callable(record):
            return record(payload)
        if record is not None and isinstance(payload, Mapping) and record in payload:
            return payload[record]
        return payload

    def totals(self, payload: Any, *, vendor: str) -> tuple[int | None, int | None]:
        """The record total and the page count a page reports (None where it reports none)."""
        total = None
        for path in self.total:
            total = number_at(payload, path, vendor=vendor)
            if total is not None:
                break
        pages = number_at(payload, self.pages, vendor=vendor) if self.pages else None
        return total, pages

    def served_pages(
        self,
        payload: Any,
        params: Params,
        total: int | None,
        pages: int | None,
        *,
        vendor: str,
        where: str,
    ) -> int | None:
        """The page count once the size the vendor says it served is taken into account.

        Raises:
            PaginationError: An offset/limit listing served fewer records than asked.
        """
        if self.served_size is None:
            return pages
        served = number_at(payload, self.served_size, vendor=vendor)
        size = self.size_for(params)
        if served is None or served <= 0 or size is None or served == size:
            return pages
        if isinstance(self.paging, OffsetLimit):
            if served < size:
                raise PaginationError(
                    f"{vendor} {where} serves {served} records per page, fewer than the "
                    f"requested {size}: use page_size={served}",
                    vendor=vendor,
                )
            return pages
        if pages is None and total is not None:
            return math.ceil(max(total, 0) / served)
        return pages

    def map(self, payloads: Sequence[Any], context: Any, *, vendor: str) -> tuple[T, ...]:
        """The models of ``payloads``; a malformed one raises ``ResponseFormatError``."""
        decode = self.decode
        if decode is None:
            return ()
        plain_mapper: Callable[[Any], T] | None = getattr(decode, "plain_mapper", None)
        if plain_mapper is not None:
            return map_records(plain_mapper, payloads, vendor=vendor, kind=self.kind)

        def mapper(payload: Any) -> T:
            return decode(payload, context)

        return map_records(mapper, payloads, vendor=vendor, kind=self.kind)


def listing(
    path: str,
    decode: Decoder[T],
    *,
    per_page: int | None = None,
    **fields: Any,
) -> Endpoint[T]:
    """A page-numbered listing row whose first page reports the total (the common shape).

    Args:
        path: The path template.
        decode: The record decoder.
        per_page: Records per page (derives the page count from a bare total).
        **fields: Any other :class:`Endpoint` field.
    """
    fields.setdefault("paging", PageNumber())
    fields.setdefault("strategy", KnownTotal(per_page=per_page))
    fields.setdefault("page_size", per_page)
    return Endpoint(path=path, decode=decode, **fields)
