"""REVE Chat REST adapter (both the legacy Basic-auth and the current auth-key generation)."""

from ...spec import Generation, VendorSpec
from ._client import ReveChat

__all__ = ["SPEC", "ReveChat"]

SPEC = VendorSpec(
    name="revechat",
    title="REVE Chat",
    client=ReveChat,
    generations=[
        Generation(name="legacy", client=ReveChat, summary="Basic auth, bare JSON arrays"),
        Generation(name="current", client=ReveChat, summary="auth key, {status, body} envelope"),
    ],
    credentials=[("auth_key", "account_id"), ("auth_key",), ("email", "password")],
    secrets=["auth_key", "password"],
    sandbox="chatapi.sandbox.revechat:ReveChatApp",
)
