"""Vendor names → client classes, resolved lazily (built-ins and the ``chatapi.vendors``
entry-point group for third-party adapters)."""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError

if TYPE_CHECKING:
    from ._base_client import BaseClient

__all__ = ["connect", "vendor_class", "vendor_names"]

_BUILTIN = {
    "livechat": "chatapi.vendors.livechat:LiveChat",
    "revechat": "chatapi.vendors.revechat:ReveChat",
    "acquire": "chatapi.vendors.acquire:Acquire",
}


def vendor_names() -> list[str]:
    """Every vendor name :func:`connect` accepts."""
    names = set(_BUILTIN)
    names.update(ep.name for ep in entry_points(group="chatapi.vendors"))
    return sorted(names)


def vendor_class(name: str) -> type[BaseClient]:
    """The client class registered under ``name``.

    Raises:
        ConfigurationError: No vendor of that name.
    """
    target = _BUILTIN.get(name)
    if target is None:
        matches = [ep for ep in entry_points(group="chatapi.vendors") if ep.name == name]
        if not matches:
            raise ConfigurationError(
                f"unknown vendor {name!r}; known vendors: {', '.join(vendor_names())}"
            )
        loaded: type[BaseClient] = matches[0].load()
        return loaded
    module_name, _, attr = target.partition(":")
    cls: type[BaseClient] = getattr(importlib.import_module(module_name), attr)
    return cls


def connect(vendor: str, **options: Any) -> BaseClient:
    """A client for ``vendor`` (``"livechat"``, ...) built from credentials and options.

    Example:
        >>> client = chatapi.connect("livechat", login="john@example.com", api_key="KEY")

    Raises:
        ConfigurationError: Unknown vendor, or missing/contradictory credentials.
        TypeError: An option the vendor's client does not take.
    """
    return vendor_class(vendor)(**options)
