"""The Acquire v2 writes (and the configuration listings they go with), as endpoint rows.

Every row follows a page of https://developer.acquire.io/v/2.0.0/: users
(``settings-configuration/account-user-agent/{add,update,delete}``), contacts
(``customer/{create,update,delete}``), cases (``conversation/conversation-or-cases/create``,
``.../messages-1/add``, ``.../close-case``), departments
(``settings-configuration/account-department/*``), tags (``platform/tags/*``) and message
shortcuts (``platform/message-shortcuts/*``). Bodies are JSON (the pages' "Body (raw)"
examples); ids the pages put in the query (``?userId=``, ``?id=``, ``?contactId=``,
``?x-user-type=``) go there. No write is retried once it may have been processed (the core
does that for every non-GET row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...endpoints import Endpoint, plain
from ...errors import ErrorDetails
from ...pagination import SinglePage
from ...parameters import Param, ParameterSet
from ._convert_v2 import v2_agent, v2_chat, v2_visitor
from ._v2_types import (
    case_message_from_payload,
    department_from_payload,
    shortcut_from_payload,
    tag_from_payload,
)

__all__ = ["WRITE_ENDPOINTS"]

_TEXT = Param("text")
_IDS = Param("integers")


def _deleted(data: Any) -> bool:
    # Every delete answers {"data": {"deleted": 1}}.
    inner = data.get("data") if isinstance(data, Mapping) else None
    return isinstance(inner, Mapping) and "deleted" in inner


def _closed(data: Any) -> bool:
    # Close answers {"data": {"0": {"foreverClosed", "caseId", ...}, "userId", "userType"}}.
    return isinstance(data, Mapping) and isinstance(data.get("data"), Mapping)


def _by_id(records: Sequence[Any], arguments: Mapping[str, Any]) -> Any:
    """The record of the path's id out of a list answer (user update: ``{"data": [user]}``)."""
    wanted = str(arguments.get("id"))
    for record in records:
        if isinstance(record, Mapping) and str(record.get("id")) == wanted:
            return record
    if len(records) == 1:
        return records[0]
    return ErrorDetails(message=f"the answer holds no record {wanted!r}")


def _by_name(records: Sequence[Any], arguments: Mapping[str, Any]) -> Any:
    """The new department out of the add answer (``{"data": [{name, status, id}]}``)."""
    wanted = [item.get("name") for item in arguments.get("department_list") or ()]
    for record in reversed(records):
        if isinstance(record, Mapping) and record.get("name") in wanted:
            return record
    return ErrorDetails(message="the answer holds no department of this name")


def _user(payload: Any) -> Any:
    # Add answers {"data": {"user": {...}, "success": true, ...}}.
    if isinstance(payload, Mapping) and isinstance(payload.get("user"), Mapping):
        return payload["user"]
    return payload


def _write(
    path: str, method: str, params: ParameterSet | None, decode: Any, kind: str, **fields: Any
) -> Endpoint[Any]:
    query = fields.pop("query", False)
    confirms = fields.pop("confirms", _deleted if decode is None else None)
    return Endpoint(
        path=path,
        method=method,
        body="query" if query else "json",
        parameters=params,
        decode=decode,
        kind=kind,
        envelope="data",
        confirms=confirms,
        **fields,
    )


def _listing(path: str, decode: Any, kind: str) -> Endpoint[Any]:
    # {"data": {"count", "data": [...]}}; no paging parameters are documented: one request.
    return Endpoint(
        path=path,
        decode=decode,
        kind=kind,
        envelope="data",
        items="data",
        total=("count",),
        strategy=SinglePage(),
        filters={"search"} if kind != "department" else set(),
    )


