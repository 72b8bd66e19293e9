"""Compare payload shapes: same keys, same value types (recursively).

Used by the sandbox's conformance tests against vendor samples; usable for any recorded
payload (e.g. checking a sandbox against a capture from a real account).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["shape_diff"]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def shape_diff(
    expected: Any,
    actual: Any,
    *,
    optional: Iterable[str] = (),
    extra: Iterable[str] = (),
    path: str = "$",
) -> list[str]:
    """Differences between the shape of ``expected`` (a vendor sample) and ``actual``.

    Keys of a dict must match except ``optional`` ones (the vendor documents them as
    sometimes absent) and ``extra`` ones (the sandbox adds them; documented in the app).
    Key names in ``optional``/``extra`` apply at any depth. A None in the sample accepts
    any type (the sample cannot tell the type); each item of a list must match one of the
    sample's items.
    """
    optional, extra = set(optional), set(extra)
    problems: list[str] = []
    if expected is None:
        return problems
    if _kind(expected) != _kind(actual):
        return [f"{path}: {_kind(actual)} where the sample has {_kind(expected)}"]
    if isinstance(expected, dict):
        missing = set(expected) - set(actual) - optional
        unknown = set(actual) - set(expected) - extra
        problems += [f"{path}.{k}: missing" for k in sorted(missing)]
        problems += [f"{path}.{k}: not in the sample" for k in sorted(unknown)]
        for key in set(expected) & set(actual):
            problems += shape_diff(
                expected[key], actual[key], optional=optional, extra=extra, path=f"{path}.{key}"
            )
    elif isinstance(expected, list) and expected:
        for i, item in enumerate(actual):
            # An item may match any of the sample's items (their nulls differ).
            diffs = [
                shape_diff(ref, item, optional=optional, extra=extra, path=f"{path}[{i}]")
                for ref in expected
            ]
            if all(diffs):
                problems += diffs[0]
    return problems
