"""Vendor declarations: everything chatapi needs to know about a vendor, in one value.

Each vendor package exports one :class:`VendorSpec` (``chatapi.vendors.<vendor>.SPEC``), and the
``chatapi.vendors`` entry-point group points at it. :func:`chatapi.connect`, the ``chatapi``
command line, the sandbox, the capability table and the pytest plugin read specs only: a
third-party adapter installed with one entry point works with all of them.

Example (a third-party package's ``pyproject.toml``)::

    [project.entry-points."chatapi.vendors"]
    tinychat = "chatapi_tinychat:SPEC"
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ._base_client import BaseClient

__all__ = ["Generation", "VendorSpec", "load_object"]


def load_object(target: str) -> Any:
    """The object a ``"package.module:attribute"`` string names (imported on demand).

    Raises:
        ValueError: ``target`` is not of the ``module:attribute`` form.
        ImportError, AttributeError: The module or attribute does not exist.
    """
    module, sep, name = target.partition(":")
    if not sep or not module or not name:
        raise ValueError(f"expected 'package.module:attribute', got {target!r}")
    return getattr(importlib.import_module(module), name)


@attrs.frozen(kw_only=True)
class Generation:
    """One API generation of a vendor and the client class that serves it.

    Attributes:
        name: The generation's name (``"v1"``, ``"legacy"``).
        client: The client class (several generations may share one class).
        summary: One line for help texts (auth scheme, body shape).
    """

    name: str
    client: type[BaseClient]
    summary: str = ""


def _generations(value: Iterable[Generation]) -> tuple[Generation, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _name_set(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _tuple_of_tuples(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(alternative) for alternative in value)


@attrs.frozen(kw_only=True)
class VendorSpec:
    """One vendor, declared once.

    Attributes:
        name: The name :func:`chatapi.connect` and the command line take (``"livechat"``);
            lower case letters and digits. Environment variables are
            ``CHATAPI_<NAME>_<KEYWORD>`` (``CHATAPI_LIVECHAT_API_KEY``).
        title: The vendor's own spelling, for messages (``"LiveChat"``).
        client: The class :func:`chatapi.connect` builds (it may pick a generation's class
            from the credentials it is given).
        generations: The generations served, the default first.
        credentials: The complete sets of credential keywords, each an alternative (the
            first complete one found in the environment wins).
        settings: Further keywords the client takes (``region``, ``timezone``); like the
            credentials, they may come from the environment or a credentials file.
        secrets: The keywords whose values are secrets (never shown, never logged).
        sandbox: ``"module:Class"`` of the vendor's fake server (a
            :class:`chatapi.sandbox.VendorApp` subclass), or None when it ships none.
        webhook_parser: ``"module:function"`` parsing the vendor's webhooks, when it has any.
        webhook_secret_keys: Keys of the vendor's webhook payloads that hold credentials
            (LiveChat's ``token``): blanked in everything chatapi writes (``chatapi listen``).
        demo_writes: ``"module:function"`` of an async generator ``(client)`` that shows the
            vendor's writes against its sandbox in ``chatapi demo``, yielding one line per
            thing it did; None when the vendor takes no writes.
    """

    name: str = attrs.field()
    title: str
    client: type[BaseClient]
    generations: tuple[Generation, ...] = attrs.field(converter=_generations)
    credentials: tuple[tuple[str, ...], ...] = attrs.field(converter=_tuple_of_tuples)
    settings: tuple[str, ...] = attrs.field(default=(), converter=_names)
    secrets: frozenset[str] = attrs.field(default=frozenset(), converter=_name_set)
    sandbox: str | None = None
    webhook_parser: str | None = None
    webhook_secret_keys: frozenset[str] = attrs.field(default=frozenset(), converter=_name_set)
    demo_writes: str | None = None

    @name.validator
    def _check_name(self, _: attrs.Attribute[str], value: str) -> None:
        if not value or not value.isascii() or not value.isalnum() or not value.islower():
            raise ValueError(f"a vendor name is lower-case letters and digits, got {value!r}")

    @generations.validator
    def _check_generations(self, _: attrs.Attribute[Any], value: tuple[Generation, ...]) -> None:
        if not value:
            raise ValueError("a vendor serves at least one generation")

    @property
    def default_generation(self) -> Generation:
        """The generation served when none is named (the first)."""
        return self.generations[0]

    @property
    def keywords(self) -> frozenset[str]:
        """Every keyword a credentials file or the environment may set (``base_url`` too)."""
        names = {key for alternative in self.credentials for key in alternative}
        return frozenset({*names, *self.settings, "base_url"})

    def environment_variable(self, keyword: str) -> str:
        """The variable holding ``keyword``: ``CHATAPI_<NAME>_<KEYWORD>``."""
        return f"CHATAPI_{self.name.upper()}_{keyword.upper()}"

    def credential_variables(self) -> tuple[dict[str, str], ...]:
        """Each credential alternative as keyword -> environment variable."""
        return tuple(
            {key: self.environment_variable(key) for key in alternative}
            for alternative in self.credentials
        )

    def options_from_environment(self, environ: Mapping[str, str]) -> dict[str, str] | None:
        """The client keywords set in ``environ``: the first complete credential alternative
        plus any setting and ``base_url``; None when no alternative is complete."""
        found: dict[str, str] | None = None
        for alternative in self.credentials:
            variables = {key: self.environment_variable(key) for key in alternative}
            if all(environ.get(var) for var in variables.values()):
                found = {key: environ[var] for key, var in variables.items()}
                break
        if found is None:
            return None
        for key in (*self.settings, "base_url"):
            value = environ.get(self.environment_variable(key))
            if value:
                found[key] = value
        return found

    def generation(self, name: str | None) -> Generation:
        """The generation called ``name`` (the default one for None).

        Raises:
            ValueError: No generation of that name.
        """
        if name is None:
            return self.default_generation
        for generation in self.generations:
            if generation.name == name:
                return generation
        known = ", ".join(g.name for g in self.generations)
        raise ValueError(f"{self.name} has no generation {name!r}; known: {known}")

    def client_classes(self) -> tuple[type[BaseClient], ...]:
        """The distinct classes serving the generations, in generation order."""
        classes: list[type[BaseClient]] = []
        for generation in self.generations:
            if generation.client not in classes:
                classes.append(generation.client)
        return tuple(classes)

    def load_demo_writes(self) -> Callable[[Any], AsyncIterator[str]] | None:
        """The demo of the vendor's writes, imported on demand (None when it has none)."""
        if self.demo_writes is None:
            return None
        loaded: Callable[[Any], AsyncIterator[str]] = load_object(self.demo_writes)
        return loaded

    def load_sandbox(self) -> type[Any] | None:
        """The fake server class, imported on demand (None when the vendor ships none)."""
        if self.sandbox is None:
            return None
        loaded: type[Any] = load_object(self.sandbox)
        return loaded
