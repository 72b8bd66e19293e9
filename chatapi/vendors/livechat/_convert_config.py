"""LiveChat v2 configuration payloads -> :mod:`chatapi.livechat` records (pure functions).

Shapes follow the REST API v2 reference (https://developers.livechat.com/docs/), one fixture per
resource under ``tests/fixtures/livechat/config/``. Numbers may arrive as strings, missing
optional parts become None (or empty), and unknown keys are ignored (they stay in ``raw``).
A payload that is not an object or lacks its identifying key (``id``; a tag's ``name``) raises
:class:`chatapi.errors.ResponseFormatError` naming that key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...models import Visitor
from ._types import (
    AvailabilityStatus,
    CannedResponse,
    Goal,
    GoalType,
    Greeting,
    GreetingRule,
    Group,
    Tag,
    Webhook,
    WebhookEventType,
)
from ._values import converter, count, flag, mapping, record_id, text, texts, when

__all__ = [
    "canned_response_from_payload",
    "goal_from_payload",
    "greeting_from_payload",
    "group_from_payload",
    "tag_from_payload",
    "visitor_from_payload",
    "webhook_from_payload",
]


def _lower(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


@converter("canned response")
def canned_response_from_payload(payload: Mapping[str, Any]) -> CannedResponse:
    """Map one ``/canned_responses`` item (``canned_responses.json``, ``canned_response.json``).

    ``modified_by`` is read from ``modification_by`` too: the reference's prose names the key
    that way, its examples ``modified_by``.
    """
    ident = record_id(payload, "id", "canned response")
    get = payload.get
    return CannedResponse(
        id=ident,
        group_id=text(get("group")),
        text=text(get("text")) or "",
        tags=texts(get("tags")),
        created_at=when(get("creation_date")),
        created_by=text(get("created_by")),
        modified_at=when(get("modification_date")),
        modified_by=text(get("modified_by", get("modification_by"))),
        raw=payload,
    )


_GOAL_KEYS = frozenset({"id", "name", "active", "type"})


@converter("goal")
def goal_from_payload(payload: Mapping[str, Any]) -> Goal:
    """Map one ``/goals`` item or goal (``goals.json``, ``goal.json``).

    ``settings`` holds every key but ``id``, ``name``, ``active`` and ``type``: the type's own
    keys (``url``/``match_type``, ``custom_variable_name``/``custom_variable_value``, the sales
    tracker's seven). A missing ``active`` is True (new goals are active).
    """
    ident = record_id(payload, "id", "goal")
    return Goal(
        id=ident,
        name=text(payload.get("name")),
        type=GoalType(_lower(payload.get("type"))),
        active=bool(flag(payload.get("active"), default=True)),
        settings={key: value for key, value in payload.items() if key not in _GOAL_KEYS},
        raw=payload,
    )


def _rule(item: Any) -> GreetingRule:
    rule = mapping(item)
    urls = rule.get("urls")
    return GreetingRule(
        type=text(rule.get("type")) or "",
        id=text(rule.get("id")),
        operator=text(rule.get("operator")),
        condition=text(rule.get("condition")),
        value=text(rule.get("value")),
        variable_name=text(rule.get("variable_name")),
        variable_value=text(rule.get("variable_value")),
        urls=tuple(url for url in urls if isinstance(url, Mapping))
        if isinstance(urls, list)
        else (),
    )


@converter("greeting")
def greeting_from_payload(payload: Mapping[str, Any]) -> Greeting:
    """Map one ``/greetings`` item or greeting (``greetings.json``).

    ``active`` is the top-level flag (``true``, ``1`` or ``"1"``), else ``properties.active``,
    else True (the reference: "Defaults to 1"). ``message`` is
    ``properties["greeting-message_text"]``.
    """
    ident = record_id(payload, "id", "greeting")
    properties = mapping(payload.get("properties"))
    active = flag(payload.get("active"))
    if active is None:
        active = flag(properties.get("active"), default=True)
    rules = payload.get("rules")
    return Greeting(
        id=ident,
        name=text(payload.get("name")),
        active=bool(active),
        rules=tuple(_rule(item) for item in rules) if isinstance(rules, list) else (),
        message=text(properties.get("greeting-message_text")),
        properties=dict(properties),
        group_id=text(payload.get("group")),
        raw=payload,
    )


@converter("group")
def group_from_payload(payload: Mapping[str, Any]) -> Group:
    """Map one ``/groups`` item or group (``groups.json``, ``group.json``).

    Group 0 ("All operators") has no ``agents`` key: it holds every agent, so ``agent_ids``
    is empty.
    """
    ident = record_id(payload, "id", "group")
    return Group(
        id=ident,
        name=text(payload.get("name")),
        language=text(payload.get("language")),
        agent_ids=texts(payload.get("agents")),
        status=AvailabilityStatus(_lower(payload.get("status"))),
        raw=payload,
    )


@converter("tag")
def tag_from_payload(payload: Mapping[str, Any]) -> Tag:
    """Map one ``/tags`` item (``tags.json``): ``count`` is ``{"inChats", "inTickets"}``."""
    name = record_id(payload, "name", "tag")
    counts = mapping(payload.get("count"))
    return Tag(
        name=name,
        group_id=text(payload.get("group")),
        author=text(payload.get("author")),
        created_at=when(payload.get("creation_date")),
        chats_count=count(counts.get("inChats")),
        tickets_count=count(counts.get("inTickets")),
        raw=payload,
    )


@converter("webhook")
def webhook_from_payload(payload: Mapping[str, Any]) -> Webhook:
    """Map one entry of ``/webhooks``' ``events`` list (``webhooks.json``).

    ``license_id`` is the ``licence`` key (British spelling on the wire; ``license_id`` as in
    webhook deliveries is accepted too). ``token`` is a credential: never in the repr.
    """
    ident = record_id(payload, "id", "webhook")
    get = payload.get
    license_id = get("licence")
    if license_id is None:
        license_id = get("license_id")
    return Webhook(
        id=ident,
        event_type=WebhookEventType(_lower(get("event_type"))),
        data_types=texts(get("data_types")),
        url=text(get("url")) or "",
        verified=flag(get("verified")),
        license_id=text(license_id),
        token=text(get("token")) or "",
        raw=payload,
    )


_EMAIL_KEY = re.compile(r"e-?mail", re.IGNORECASE)


def _survey_email(survey: Any) -> str | None:
    # GET /visitors items list the pre-chat survey as [{"key": "E-mail:", "value": ...}];
    # webhook deliveries as [{"label": ..., "answer": ...}] (visitors.json).
    if not isinstance(survey, list):
        return None
    for entry in survey:
        if not isinstance(entry, Mapping):
            continue
        key = entry.get("key", entry.get("label"))
        if isinstance(key, str) and _EMAIL_KEY.search(key):
            value = text(entry.get("value", entry.get("answer")))
            if value:
                return value.strip()
    return None


@converter("visitor")
def visitor_from_payload(payload: Mapping[str, Any]) -> Visitor:
    """Map one ``GET /visitors`` item (``visitors.json``) to a normalized visitor.

    ``email`` is the item's ``email`` key if present, else the answer of the pre-chat survey
    question whose key mentions an e-mail, else None.
    """
    ident = record_id(payload, "id", "visitor")
    email = text(payload.get("email")) or _survey_email(payload.get("prechat_survey"))
    return Visitor(
        id=ident,
        name=text(payload.get("name")),
        email=email,
        phone=text(payload.get("phone")),
        raw=payload,
    )
