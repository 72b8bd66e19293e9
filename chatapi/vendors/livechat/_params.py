"""What each LiveChat v2 write accepts, as data (REST API v2 reference,
https://developers.livechat.com/docs/ — the "Required parameters" and "Optional parameters"
tables of each resource).

Keywords are the reference's names; where the reference nests (``requester[mail]``) the
keyword is the Python-safe spelling (``requester_mail``) and ``wire`` keeps the reference's.
"""

from __future__ import annotations

from ...filters import Choice, Date, FilterSet, Flag, Repeated, Text
from ...parameters import Param, ParameterSet

__all__ = [
    "AGENT_CREATE",
    "AGENT_UPDATE",
    "CANNED_RESPONSE_CREATE",
    "CANNED_RESPONSE_UPDATE",
    "CHAT_TAGS",
    "GOAL_CREATE",
    "GOAL_SUCCESS",
    "GOAL_UPDATE",
    "GREETING_CREATE",
    "GREETING_UPDATE",
    "GROUP_CREATE",
    "GROUP_UPDATE",
    "TAG_CREATE",
    "TAG_DELETE",
    "TICKET_CREATE",
    "TICKET_FILTERS",
    "TICKET_TAGS",
    "TRANSCRIPT",
    "VISITOR_DETAILS",
    "VISITOR_FILTERS",
    "WEBHOOK_CREATE",
]

_TEXT = Param("text")
_REQUIRED_TEXT = Param("text", required=True)

_AGENT_FIELDS = {
    "job_title": _TEXT,
    "name": _TEXT,
    "login_status": _TEXT,
    "password": _TEXT,
    "permission": _TEXT,
    # Listed as ``groups[]``; the JSON example sends ``"groups": [1, 2]``.
    "groups": Param("integers"),
    "notifications": Param("object"),
    "daily_summary": Param("flag"),
    "max_chats_count": Param("integer"),
}
AGENT_CREATE = ParameterSet(
    {"login": _REQUIRED_TEXT, **_AGENT_FIELDS, "name": _REQUIRED_TEXT},
)
AGENT_UPDATE = ParameterSet(
    {
        **_AGENT_FIELDS,
        "current_password": _TEXT,
        "status": _TEXT,
        "work_scheduler": Param("object"),
    }
)

# "tag — array of used tags". The chat example repeats a "tag[]" key inside one JSON object,
# which a JSON parser collapses to its last value; the ticket example of the same call sends
# {"tag": [...]}, the form every tag survives.
CHAT_TAGS = ParameterSet({"tag": Param("texts", required=True)})
TRANSCRIPT = ParameterSet({"to": _REQUIRED_TEXT})

CANNED_RESPONSE_CREATE = ParameterSet(
    {
        "text": _REQUIRED_TEXT,
        "tags": Param("texts", required=True),
        "group": Param("integer"),
    }
)
# Sent as a form body, ``tags[]=bye``, as the reference's example does.
CANNED_RESPONSE_UPDATE = ParameterSet({"text": _TEXT, "tags": Param("texts")})

# The parameters a goal's type adds ("Additional info" of "Add a new goal").
_GOAL_SETTINGS = {
    "custom_variable_name": _TEXT,
    "custom_variable_value": _TEXT,
    "url": _TEXT,
    "match_type": _TEXT,
    "value_type": _TEXT,
    "value": Param("scalar"),
    "currency": _TEXT,
    "time_range": Param("scalar"),
    "order_field_name": _TEXT,
    "value_field_name": _TEXT,
    "sales_tracker_id": Param("scalar"),
}
GOAL_CREATE = ParameterSet(
    {
        "name": _REQUIRED_TEXT,
        "type": _REQUIRED_TEXT,
        "active": Param("flag"),
        **_GOAL_SETTINGS,
    }
)
GOAL_UPDATE = ParameterSet(
    {"name": _TEXT, "type": _TEXT, "active": Param("flag"), **_GOAL_SETTINGS}
)
GOAL_SUCCESS = ParameterSet(
    {
        "visitor_id": _REQUIRED_TEXT,
        "order_id": _TEXT,
        "order_description": _TEXT,
        # "199.00, only the period is allowed as a separation character": sent as given.
        "order_price": Param("scalar"),
        "order_currency": _TEXT,
    }
)

GREETING_CREATE = ParameterSet(
    {
        "name": _REQUIRED_TEXT,
        "rules": Param("objects", required=True),
        "group": Param("integer"),
        "active": Param("flag"),
        "subtype": _TEXT,
    }
)
# Sent as a form body in bracket notation (``rules[0][type]=...``), as the reference shows.
GREETING_UPDATE = ParameterSet(
    {
        "name": _TEXT,
        "active": Param("flag"),
        "rules": Param("objects"),
        "properties": Param("object"),
        # The greeting's text: ``properties[greeting-message_text]``.
        "message": Param("text", wire="properties[greeting-message_text]"),
    }
)

GROUP_CREATE = ParameterSet(
    {"name": _REQUIRED_TEXT, "agents": Param("texts", required=True), "language": _TEXT}
)
GROUP_UPDATE = ParameterSet({"name": _TEXT, "agents": Param("texts"), "language": _TEXT})

TAG_CREATE = ParameterSet(
    {"tag": _REQUIRED_TEXT, "author": _REQUIRED_TEXT, "group": Param("integer", required=True)}
)
TAG_DELETE = ParameterSet({"group": Param("integer", required=True)})

TICKET_FILTERS = FilterSet(
    {
        "date_from": Date(),
        "date_to": Date(),
        "assigned": Flag(),
        "order": Choice("desc", "asc"),
        "status": Text(),
        "assignee": Text(),
        "query": Text(),
        "requester_mail": Text("requester[mail]"),
        "group": Text(),
        "source": Text(),
        "tag": Text(),
        "tagged": Flag(),
    }
)
TICKET_CREATE = ParameterSet(
    {
        "message": _REQUIRED_TEXT,
        "requester_mail": Param("text", wire="requester[mail]", required=True),
        "requester_name": Param("text", wire="requester[name]"),
        "assignee_id": Param("text", wire="assignee[id]"),
        "source_type": Param("text", wire="source[type]"),
        "source_url": Param("text", wire="source[url]"),
        "subject": _TEXT,
        "group": Param("integers"),
    }
)
TICKET_TAGS = ParameterSet({"tag": Param("texts", required=True)})

# Sent as a form body (``data_types[]=chat&data_types[]=visitor``), as the reference shows.
WEBHOOK_CREATE = ParameterSet(
    {
        "event_type": _REQUIRED_TEXT,
        "data_types": Param("texts", required=True),
        "url": _REQUIRED_TEXT,
    }
)

VISITOR_FILTERS = FilterSet({"state": Text(), "group": Repeated("group[]")})
# ``license_id`` and ``token`` come with a webhook; ``id`` names the integration.
VISITOR_DETAILS = ParameterSet(
    {
        "license_id": Param("scalar", required=True),
        "token": _REQUIRED_TEXT,
        "fields": Param("objects", required=True),
        "id": _TEXT,
    }
)
