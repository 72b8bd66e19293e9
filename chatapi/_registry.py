"""Vendor names → their :class:`~chatapi.spec.VendorSpec`, found through the
``chatapi.vendors`` entry points (and the built-in list, for a source tree without them)."""

from __future__ import annotations

import warnings
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError
from .spec import Generation, VendorSpec, load_object
from .vendors import BUILTIN

if TYPE_CHECKING:
    from ._base_client import BaseClient

__all__ = ["connect", "vendor_class", "vendor_names", "vendor_spec", "vendor_specs"]

_GROUP = "chatapi.vendors"
_loaded: dict[str, VendorSpec] = {}


def _targets() -> dict[str, str]:
    """Vendor name -> ``module:attribute``: the entry points, then the built-ins they lack."""
    targets = {ep.name: ep.value for ep in entry_points(group=_GROUP)}
    for name, target in BUILTIN.items():
        targets.setdefault(name, target)
    return targets


def vendor_names() -> list[str]:
    """Every vendor name :func:`connect` accepts (nothing is imported to list them)."""
    return sorted(_targets())


def _as_spec(name: str, loaded: Any) -> VendorSpec:
    if isinstance(loaded, VendorSpec):
        return loaded
    from ._base_client import BaseClient

    if isinstance(loaded, type) and issubclass(loaded, BaseClient):
        # Entry points of chatapi 0.1 named the client class itself.
        warnings.warn(
            f"the {_GROUP} entry point {name!r} names a client class; point it at a "
            "chatapi.spec.VendorSpec instead",
            DeprecationWarning,
            stacklevel=3,
        )
        return VendorSpec(
            name=name,
            title=name,
            client=loaded,
            generations=[Generation(name=getattr(loaded, "generation", "") or "v1", client=loaded)],
            credentials=(),
        )
    raise ConfigurationError(
        f"the {_GROUP} entry point {name!r} names {type(loaded).__name__}, not a VendorSpec"
    )


def vendor_spec(name: str) -> VendorSpec:
    """The spec registered under ``name``.

    Raises:
        ConfigurationError: No vendor of that name, or its entry point is broken.
    """
    spec = _loaded.get(name)
    if spec is not None:
        return spec
    target = _targets().get(name)
    if target is None:
        raise ConfigurationError(
            f"unknown vendor {name!r}; known vendors: {', '.join(vendor_names())}"
        )
    try:
        loaded = load_object(target)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigurationError(f"vendor {name!r} cannot be loaded from {target}: {exc}") from exc
    spec = _as_spec(name, loaded)
    if spec.name != name:
        raise ConfigurationError(
            f"the {_GROUP} entry point {name!r} names the spec of {spec.name!r}"
        )
    _loaded[name] = spec
    return spec


def vendor_specs() -> list[VendorSpec]:
    """The spec of every vendor, in name order."""
    return [vendor_spec(name) for name in vendor_names()]


def vendor_class(name: str) -> type[BaseClient]:
    """The client class :func:`connect` builds for ``name``.

    Raises:
        ConfigurationError: No vendor of that name.
    """
    return vendor_spec(name).client


def connect(vendor: str, **options: Any) -> BaseClient:
    """A client for ``vendor`` (``"livechat"``, ...) built from credentials and options.

    Example:
        >>> client = chatapi.connect("livechat", login="john@example.com", api_key="KEY")

    Raises:
        ConfigurationError: Unknown vendor, or missing/contradictory credentials.
        TypeError: An option the vendor's client does not take.
    """
    return vendor_class(vendor)(**options)
