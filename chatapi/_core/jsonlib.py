"""JSON decoding and encoding: orjson when installed (the ``speedups`` extra), else the stdlib."""

from __future__ import annotations

import json
from typing import Any

try:  # pragma: no cover - exercised in whichever environment has it
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]

__all__ = ["JSONDecodeError", "dumps", "loads"]

#: Both decoders' errors subclass ValueError; RecursionError is what the stdlib raises on
#: hostile nesting.
JSONDecodeError = (ValueError, RecursionError)


def loads(data: bytes | str) -> Any:
    """Decode JSON text or UTF-8 bytes."""
    if _orjson is not None:
        return _orjson.loads(data)
    return json.loads(data)


def dumps(obj: Any) -> str:
    """Encode to compact JSON text (UTF-8 characters kept, not escaped)."""
    if _orjson is not None:
        return _orjson.dumps(obj).decode()
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
