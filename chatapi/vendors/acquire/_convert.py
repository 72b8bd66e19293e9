"""Acquire payloads → normalized models: the v1 and v2 mappers (``_convert_v1``,
``_convert_v2``) under one name."""

from ._convert_v1 import (
    v1_agent,
    v1_chat,
    v1_chat_from_messages,
    v1_is_offline,
    v1_message,
    v1_offline_message,
    v1_visitor,
)
from ._convert_v2 import v2_agent, v2_chat, v2_message, v2_visitor

__all__ = [
    "v1_agent",
    "v1_chat",
    "v1_chat_from_messages",
    "v1_is_offline",
    "v1_message",
    "v1_offline_message",
    "v1_visitor",
    "v2_agent",
    "v2_chat",
    "v2_message",
    "v2_visitor",
]
