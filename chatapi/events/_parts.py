"""Reading the optional parts of a webhook payload without letting one break the event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import ChatAPIError
from ..models import Chat

__all__ = ["UNREADABLE", "readable_part"]

T = TypeVar("T")
logger = logging.getLogger("chatapi.events")

#: What a converter raises on a part of an unexpected shape (a list where an object was
#: expected, a text where a number was): such a part is None, the event is still delivered.
UNREADABLE = (ChatAPIError, LookupError, TypeError, ValueError, AttributeError, OverflowError)


def readable_part(convert: Callable[[Any], T], value: Any, *, vendor: str, part: str) -> T | None:
    """``convert(value)``, or None when ``value`` is absent or its shape is unreadable.

    A chat's transcript is mapped here too (it is otherwise mapped on first access, where an
    error would surface far from the webhook). An unreadable part is logged (its type of
    error, not its content) and stays in the event's ``raw``.
    """
    if value is None:
        return None
    try:
        result = convert(value)
        if isinstance(result, Chat):
            result.messages  # noqa: B018 - the access maps the deferred transcript
    except UNREADABLE as error:
        logger.warning(
            "%s webhook: unreadable %s (%s); kept in raw", vendor, part, type(error).__name__
        )
        return None
    return result
