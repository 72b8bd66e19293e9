"""chatapi: one async client library for live-chat vendors.

>>> import chatapi
>>> async with chatapi.LiveChat(login="john@example.com", api_key="KEY") as lc:
...     async for chat in lc.chats(date_from="2024-01-01", date_to="2024-03-31"):
...         ...
"""

from typing import TYPE_CHECKING

from ._base_client import BaseClient, ClientStats, Response
from ._core.converters import from_dict, to_dict
from ._core.retry import RetryPolicy
from ._registry import connect, vendor_names
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChatAPIError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    UnsupportedOperationError,
)
from .export import CheckpointMismatchError, ExportReport, Progress, export
from .migration import MigrationRefused, MigrationReport, migrate
from .models import (
    Agent,
    AgentRole,
    AgentStatus,
    Chat,
    Message,
    NewAgent,
    NewCannedResponse,
    NewChat,
    NewGroup,
    NewMessage,
    NewTag,
    NewTicket,
    NewVisitor,
    OfflineMessage,
    Participant,
    ParticipantKind,
    Visitor,
)
from .pagination import Page, Pager, PageReport
from .vendors.livechat import LiveChat

__version__ = "0.1.0"

if TYPE_CHECKING:  # the names type checkers see; at run time they load lazily below
    from .vendors.acquire import Acquire
    from .vendors.revechat import ReveChat

_LAZY = {"ReveChat": "chatapi.vendors.revechat", "Acquire": "chatapi.vendors.acquire"}


def __getattr__(name: str) -> object:
    # Vendor clients beyond LiveChat load on first use, keeping `import chatapi` light.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chatapi' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Acquire",
    "Agent",
    "AgentRole",
    "AgentStatus",
    "AuthenticationError",
    "BadRequestError",
    "BaseClient",
    "Chat",
    "ChatAPIError",
    "CheckpointMismatchError",
    "ClientStats",
    "ConfigurationError",
    "ConflictError",
    "ExportReport",
    "LiveChat",
    "Message",
    "MigrationRefused",
    "MigrationReport",
    "NewAgent",
    "NewCannedResponse",
    "NewChat",
    "NewGroup",
    "NewMessage",
    "NewTag",
    "NewTicket",
    "NewVisitor",
    "NotFoundError",
    "OfflineMessage",
    "Page",
    "PageReport",
    "Pager",
    "PaginationError",
    "Participant",
    "ParticipantKind",
    "PermissionDeniedError",
    "Progress",
    "RateLimitError",
    "Response",
    "ResponseFormatError",
    "RetryPolicy",
    "ReveChat",
    "ServerError",
    "UnsupportedOperationError",
    "Visitor",
    "__version__",
    "connect",
    "export",
    "from_dict",
    "migrate",
    "to_dict",
    "vendor_names",
]
