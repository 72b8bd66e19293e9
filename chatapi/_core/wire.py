"""Bracket-notation parameter names: nesting them into a JSON document, flattening a
document into form or query pairs.

``requester[mail]`` names the ``mail`` key of a ``requester`` object; ``tags[]`` a list of
values; ``rules[0][type]`` the ``type`` key of the first object of a list. PHP and Rails
read form bodies this way, and many vendor references spell their JSON fields so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["flatten", "nest", "split_name"]

_PART = re.compile(r"\[([^\[\]]*)\]")


def split_name(name: str) -> tuple[str, ...]:
    """The path of a bracket-notation name: ``a[b][]`` → ``("a", "b", "")``.

    Raises:
        ValueError: A name with text after a bracket that is not another bracket.
    """
    head, bracket, _ = name.partition("[")
    if not bracket:
        return (name,)
    rest = name[len(head) :]
    parts = _PART.findall(rest)
    if "".join(f"[{p}]" for p in parts) != rest or not head:
        raise ValueError(f"malformed parameter name {name!r}")
    return (head, *parts)


def nest(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON document from ``(name, value)`` pairs whose names may use bracket notation.

    ``("requester[mail]", "a@b")`` sets ``{"requester": {"mail": "a@b"}}``; a name ending in
    ``[]`` collects a list. Plain names are set as they are.

    Raises:
        ValueError: Two names that disagree on a key's shape (a value and an object).
    """
    document: dict[str, Any] = {}
    for name, value in values:
        path = split_name(name)
        if path[-1] == "":
            path = path[:-1]
            value = list(value) if isinstance(value, (list, tuple)) else [value]
        node = document
        for key in path[:-1]:
            child = node.setdefault(key, {})
            if not isinstance(child, dict):
                raise ValueError(f"parameter {name!r} conflicts with another parameter")
            node = child
        if path[-1] in node:
            raise ValueError(f"parameter {name!r} is given twice")
        node[path[-1]] = value
    return document


def flatten(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Form or query pairs of a JSON document, in bracket notation.

    Lists of plain values become ``name[]`` pairs, lists of objects ``name[0][key]``, objects
    ``name[key]``; booleans are sent as ``1``/``0``; ``None`` values are left out.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in document.items():
        _flatten_into(pairs, key, value)
    return pairs


def _flatten_into(pairs: list[tuple[str, str]], name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten_into(pairs, f"{name}[{key}]", item)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if any(isinstance(item, (Mapping, list, tuple)) for item in value):
            for index, item in enumerate(value):
                _flatten_into(pairs, f"{name}[{index}]", item)
        else:
            for item in value:
                _flatten_into(pairs, f"{name}[]", item)
    elif isinstance(value, bool):
        pairs.append((name, "1" if value else "0"))
    else:
        pairs.append((name, str(value)))
