"""Acquire (acquire.io) adapter: the v1 API (``app.acquire.io``) and the v2 API
(``{account_id}.acquire.io/api/v1``)."""

from ...spec import Generation, VendorSpec
from ._client import Acquire
from ._v1 import AcquireV1
from ._v2 import AcquireV2

__all__ = ["SPEC", "Acquire", "AcquireV1", "AcquireV2"]

SPEC = VendorSpec(
    name="acquire",
    title="Acquire",
    client=Acquire,
    generations=[
        Generation(name="v1", client=AcquireV1, summary="POST + {success, error, data}"),
        Generation(name="v2", client=AcquireV2, summary='REST /api/v1/..., {"data": ...}'),
    ],
    credentials=[("api_key", "account_id"), ("token",)],
    settings=["timezone"],
    secrets=["api_key", "token"],
    sandbox="chatapi.sandbox.acquire:AcquireApp",
    webhook_parser="chatapi.vendors.acquire._webhooks:parse_acquire_webhook",
)
