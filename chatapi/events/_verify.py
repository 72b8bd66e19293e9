"""Constant-time checks of what a webhook carries: HMAC signatures, Basic credentials, tokens.

Pure functions over bytes and strings. Every comparison uses :func:`hmac.compare_digest`, and
every configured secret is compared (a list allows key rotation)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence

from .._core import jsonlib

__all__ = [
    "body_hash",
    "check_basic_auth",
    "hmac_sha256_hex",
    "matches_any",
    "signature_matches",
]


def body_hash(body: bytes) -> str:
    """A stable key of a body (hex SHA-256): the dedupe key of events without an id."""
    return hashlib.sha256(body).hexdigest()


def matches_any(value: str | None, candidates: Iterable[str]) -> bool:
    """Whether ``value`` equals one of ``candidates``, compared in constant time (all are
    compared, whatever matches)."""
    if value is None:
        return False
    given = value.encode()
    found = False
    for candidate in candidates:
        found |= hmac.compare_digest(given, candidate.encode())
    return found


def hmac_sha256_hex(key: str, message: bytes) -> str:
    """Hex HMAC-SHA256 of ``message`` with ``key``."""
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(
    signature: str | None, body: bytes, keys: Sequence[str], *, reserialize: bool = True
) -> bool:
    """Whether ``signature`` is the hex HMAC-SHA256 of the body under one of ``keys``.

    The raw body is tried first; with ``reserialize``, then the body as JavaScript's
    ``JSON.stringify`` writes it (compact separators, characters unescaped), which is what a
    vendor that signs its parsed object covers.
    """
    if not signature or not keys:
        return False
    wanted = signature.strip().lower()
    inputs = [body]
    if reserialize:
        compact = _js_stringify(body)
        if compact is not None and compact != body:
            inputs.append(compact)
    return matches_any(wanted, [hmac_sha256_hex(key, data) for key in keys for data in inputs])


def _js_stringify(body: bytes) -> bytes | None:
    try:
        value = jsonlib.loads(body)
    except jsonlib.JSONDecodeError:
        return None
    return jsonlib.dumps(value).encode()


def check_basic_auth(headers: Mapping[str, str], credentials: Sequence[tuple[str, str]]) -> bool:
    """Whether the ``Authorization`` header carries one of ``credentials`` (user, password).

    A vendor that signs nothing can still POST to ``https://user:password@host/path``: the
    credentials arrive as HTTP Basic auth.
    """
    header = headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return False
    try:
        pair = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    return matches_any(pair, [f"{user}:{password}" for user, password in credentials])
