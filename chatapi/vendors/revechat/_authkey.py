"""Reading what the current generation's auth key says about itself (no verification).

The key generated in *Settings → Security → Auth Key* is an HS256 JWT whose payload is
``{"accountId": "8683034", "sub": "authorization", "exp": …, "iat": …}``, and "The generated
token will be valid for 30 days from the time of creation"
(https://www.revechat.com/hc/introduction-to-rest-api; the payload is decoded from the example
key of https://www.revechat.com/hc/agents-api). We only read ``exp`` and ``accountId`` to warn
before expiry and to explain a 401 after it; the signature is the vendor's business.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import attrs

from ..._core import jsonlib
from ..._core.timeparse import UTC

__all__ = ["KeyClaims", "read_claims"]


@attrs.frozen
class KeyClaims:
    """What the key's payload tells: its expiry and account, each None when unknown."""

    expires_at: dt.datetime | None = None
    account_id: str | None = None


def _payload(token: str) -> Any:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    segment = parts[1]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        return None
    try:
        return jsonlib.loads(raw)
    except jsonlib.JSONDecodeError:
        return None


def read_claims(token: str) -> KeyClaims:
    """The expiry and account id a JWT-shaped key carries; empty claims for anything else.

    Never raises: a key that is not a JWT (or a JWT with odd claims) simply has no known
    expiry, and the vendor stays the judge of its validity.
    """
    data = _payload(token)
    if not isinstance(data, Mapping):
        return KeyClaims()
    expires_at = None
    exp = data.get("exp")
    # bool is an int subclass; a "true" expiry is garbage, not the epoch's first second.
    if isinstance(exp, (int, float)) and not isinstance(exp, bool) and math.isfinite(exp):
        try:
            expires_at = dt.datetime.fromtimestamp(exp, UTC)
        except (OverflowError, OSError, ValueError):
            expires_at = None
    account = data.get("accountId")
    account_id = str(account) if isinstance(account, (str, int)) and str(account) else None
    if isinstance(account, bool):
        account_id = None
    return KeyClaims(expires_at=expires_at, account_id=account_id)
