"""Profiles of the Acquire v1 fake's writes (``/profile/lead/add-update``,
``/profile/lead/delete``; see :mod:`chatapi.sandbox._acquire_v1_writes`) and the field
checks every v1 write shares.

Bodies follow https://developer.acquire.io/rest-apis/profiles-api/profile-add-update (a form,
custom fields as ``extra_field[<key>]``) and .../profiles-api/profile-delete (JSON ``{"id":
[...]}``); refusals are v1 sentences (chosen: the docs show none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .acquire import AcquireApp

__all__ = ["ProfileWrites", "Refused", "base_ids", "email_field", "text_field"]

_NEW_PROFILE, _NEW_VISITOR = 90_000, 80_000
_PROFILE_FIELDS = ("name", "email", "phone", "remarks", "address", "tags", "chat_id")


class Refused(Exception):
    """A write the vendor would refuse (the message is the envelope's ``error``)."""


def base_ids() -> tuple[int, int, int, int]:
    from .acquire import _V1_AGENT_ID, _V1_PROFILE_ID, _V1_USER_ID, _V1_VISITOR_ID

    return _V1_AGENT_ID, _V1_USER_ID, _V1_PROFILE_ID, _V1_VISITOR_ID


def text_field(body: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused(f"The {name} field is required.")
        return None
    if not isinstance(value, str):
        raise Refused(f"The {name} field must be a string.")
    return value.strip()


def email_field(body: Mapping[str, Any], *, required: bool = False) -> str | None:
    email = text_field(body, "email", required=required)
    if email is not None and ("@" not in email or email.startswith("@")):
        raise Refused("Please enter a valid email address.")
    return email


class ProfileWrites:
    """Profile state and handlers (a mixin of
    :class:`~chatapi.sandbox._acquire_v1_writes.AcquireV1Writes`)."""

    app: AcquireApp
    created: int
    #: Changes to generated profiles, by profile id (the add-update field names).
    profile_changes: dict[int, dict[str, Any]]
    #: Profiles the API added, in order (``id``, ``visitor_id`` and the fields).
    new_profiles: list[dict[str, Any]]
    #: Generated profiles deleted, by profile id.
    deleted: set[int]
    _added: int

    def _profile(self, visitor_id: int) -> tuple[int, dict[str, Any]]:
        """(profile id, its changes or record) of the live profile with ``visitor_id``."""
        _, _, profile_base, visitor_base = base_ids()
        index = visitor_id - visitor_base
        if 0 <= index < self.app.dataset.visitor_count:
            profile_id = profile_base + index
            if profile_id not in self.deleted:
                return profile_id, self.profile_changes.setdefault(profile_id, {})
        for profile in self.new_profiles:
            if profile["visitor_id"] == visitor_id:
                return profile["id"], profile
        raise Refused("No record found")

    def add_update_profile(self, body: dict[str, Any]) -> str:
        """``POST /api/profile/lead/add-update``."""
        fields: dict[str, Any] = {name: text_field(body, name) for name in _PROFILE_FIELDS}
        fields["email"] = email_field(body)
        extra = body.get("extra_field")
        if extra is not None and not isinstance(extra, dict):
            raise Refused("The extra_field field must be a list of fields.")
        fields = {k: v for k, v in fields.items() if v is not None}
        if extra:
            fields["fields"] = {str(k): str(v) for k, v in extra.items()}
        visitor = text_field(body, "visitor_id")
        if visitor is not None:
            if not visitor.isdigit():
                raise Refused("No record found")
            _, target = self._profile(int(visitor))
            extra_before = target.get("fields", {})
            target.update(fields)
            if "fields" in fields:
                target["fields"] = {**extra_before, **fields["fields"]}
            return "Record Successfully Updated"
        if not fields:
            raise Refused("Please provide the profile details.")
        n = self._added
        self._added += 1
        self.new_profiles.append({"id": _NEW_PROFILE + n, "visitor_id": _NEW_VISITOR + n, **fields})
        return "New Record Successfully Added"

    def delete_profiles(self, body: dict[str, Any]) -> str:
        """``POST /api/profile/lead/delete`` (JSON ``{"id": [...]}``)."""
        ids = body.get("id")
        if isinstance(ids, (str, int)):
            ids = [ids]
        if not isinstance(ids, list) or not ids:
            raise Refused("The id field is required.")
        wanted: set[int] = set()
        for raw in ids:
            if isinstance(raw, bool) or not str(raw).strip().isdigit():
                raise Refused("The id field must be a list of profile ids.")
            wanted.add(int(str(raw).strip()))
        profile_base = base_ids()[2]
        live_new = {p["id"] for p in self.new_profiles}
        for profile_id in wanted:
            generated = 0 <= profile_id - profile_base < self.app.dataset.visitor_count
            if (generated and profile_id in self.deleted) or (
                not generated and profile_id not in live_new
            ):
                raise Refused("No record found")
        self.deleted |= wanted - live_new
        self.new_profiles = [p for p in self.new_profiles if p["id"] not in wanted]
        return "Selected profile(s) successfully deleted!"

    @property
    def profiles_changed(self) -> bool:
        """Whether a write changed the profile listing."""
        return bool(self.deleted or self.new_profiles or self.profile_changes)

    def profile_page(
        self, ids: Sequence[int], master: str | None, page: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """The ``/profile/lead/list`` total and rows of page ``page``: the generated
        profiles ``ids`` (indexes) left, changed, then the added ones (none of which has chat
        history)."""
        app = self.app
        start, stop = (page - 1) * limit, page * limit
        profile_base = base_ids()[2]
        if not self.profiles_changed:
            return len(ids), [app.v1_profile_row(v) for v in ids[start:stop]]
        kept = [v for v in ids if profile_base + v not in self.deleted]
        added = [] if master == "chathistory" else self.new_profiles
        rows = [self._patched_profile(app.v1_profile_row(v)) for v in kept[start:stop]]
        low, high = max(start - len(kept), 0), max(stop - len(kept), 0)
        rows += [self._new_profile_row(p) for p in added[low:high]]
        return len(kept) + len(added), rows

    def _patched_profile(self, row: dict[str, Any]) -> dict[str, Any]:
        changes = self.profile_changes.get(row["id"])
        if changes:
            row.update({k: changes[k] for k in ("name", "email", "tags") if k in changes})
            if "phone" in changes:
                row["visitor_phone"] = changes["phone"]
        return row

    def _new_profile_row(self, profile: Mapping[str, Any]) -> dict[str, Any]:
        when = dt.datetime.fromtimestamp(self.created, dt.timezone.utc)
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        # The generated rows' keys (the documented row), blank where an API profile has none.
        row: dict[str, Any] = dict.fromkeys(self.app.v1_profile_row(0))
        row.update(
            {
                "id": profile["id"],
                "session_id": f"api{profile['id']}",
                "checked_status": 0,
                "visitor_id": profile["visitor_id"],
                "source": "api",
                "name": profile.get("name", ""),
                "email": profile.get("email", ""),
                "visitor_phone": profile.get("phone", ""),
                "date_updated": stamp,
                "first_seen": stamp,
                "last_seen": stamp,
                "lead_id": 0,
                "conversion": 0,
                "tags": profile.get("tags", ""),
            }
        )
        return row

    def profile_detail(self, profile_id: int) -> dict[str, Any] | None:
        """The ``/profile/lead/detail`` object of an added profile; None for a generated
        live one (the fake renders it, then :meth:`patch_detail`).

        Raises:
            Refused: A deleted or unknown profile.
        """
        if profile_id in self.deleted:
            raise Refused("No record found")
        for profile in self.new_profiles:
            if profile["id"] == profile_id:
                return self._new_detail(profile)
        if 0 <= profile_id - base_ids()[2] < self.app.dataset.visitor_count:
            return None
        raise Refused("No record found")

    def patch_detail(self, body: dict[str, Any]) -> dict[str, Any]:
        """A generated profile's detail object with the changes written to it."""
        changes = self.profile_changes.get(body["id"], {})
        for field in ("name", "email", "phone", "remarks", "address"):
            if field in changes:
                body[f"visitor_{field}"] = changes[field]
        if "tags" in changes:
            body["tags"] = [int(t) for t in changes["tags"].split(",") if t.strip().isdigit()]
        if "fields" in changes:
            body["fields"] = dict(changes["fields"])
        return body

    def _new_detail(self, profile: Mapping[str, Any]) -> dict[str, Any]:
        when = dt.datetime.fromtimestamp(self.created, dt.timezone.utc)
        tags = str(profile.get("tags", ""))
        return {
            "id": profile["id"],
            "visitor_id": profile["visitor_id"],
            "chatid": None,
            "visitor_name": profile.get("name", ""),
            "visitor_email": profile.get("email", ""),
            "visitor_phone": profile.get("phone", ""),
            "visitor_remarks": profile.get("remarks", ""),
            "visitor_address": profile.get("address", ""),
            "company_name": "",
            "lead_id": 0,
            "date_created": when.strftime("%Y-%m-%d %H:%M:%S"),
            "first_visit": when.strftime("%d-%m-%Y %I:%M:%S %p"),
            "total_chat": 0,
            "tags": [int(t) for t in tags.split(",") if t.strip().isdigit()],
            "fields": dict(profile.get("fields", {})),
            "custom_fields": [],
        }
