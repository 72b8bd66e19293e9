"""The Acquire v1 writes as endpoint rows (:mod:`chatapi.endpoints`) and their parameters.

Every v1 call is a ``POST``; these four change the account, so unlike the v1 reads they are
not marked idempotent: the core never repeats one unless the vendor provably did not process
it. Each answers a sentence inside the ``{"success", "error", "data"}`` envelope, which the
row's ``confirms`` checks; the call returns None.

- ``agents/add`` (https://developer.acquire.io/rest-apis/agent/agent-add): form body
  ``role`` (1 Administrator, 2 Operator), ``name``, ``email``, ``password``, ``status``
  (``active``/``disable``); answers ``"Agent save successfully."``.
- ``agents/update`` (https://developer.acquire.io/rest-apis/agent/update): form body ``id``
  and the fields to change; "you can not update Email address"; answers ``"Agent updated
  successfully"``.
- ``lead/add-update`` (https://developer.acquire.io/rest-apis/profiles-api/profile-add-update):
  form body ``name``, ``email``, ``phone``, ``remarks``, ``tags`` (``"73,74"``), ``address``,
  ``chat_id``, ``visitor_id`` and custom fields as ``extra_field[<key>]`` (the page prints
  them as ``[extra_field][<key>]<key>``, a rendering of the bracket name); answers ``"New
  Record Successfully Added"``.
- ``lead/delete`` (https://developer.acquire.io/rest-apis/profiles-api/profile-delete): JSON
  body ``{"id": [3112]}``; answers ``"Selected profile(s) successfully deleted!"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...endpoints import Endpoint
from ...parameters import Param, ParameterSet

__all__ = [
    "AGENT_CREATE",
    "AGENT_UPDATE",
    "PROFILE_ADD_UPDATE",
    "PROFILE_DELETE",
    "WRITE_ENDPOINTS",
    "confirmed",
]

_TEXT = Param("text")
_REQUIRED_TEXT = Param("text", required=True)

AGENT_CREATE = ParameterSet(
    {
        "role": Param("integer", required=True),
        "name": _REQUIRED_TEXT,
        "email": _REQUIRED_TEXT,
        "password": _REQUIRED_TEXT,
        "status": _REQUIRED_TEXT,
    }
)
# No "email": the update page says it cannot change.
AGENT_UPDATE = ParameterSet(
    {
        "id": Param("integer", required=True),
        "role": Param("integer"),
        "name": _TEXT,
        "password": _TEXT,
        "status": _TEXT,
    }
)
PROFILE_ADD_UPDATE = ParameterSet(
    {
        "name": _TEXT,
        "email": _TEXT,
        "phone": _TEXT,
        "remarks": _TEXT,
        # Comma-separated tag ids, "73,74" in the doc's example.
        "tags": _TEXT,
        "address": _TEXT,
        "chat_id": _TEXT,
        "visitor_id": _TEXT,
        # Custom fields by key: flattened to extra_field[<key>]=<value>.
        "extra_field": Param("object"),
    }
)
PROFILE_DELETE = ParameterSet({"id": Param("integers", required=True)})


def confirmed(body: Any) -> bool:
    """Whether ``body`` is a v1 write's acknowledgement: a sentence saying it succeeded.

    Every documented write answers ``{"success": true, "error": null, "data": "<sentence>"}``
    and each sentence says "success" ("Agent save successfully.", "New Record Successfully
    Added", ...). Failures in the envelope (``success: false``) never get here.
    """
    data = body.get("data") if isinstance(body, Mapping) and "data" in body else body
    return isinstance(data, str) and "success" in data.casefold()


def _write(path: str, parameters: ParameterSet, kind: str, body: Any = "form") -> Endpoint[Any]:
    """A v1 write: a POST (not safe to repeat) answered by a confirmation sentence."""
    return Endpoint(
        path=path,
        decode=None,
        kind=kind,
        method="POST",
        body=body,
        parameters=parameters,
        confirms=confirmed,
    )


#: The v1 write rows (merged into :data:`chatapi.vendors.acquire._rows_v1.ENDPOINTS`).
WRITE_ENDPOINTS: dict[str, Endpoint[Any]] = {
    "create_agent": _write("/account/agents/add", AGENT_CREATE, "agent"),
    "update_agent": _write("/account/agents/update", AGENT_UPDATE, "agent"),
    "add_or_update_profile": _write("/profile/lead/add-update", PROFILE_ADD_UPDATE, "profile"),
    "delete_profiles": _write("/profile/lead/delete", PROFILE_DELETE, "profile", body="json"),
}
