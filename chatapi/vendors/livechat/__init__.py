"""LiveChat REST API v2 adapter."""

from ._client import LiveChat

__all__ = ["LiveChat"]
