"""A wrapper that keeps credentials out of reprs, logs and tracebacks' locals."""

from __future__ import annotations

__all__ = ["Secret"]


class Secret:
    """Holds a credential; prints as ``'***'`` everywhere. Call :meth:`reveal` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself: only for building a request header."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("credentials are not pickled")
