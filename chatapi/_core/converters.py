"""The JSON-safe round trip of models (:func:`to_dict` / :func:`from_dict`).

One cattrs converter, built once at import. Wire rules for vendor payloads live in the vendor
packages; this module only knows the normalized models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from ..errors import ResponseFormatError
from ..models import Chat
from .timeparse import parse_datetime

__all__ = ["from_dict", "to_dict"]

T = TypeVar("T")


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter()
    conv.register_unstructure_hook(dt.datetime, lambda value: value.isoformat())
    conv.register_structure_hook(dt.datetime, lambda value, _: parse_datetime(value))
    # A chat's deferred-transcript loader is not data: leave it out of the wire form.
    conv.register_unstructure_hook(
        Chat,
        make_dict_unstructure_fn(Chat, conv, _message_source=override(omit=True)),
    )
    return conv


_converter = _make_converter()


def to_dict(obj: Any, *, include_raw: bool = True) -> dict[str, Any]:
    """A model as plain JSON-safe data (ISO-8601 datetimes, enum values).

    Args:
        obj: A model instance (``Chat``, ``Agent``, ...).
        include_raw: Keep each record's vendor payload under ``raw``.
    """
    data: dict[str, Any] = _converter.unstructure(obj)
    if not include_raw:
        _drop_raw(data)
    return data


def _drop_raw(data: Any) -> None:
    if isinstance(data, dict):
        data.pop("raw", None)
        for value in data.values():
            _drop_raw(value)
    elif isinstance(data, list):
        for value in data:
            _drop_raw(value)


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a model from :func:`to_dict` output.

    Raises:
        ResponseFormatError: When ``data`` does not fit ``cls``; names the failing field.
    """
    try:
        return _converter.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        detail = cattrs.transform_error(exc) if isinstance(exc, cattrs.BaseValidationError) else []
        message = "; ".join(detail) if detail else str(exc)
        raise ResponseFormatError(f"cannot build {cls.__name__}: {message}") from exc
