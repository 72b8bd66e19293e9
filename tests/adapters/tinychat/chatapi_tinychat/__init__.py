"""TinyChat: a third-party chatapi adapter with one listing (``chats``), for chatapi's tests."""

from chatapi.spec import Generation, VendorSpec

from ._client import TinyChat

__all__ = ["SPEC", "TinyChat"]

SPEC = VendorSpec(
    name="tinychat",
    title="TinyChat",
    client=TinyChat,
    generations=[Generation(name="v1", client=TinyChat, summary="Bearer token, page numbers")],
    credentials=[("token",)],
    secrets=["token"],
    sandbox="chatapi_tinychat.sandbox:TinyChatApp",
)