USER_CREATE = ParameterSet(
    {
        "name": Param("text", required=True),
        "email": Param("text", required=True),
        "password": Param("text", required=True),
        # "Array of integers. The role ID(s)"; "Pass empty array if not assigning any".
        "roles": Param("integers", required=True),
        "department": Param("integers", required=True),
    }
)
USER_UPDATE = ParameterSet(
    {
        "name": _TEXT,
        "email": _TEXT,
        "status": _TEXT,
        "phone": _TEXT,
        "password": _TEXT,
        "new_password": Param("text", wire="newPwd"),
        "departments": _IDS,
        "roles": _IDS,
    }
)
# Contacts: name, email, phone and custom attributes all go under "fields" (the "Body (raw)"
# example of customer/create); the wrappers build that object.
CONTACT = ParameterSet({"fields": Param("object", required=True)})
CASE_CREATE = ParameterSet(
    {
        "title": _TEXT,
        "message": Param("text", wire="message[message]"),
        "message_type": Param("text", wire="message[type]"),
        "channel": _TEXT,
    }
)
CASE_MESSAGE = ParameterSet(
    {
        "case_id": Param("integer", wire="caseId", required=True),
        "message": Param("text", wire="message[message]", required=True),
        "type": Param("text", wire="message[type]", required=True),
        "channel": _TEXT,
    }
)
CASE_CLOSE = ParameterSet(
    {
        "case_id": Param("integer", wire="caseId", required=True),
        "closing_state": Param("text", wire="closingState"),
        "archive": _TEXT,
        "ask_feedback": Param("boolean", wire="askFeedback"),
    }
)
DEPARTMENT_CREATE = ParameterSet({"department_list": Param("objects", required=True)})
DEPARTMENT_UPDATE = ParameterSet({"name": _TEXT, "status": _TEXT})
TAG = ParameterSet({"name": _TEXT, "color": _TEXT, "type": Param("texts", required=True)})
SHORTCUT_CREATE = ParameterSet({"shortcut_name": _TEXT, "message": Param("text", required=True)})
SHORTCUT_UPDATE = ParameterSet({"shortcut_name": _TEXT, "message": _TEXT})
BY_ID = ParameterSet({"id": Param("integer", required=True)})
BY_USER_ID = ParameterSet({"user_id": Param("integer", wire="userId", required=True)})

_agent = plain(v2_agent)
_contact = plain(v2_visitor)

#: The write rows of AcquireV2 (merged into its ENDPOINTS).
WRITE_ENDPOINTS: dict[str, Endpoint[Any]] = {
    # -- users ------------------------------------------------------------------------------
    "create_user": _write("/account/user", "POST", USER_CREATE, _agent, "user", record=_user),
    "update_user": _write("/account/user/{id}", "PUT", USER_UPDATE, _agent, "user", pick=_by_id),
    "delete_user": _write("/account/user", "DELETE", BY_USER_ID, None, "user", query=True),
    # -- contacts ---------------------------------------------------------------------------
    "create_contact": _write("/crm/objects/contact", "POST", CONTACT, _contact, "contact"),
    "update_contact": _write("/crm/objects/contact/{id}", "PUT", CONTACT, _contact, "contact"),
    "delete_contact": _write("/crm/objects/contact/{id}", "DELETE", None, None, "contact"),
    # -- cases ------------------------------------------------------------------------------
    # "The contactId must be passed in to the endpoint as a query parameter. The body is
    # optional." The path template carries the query (its value quoted like an id).
    "create_case_for_contact": _write(
        "/crm/messenger/chat/create?contactId={contact_id}",
        "POST",
        CASE_CREATE,
        lambda payload, tz: v2_chat(payload, tz),
        "case",
    ),
    # x-user-type: "user" (from an agent: the API key's user) or "contact".
    "add_case_message": _write(
        "/crm/messenger/chat/add-message?x-user-type={user_type}",
        "POST",
        CASE_MESSAGE,
        case_message_from_payload,
        "case message",
    ),
    "close_case": _write(
        "/crm/messenger/chat/close", "POST", CASE_CLOSE, None, "case", confirms=_closed
    ),
    # -- departments --------------------------------------------------------------------------
    "departments": _listing("/account/department", plain(department_from_payload), "department"),
    "create_department": _write(
        "/account/department",
        "POST",
        DEPARTMENT_CREATE,
        plain(department_from_payload),
        "department",
        pick=_by_name,
    ),
    "update_department": _write(
        "/account/department/{id}",
        "PUT",
        DEPARTMENT_UPDATE,
        plain(department_from_payload),
        "department",
    ),
    "delete_department": _write(
        "/account/department", "DELETE", BY_ID, None, "department", query=True
    ),
    # -- tags ---------------------------------------------------------------------------------
    "tags": _listing("/crm/tag", plain(tag_from_payload), "tag"),
    "create_tag": _write("/crm/tag", "POST", TAG, plain(tag_from_payload), "tag"),
    "update_tag": _write("/crm/tag/{id}", "PUT", TAG, plain(tag_from_payload), "tag"),
    "delete_tag": _write("/crm/tag", "DELETE", BY_ID, None, "tag", query=True),
    # -- message shortcuts ----------------------------------------------------------------------
    "shortcuts": _listing("/crm/message-shortcut", plain(shortcut_from_payload), "shortcut"),
    "create_shortcut": _write(
        "/crm/message-shortcut", "POST", SHORTCUT_CREATE, plain(shortcut_from_payload), "shortcut"
    ),
    "update_shortcut": _write(
        "/crm/message-shortcut/{id}",
        "PUT",
        SHORTCUT_UPDATE,
        plain(shortcut_from_payload),
        "shortcut",
    ),
    "delete_shortcut": _write(
        "/crm/message-shortcut", "DELETE", BY_ID, None, "shortcut", query=True
    ),
}
