"""The normalized operations, in one table.

The base client's operation methods, the capability table, :func:`chatapi.export` and
``chatapi export`` all read :data:`OPERATIONS`; a vendor supports an operation by declaring
an endpoint row under its name (see :mod:`chatapi.endpoints`). Adding a normalized operation
is one row here, a typed method on :class:`chatapi.BaseClient`, and the vendors' rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .models import Agent, Chat, OfflineMessage, Visitor

__all__ = ["OPERATIONS", "Operation", "operation"]


@attrs.frozen(kw_only=True)
class Operation:
    """One normalized operation: a listing and its single-record lookup.

    Attributes:
        name: The listing method (``"chats"``), also the export kind.
        model: The record type both return.
        get: The lookup method (``"get_chat"``).
        summary: What the records are, for help texts.
        filters: Filters with the same meaning on every vendor that accepts them (the
            command line offers them as options); vendors accept more of their own.
    """

    name: str
    model: type
    get: str
    summary: str
    filters: tuple[str, ...] = ()

    @property
    def cli_name(self) -> str:
        """The command-line spelling (``offline-messages``)."""
        return self.name.replace("_", "-")

    @property
    def methods(self) -> tuple[str, str]:
        """The listing and the lookup method names."""
        return (self.name, self.get)


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        name="chats",
        model=Chat,
        get="get_chat",
        summary="chats with their transcripts",
        filters=("date_from", "date_to"),
    ),
    Operation(
        name="offline_messages",
        model=OfflineMessage,
        get="get_offline_message",
        summary="messages left while no agent was available",
        filters=("date_from", "date_to"),
    ),
    Operation(name="agents", model=Agent, get="get_agent", summary="the account's agents"),
    Operation(name="visitors", model=Visitor, get="get_visitor", summary="visitors or contacts"),
)

_BY_NAME: Mapping[str, Operation] = {op.name: op for op in OPERATIONS}


def operation(name: str) -> Operation:
    """The operation called ``name`` (its listing name or its command-line spelling).

    Raises:
        ValueError: No such operation; the message lists them.
    """
    found = _BY_NAME.get(name.replace("-", "_"))
    if found is None:
        known = ", ".join(op.name for op in OPERATIONS)
        raise ValueError(f"unknown operation {name!r}; choose one of {known}")
    return found
