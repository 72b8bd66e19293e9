"""LiveChat REST API v2 adapter."""

from ...spec import Generation, VendorSpec
from ._client import LiveChat

__all__ = ["SPEC", "LiveChat"]

SPEC = VendorSpec(
    name="livechat",
    title="LiveChat",
    client=LiveChat,
    generations=[
        Generation(name="v2", client=LiveChat, summary="REST API v2 (X-API-Version: 2)"),
    ],
    credentials=[("login", "api_key"), ("access_token",)],
    settings=["region"],
    secrets=["api_key", "access_token"],
    sandbox="chatapi.sandbox.livechat:LiveChatApp",
    # A webhook's token authorizes Configuration API calls for the license
    # (https://developers.livechat.com/docs/, "Webhooks"): a credential, never written.
    webhook_secret_keys=["token"],
    demo_writes="chatapi.vendors.livechat._demo:show_writes",
    webhook_parser="chatapi.vendors.livechat._webhooks:parse_livechat_webhook",
)
