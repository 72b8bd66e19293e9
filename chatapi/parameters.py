"""Parameters of writes (and other calls that send typed values), as data.

A listing's filters are texts on a query string (:mod:`chatapi.filters`). A write sends a
document: numbers stay numbers, lists stay lists, objects nest. An endpoint row names what a
write accepts with a :class:`ParameterSet`, a mapping of keyword → :class:`Param`; the core
checks a caller's keywords against it before any request (an unknown or a missing required
keyword is a ``TypeError``, a value of the wrong kind a ``ValueError``) and builds the body.

A parameter keeps a Python-safe keyword while the wire gets the vendor's name, in bracket
notation where the vendor nests (``Param("text", wire="requester[mail]")``): a JSON body gets
``{"requester": {"mail": ...}}``, a form body ``requester[mail]=...``.

Example:
    >>> tickets = ParameterSet({
    ...     "message": Param("text", required=True),
    ...     "requester_mail": Param("text", wire="requester[mail]", required=True),
    ...     "group": Param("integers"),
    ... })
    >>> tickets.document({"message": "Hi", "requester_mail": "a@b.c", "group": ["1"]})
    {'message': 'Hi', 'requester': {'mail': 'a@b.c'}, 'group': [1]}
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from ._core.wire import nest

__all__ = ["Kind", "Param", "ParameterSet"]

#: What values a parameter accepts, and the JSON value each becomes.
Kind = Literal[
    "text",  # a string (an int is sent as its text)
    "integer",  # an int, or a string of digits (ids typed as strings by our models)
    "number",  # an int or a float, or a decimal string (prices)
    "flag",  # a bool or 1/0, sent as the number 1/0
    "boolean",  # a bool, sent as JSON true/false
    "scalar",  # a string, number or bool, sent as given (a vendor leaves the type open)
    "texts",  # a list of strings (a single string is a list of one)
    "integers",  # a list of integers (as "integer")
    "object",  # a mapping, sent as a JSON object
    "objects",  # a list of mappings
]


@attrs.frozen
class Param:
    """One keyword a call accepts.

    Attributes:
        kind: The values accepted (see :data:`Kind`).
        wire: The vendor's name for it, in bracket notation where it nests (default: the
            keyword itself).
        required: Whether the call needs it (a missing one is a ``TypeError``).
    """

    kind: Kind = "text"
    wire: str | None = None
    required: bool = False

    def value(self, name: str, value: Any) -> Any:
        """The JSON value of ``value`` for the keyword ``name``.

        Raises:
            ValueError: A value this parameter does not accept, naming the keyword.
        """
        kind = self.kind
        if kind == "texts":
            items = [value] if isinstance(value, (str, int)) else _sequence(name, value)
            return [_text(name, item) for item in items]
        if kind == "integers":
            items = [value] if isinstance(value, (str, int)) else _sequence(name, value)
            return [_integer(name, item) for item in items]
        if kind == "objects":
            return [_object(name, item) for item in _sequence(name, value)]
        return _SCALARS[kind](name, value)


def _sequence(name: str, value: Any) -> Sequence[Any]:
    if isinstance(value, (list, tuple)):
        return value
    raise ValueError(f"{name} must be a list, got {type(value).__name__}")


def _text(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{name} must be a string, got {type(value).__name__}")


def _integer(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError(f"{name} must be an int (or a string of digits), got {value!r:.40}")


def _number(name: str, value: Any) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return int(number) if number.is_integer() and "." not in value else number
    raise ValueError(f"{name} must be a number, got {value!r:.40}")


def _flag(name: str, value: Any) -> int:
    if value in (True, False, 0, 1, "0", "1"):
        return 1 if value in (True, 1, "1") else 0
    raise ValueError(f"{name} must be a bool (or 1/0), got {value!r:.40}")


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"{name} must be a bool, got {type(value).__name__}")


def _scalar(name: str, value: Any) -> str | int | float | bool:
    if isinstance(value, (str, int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        return value
    raise ValueError(f"{name} must be a string, a number or a bool, got {type(value).__name__}")


def _object(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    raise ValueError(f"{name} must be a mapping, got {type(value).__name__}")


_SCALARS = {
    "text": _text,
    "integer": _integer,
    "number": _number,
    "flag": _flag,
    "boolean": _boolean,
    "scalar": _scalar,
    "object": _object,
}


@attrs.frozen(init=False)
class ParameterSet:
    """The keywords a call accepts, each with its :class:`Param`.

    Iterating, ``in`` and ``len`` see the keywords.

    Args:
        params: Keyword → parameter.
    """

    params: Mapping[str, Param]

    def __init__(self, params: Mapping[str, Param] | None = None) -> None:
        self.__attrs_init__(dict(params or {}))

    @property
    def names(self) -> frozenset[str]:
        """The accepted keywords."""
        return frozenset(self.params)

    @property
    def required(self) -> frozenset[str]:
        """The keywords a call cannot do without."""
        return frozenset(name for name, param in self.params.items() if param.required)

    def __iter__(self) -> Iterator[str]:
        return iter(self.params)

    def __contains__(self, name: object) -> bool:
        return name in self.params

    def __len__(self) -> int:
        return len(self.params)

    def check(self, arguments: Mapping[str, Any], *, where: str) -> None:
        """Raise ``TypeError`` for an unknown keyword or a missing (or None) required one.

        Args:
            arguments: The caller's keywords.
            where: The call, for the message (``"LiveChat.create_ticket()"``).
        """
        unknown = sorted(set(arguments) - self.names)
        if unknown:
            raise TypeError(
                f"{where} got unexpected keyword argument(s) {', '.join(unknown)}; "
                f"accepted: {', '.join(sorted(self.names)) or 'none'}"
            )
        missing = sorted(name for name in self.required if arguments.get(name) is None)
        if missing:
            raise TypeError(f"{where} is missing required argument(s) {', '.join(missing)}")

    def document(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON document of checked ``arguments`` (``None`` values left out), nested
        where the wire names use bracket notation.

        Raises:
            TypeError: An unknown keyword.
            ValueError: A value of the wrong kind, naming the keyword.
        """
        pairs: list[tuple[str, Any]] = []
        for name, value in arguments.items():
            param = self.params.get(name)
            if param is None:
                raise TypeError(f"unexpected keyword argument {name!r}")
            if value is None:
                continue
            pairs.append((param.wire or name, param.value(name, value)))
        return nest(pairs)
