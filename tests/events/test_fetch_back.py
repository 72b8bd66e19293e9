"""fetch_back: a webhook's chat is trusted once the vendor's API returns it."""

from __future__ import annotations

import json

import pytest

import chatapi
from chatapi.events import WebhookVerificationError, fetch_back, parse_webhook
from chatapi.sandbox import serve


def body(chat_id: str) -> bytes:
    chat = {"id": chat_id, "started_timestamp": 1700000000, "messages": [], "tags": []}
    return json.dumps({"event_type": "chat_ended", "token": "t", "chat": chat}).encode()


async def test_a_real_chat_is_replaced_by_the_api_s_copy() -> None:
    async with serve("livechat", chats=10, seed=1) as sb, sb.client() as client:
        real = (await client.chats().collect())[3]
        event = parse_webhook("livechat", body(real.id))
        checked = await fetch_back(event, client)
    assert checked.verified == ("fetch_back",)
    assert checked.chat == real and checked.chat.raw == real.raw


async def test_a_forged_chat_fails_verification() -> None:
    async with serve("livechat", chats=10, seed=1) as sb, sb.client() as client:
        event = parse_webhook("livechat", body("FORGED0001"))
        with pytest.raises(WebhookVerificationError, match="FORGED0001"):
            await fetch_back(event, client)
        no_chat = parse_webhook("livechat", b'{"event_type": "visitor_queued"}')
        with pytest.raises(WebhookVerificationError, match="no chat"):
            await fetch_back(no_chat, client)
    assert issubclass(WebhookVerificationError, chatapi.ChatAPIError)
