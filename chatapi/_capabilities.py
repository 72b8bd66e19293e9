"""The capability table of the README, generated from the vendor specs.

Columns are the normalized operations of :data:`chatapi.operations.OPERATIONS` (each listing,
then its lookup); rows are the generations of each vendor's spec, labelled
``name generation (Class)`` (just ``name (Class)`` when the vendor has one generation). A
listing is supported when the class declares an endpoint row for it (or, for classes not yet
on rows, overrides it and names it in ``capabilities``); a ``get_*`` lookup when the class
declares its row or overrides :class:`~chatapi.BaseClient`'s method.
``python -m chatapi._capabilities`` prints the table; ``--write README.md`` replaces the
README's copy (between the markers), ``--check README.md`` exits 1 when that copy is out of
date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._base_client import BaseClient
from ._registry import vendor_spec
from .operations import OPERATIONS as _OPERATIONS
from .spec import VendorSpec
from .vendors import BUILTIN

__all__ = [
    "END_MARKER",
    "OPERATIONS",
    "START_MARKER",
    "capability_table",
    "client_classes",
    "operations_table",
    "readme_table",
    "replace_table",
    "specs",
    "supports",
    "vendor_operations",
    "writes_table",
]

#: The normalized operations in column order: each listing, then its lookup.
OPERATIONS: tuple[str, ...] = tuple(name for op in _OPERATIONS for name in op.methods)
START_MARKER = "<!-- capabilities:start -->"
END_MARKER = "<!-- capabilities:end -->"
UNSUPPORTED = "—"


def specs(vendors: Iterable[str] | None = None) -> list[VendorSpec]:
    """The specs of ``vendors`` (default: the built-in ones, in their declared order)."""
    return [vendor_spec(name) for name in (vendors if vendors is not None else BUILTIN)]


def client_classes(vendors: Iterable[str] | None = None) -> list[type[BaseClient]]:
    """The distinct client classes serving the generations of ``vendors`` (default: the
    built-in ones), read from their specs."""
    classes: list[type[BaseClient]] = []
    for spec in specs(vendors):
        classes.extend(cls for cls in spec.client_classes() if cls not in classes)
    return classes


def supports(cls: type[BaseClient], operation: str) -> bool:
    """Whether ``cls`` implements ``operation`` (a listing or a ``get_*`` lookup).

    A declared endpoint row is support. A class not on rows (yet) must override the method,
    and for a listing also name it in ``capabilities`` (an undeclared listing raises
    :class:`~chatapi.UnsupportedOperationError` when called).
    """
    if operation in cls.endpoints:
        return True
    overridden = getattr(cls, operation) is not getattr(BaseClient, operation)
    if operation.startswith("get_"):
        return overridden
    return overridden and operation in cls.capabilities


def _filters(cls: type[BaseClient], operation: str) -> frozenset[str]:
    row = cls.endpoints.get(operation)
    if row is not None:
        return row.filters.names
    return cls.capabilities.get(operation, frozenset())


def _cell(cls: type[BaseClient], operation: str) -> str:
    if not supports(cls, operation):
        return UNSUPPORTED
    if operation.startswith("get_"):
        return "✓"
    filters = sorted(_filters(cls, operation))
    if not filters:
        return "✓ (no filters)"
    return "✓ " + ", ".join(f"`{name}`" for name in filters)


def _rows(spec: VendorSpec) -> list[tuple[str, type[BaseClient]]]:
    """(label, class) of each generation of ``spec``."""
    several = len(spec.generations) > 1
    rows = []
    for generation in spec.generations:
        name = f"{spec.name} {generation.name}" if several else spec.name
        rows.append((f"{name} (`{generation.client.__name__}`)", generation.client))
    return rows


def vendor_operations(cls: type[BaseClient]) -> tuple[list[str], list[str]]:
    """The public operations of ``cls`` beyond the normalized ones: (reads, writes).

    An operation is a row of the class's endpoint table that is also a public method; a write
    is a row that is not safe to repeat.
    """
    normalized = set(OPERATIONS)
    reads: list[str] = []
    writes: list[str] = []
    for name, row in cls.endpoints.items():
        if name in normalized or name.startswith("_") or not callable(getattr(cls, name, None)):
            continue
        (reads if row.safe_to_repeat else writes).append(name)
    return sorted(reads), sorted(writes)


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}()`" for name in names) or UNSUPPORTED


def operations_table(vendor_specs: Sequence[VendorSpec] | None = None) -> str:
    """The markdown table of each client's own operations (reads and writes) beyond the
    normalized ones, one row per vendor generation."""
    described = specs() if vendor_specs is None else vendor_specs
    lines = ["| client | more reads | writes |", "|---|---|---|"]
    for spec in described:
        for label, cls in _rows(spec):
            reads, writes = vendor_operations(cls)
            lines.append(f"| {label} | {_names(reads)} | {_names(writes)} |")
    return "\n".join(lines) + "\n"


def writes_table(vendor_specs: Sequence[VendorSpec] | None = None) -> str:
    """The markdown table of the normalized writes (:mod:`chatapi.writes`): which client
    overrides each (a vendor without one raises ``UnsupportedOperationError``)."""
    from .writes import WRITE_OPERATIONS

    described = specs() if vendor_specs is None else vendor_specs
    header = ["client", *(f"`{op.name}()`" for op in WRITE_OPERATIONS)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for spec in described:
        for label, cls in _rows(spec):
            cells = [
                "✓" if getattr(cls, op.name) is not getattr(BaseClient, op.name) else UNSUPPORTED
                for op in WRITE_OPERATIONS
            ]
            lines.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(lines) + "\n"


def capability_table(vendor_specs: Sequence[VendorSpec] | None = None) -> str:
    """The markdown tables: one row per vendor generation, one column per normalized operation;
    then each client's own reads and writes (:func:`operations_table`).

    Args:
        vendor_specs: The vendors to describe (default: the built-in ones, see :func:`specs`).

    Returns:
        The table, ending with a newline.
    """
    described = specs() if vendor_specs is None else vendor_specs
    header = ["client", *(f"`{op}()`" for op in OPERATIONS)]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for spec in described:
        for label, cls in _rows(spec):
            cells = [_cell(cls, op) for op in OPERATIONS]
            lines.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(lines) + "\n\n" + writes_table(described) + "\n" + operations_table(described)


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
