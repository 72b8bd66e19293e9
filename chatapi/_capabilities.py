"""The capability table of the README, generated from what each client class declares.

A listing operation is supported when the class overrides it and names it in
``capabilities`` (operation -> accepted filter names); a ``get_*`` operation when the class
overrides :class:`~chatapi.BaseClient`'s method. ``python -m chatapi._capabilities`` prints the
table; ``--write README.md`` replaces the README's copy (between the markers), ``--check
README.md`` exits 1 when that copy is out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._base_client import BaseClient
from ._registry import vendor_spec
from .vendors import BUILTIN

__all__ = [
    "END_MARKER",
    "OPERATIONS",
    "START_MARKER",
    "capability_table",
    "client_classes",
    "readme_table",
    "replace_table",
    "supports",
]

#: The normalized operations, in column order.
OPERATIONS: tuple[str, ...] = (
    "chats",
    "get_chat",
    "offline_messages",
    "get_offline_message",
    "agents",
    "get_agent",
    "visitors",
    "get_visitor",
)
START_MARKER = "<!-- capabilities:start -->"
END_MARKER = "<!-- capabilities:end -->"
UNSUPPORTED = "—"


def client_classes(vendors: Iterable[str] | None = None) -> list[type[BaseClient]]:
    """The client classes serving the generations of ``vendors`` (default: the built-in
    ones), read from their specs: one class per generation class (``AcquireV1``,
    ``AcquireV2``)."""
    classes: list[type[BaseClient]] = []
    for name in vendors if vendors is not None else BUILTIN:
        classes.extend(vendor_spec(name).client_classes())
    return classes


def supports(cls: type[BaseClient], operation: str) -> bool:
    """Whether ``cls`` implements ``operation``.

    Listing operations must be overridden *and* declared in ``capabilities`` (an undeclared
    one raises :class:`~chatapi.UnsupportedOperationError` when called); ``get_*`` operations
    must be overridden.
    """
    overridden = getattr(cls, operation) is not getattr(BaseClient, operation)
    if operation.startswith("get_"):
        return overridden
    return overridden and operation in cls.capabilities


def _labels(cls: type[BaseClient]) -> list[str]:
    """Row labels of ``cls``: one per generation it serves.

    A class-level ``generation`` string names the one generation of a class
    (``AcquireV1.generation == "v1"``); a class-level ``generations`` tuple names several
    generations served by one class with the same operations (one row each).
    """
    generations = getattr(cls, "generations", None)
    if isinstance(generations, tuple) and generations:
        names = [f"{cls.vendor} {g}" for g in generations]
    else:
        generation = getattr(cls, "generation", None)
        has_one = isinstance(generation, str) and generation
        names = [f"{cls.vendor} {generation}" if has_one else cls.vendor]
    return [f"{name} (`{cls.__name__}`)" for name in names]


def _cell(cls: type[BaseClient], operation: str) -> str:
    if not supports(cls, operation):
        return UNSUPPORTED
    if operation.startswith("get_"):
        return "✓"
    filters = sorted(cls.capabilities[operation])
    if not filters:
        return "✓ (no filters)"
    return "✓ " + ", ".join(f"`{name}`" for name in filters)


def capability_table(classes: Sequence[type[BaseClient]] | None = None) -> str:
    """The markdown table: one row per client class, one column per normalized operation.

    Args:
        classes: The client classes to describe (default: :func:`client_classes`).

    Returns:
        The table, ending with a newline.
    """
    rows = client_classes() if classes is None else classes
    header = ["client", *(f"`{op}()`" for op in OPERATIONS)]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for cls in rows:
        cells = [_cell(cls, op) for op in OPERATIONS]
        lines.extend("| " + " | ".join([label, *cells]) + " |" for label in _labels(cls))
    return "\n".join(lines) + "\n"


def readme_table(text: str) -> str:
    """The text between the capability markers of ``text``, without the marker lines.

    Raises:
        ValueError: When the markers are missing or out of order.
    """
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"no {START_MARKER} ... {END_MARKER} block")
    return text[start + len(START_MARKER) : end].strip("\n") + "\n"


def replace_table(text: str, table: str) -> str:
    """``text`` with the block between the capability markers replaced by ``table``.

    Raises:
        ValueError: When the markers are missing or out of order.
    """
    readme_table(text)  # validates the markers
    start = text.index(START_MARKER) + len(START_MARKER)
    end = text.index(END_MARKER)
    return text[:start] + "\n" + table + text[end:]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table, or check/rewrite a README's copy of it.

    Returns:
        The exit status: 1 when ``--check`` finds the README out of date.
    """
    parser = argparse.ArgumentParser(prog="python -m chatapi._capabilities", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="README", type=Path, help="exit 1 if out of date")
    group.add_argument("--write", metavar="README", type=Path, help="rewrite the table")
    args = parser.parse_args(argv)
    table = capability_table()
    if args.check is not None:
        if readme_table(args.check.read_text(encoding="utf-8")) != table:
            print(f"{args.check}: capability table out of date", file=sys.stderr)
            return 1
        return 0
    if args.write is not None:
        text = args.write.read_text(encoding="utf-8")
        args.write.write_text(replace_table(text, table), encoding="utf-8")
        return 0
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
