"""Acquire (acquire.io) adapter: the v1 API (``app.acquire.io``) and the v2 API
(``{account_id}.acquire.io/api/v1``)."""

from ._client import Acquire, AcquireV1, AcquireV2

__all__ = ["Acquire", "AcquireV1", "AcquireV2"]
