"""Content resources of the LiveChat fake: canned responses, goals and greetings (a mixin
of :class:`chatapi.sandbox._livechat_config.LiveChatConfig`).

Shapes follow https://developers.livechat.com/docs/ (REST API v2 reference, sections
Canned responses, Goals, Greetings). Not documented by LiveChat and chosen here:
greetings carry their ``group``.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._app import json_response
from ._forms import BadParameter, NotFound, as_int, as_list, read_body, require
from .data import GROUPS, TOPICS

__all__ = ["GOAL_TYPES", "LiveChatContent"]

GOAL_TYPES = ("custom_variable", "url", "api", "sales_tracker")
_GOAL_KEYS = {
    "custom_variable": ("custom_variable_name", "custom_variable_value"),
    "url": ("url", "match_type"),
    "api": (),
    "sales_tracker": (
        "sales_tracker_id",
        "value_type",
        "value",
        "currency",
        "time_range",
        "order_field_name",
        "value_field_name",
    ),
}
_GREETING_TEXT = "Hello, would you like to talk about our products?"
_CANNED_TEXTS = (
    ("Can I help you with anything else?", ("help", "else")),
    ("What product are you interested in?", ("product", "interest")),
    ("Have a great day, goodbye.", ("bye",)),
    ("Let me check your {topic} for you.", ("{topic}", "check")),
)


def _now() -> int:
    return int(time.time())


def _text(value: Any) -> str:
    # Forms send strings, JSON may send numbers or booleans: the API echoes strings.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flag(value: Any, name: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if str(value) in ("0", "1"):
        return int(str(value))
    raise BadParameter(f"{name}: must be 1 or 0")


def _strings(value: Any, name: str) -> list[str]:
    items = [value] if isinstance(value, str) else as_list(value, name)
    if not all(isinstance(item, str) for item in items):
        raise BadParameter(f"{name}: must be an array of strings")
    return list(items)


class LiveChatContent:
    """Canned responses, goals and greetings: initial data and handlers.

    The state lives on the instance (set up by :class:`LiveChatConfig`); this mixin adds
    the behaviour.
    """

    login: str
    agents: dict[str, dict[str, Any]]
    groups: dict[int, dict[str, Any]]
    canned: dict[int, dict[str, Any]]
    goals: dict[int, dict[str, Any]]
    goal_successes: list[dict[str, Any]]
    greetings: dict[int, dict[str, Any]]
    _epoch: int
    _next_canned: int
    _next_goal: int
    _next_greeting: int
    _next_rule: int

    def _rng(self, kind: str) -> random.Random:
        raise NotImplementedError

    def _known_group(self, value: Any, name: str = "group") -> int:
        group_id = as_int(value, name)
        if group_id not in self.groups:
            raise BadParameter(f"{name}: unknown group {group_id}")
        return group_id

    # -- initial data -----------------------------------------------------------------------

    def _seed_canned(self) -> None:
        rng = self._rng("canned")
        logins = list(self.agents)
        created = self._epoch - rng.randrange(30, 300) * 86400
        for group_id in self.groups:
            topic = TOPICS[rng.randrange(len(TOPICS))]
            for text, tags in _CANNED_TEXTS[: 2 + group_id % 3]:
                created += rng.randrange(60, 86400)
                self._add_canned(
                    {
                        "group": group_id,
                        "text": text.format(topic=topic),
                        "creation_date": created,
                        "created_by": rng.choice(logins),
                        "tags": [tag.format(topic=topic) for tag in tags],
                    }
                )

    def _add_canned(self, body: dict[str, Any]) -> dict[str, Any]:
        record = {"id": self._next_canned, **body}
        self.canned[self._next_canned] = record
        self._next_canned += 10
        return record

    def _seed_goals(self) -> None:
        rng = self._rng("goals")
        topic = TOPICS[rng.randrange(len(TOPICS))]
        seeds: list[dict[str, Any]] = [
            {
                "name": "purchase",
                "type": "url",
                "url": "https://shop.example.com/checkout/thank_you",
                "match_type": "substring",
            },
            {
                "name": f"{topic} variable",
                "type": "custom_variable",
                "custom_variable_name": topic,
                "custom_variable_value": "true",
            },
            {"name": "api conversion", "type": "api"},
            {
                "name": "sales tracker",
                "type": "sales_tracker",
                "sales_tracker_id": f"{rng.getrandbits(32):08x}",
                "value_type": "dynamic",
                "value": "0",
                "currency": "USD",
                "time_range": "7",
                "order_field_name": "order_id",
                "value_field_name": "order_value",
            },
        ]
        for number, goal in enumerate(seeds):
            self._add_goal({**goal, "active": 0 if number == 2 else 1})

    def _add_goal(self, body: dict[str, Any]) -> dict[str, Any]:
        record = {"id": self._next_goal, **body}
        self.goals[self._next_goal] = record
        self._next_goal += 10
        return record

    def _seed_greetings(self) -> None:
        rng = self._rng("greetings")
        topic = TOPICS[rng.randrange(len(TOPICS))]
        seeds: list[tuple[str, int, list[dict[str, Any]], str]] = [
            (
                "Time on site: 5 sec",
                0,
                [{"type": "visit_time_site", "value": "5", "operator": "equals"}],
                "Hello, how may I help you?",
            ),
            (
                "Returning visitor",
                1,
                [{"type": "visits_number", "value": "2", "operator": "greater_or_equal"}],
                "Hello again!",
            ),
            (
                f"{topic} shoppers",
                len(GROUPS) - 1,
                [
                    {
                        "type": "custom_variable",
                        "operator": "contains",
                        "variable_name": "cart",
                        "variable_value": topic,
                    },
                    {
                        "type": "url_funnel",
                        "urls": [
                            {"url": "shop.example.com/" + topic, "operator": "equals"},
                            {"url": "cart", "operator": "contains"},
                        ],
                    },
                ],
                f"Questions about {topic}? We're here.",
            ),
        ]
        for name, group_id, rules, message in seeds:
            self._add_greeting(
                {
                    "name": name,
                    "group": group_id,
                    "active": True,
                    "rules": self._rules(rules),
                    "properties": {"active": "1", "greeting-message_text": message},
                }
            )

    def _add_greeting(self, body: dict[str, Any]) -> dict[str, Any]:
        record = {"id": self._next_greeting, **body}
        self.greetings[self._next_greeting] = record
        self._next_greeting += 10
        return record

    # -- canned responses -------------------------------------------------------------------

    def _canned(self, request: web.Request) -> dict[str, Any]:
        text = request.match_info["canned_id"]
        record = self.canned.get(int(text)) if text.isdigit() else None
        if record is None:
            raise NotFound("Canned response not found")
        return record

    async def list_canned(self, request: web.Request) -> web.Response:
        """``GET /canned_responses`` (``group`` defaults to 0)."""
        group_id = as_int(request.query.get("group", "0"), "group")
        return json_response([r for r in self.canned.values() if r["group"] == group_id])

    async def get_canned(self, request: web.Request) -> web.Response:
        """``GET /canned_responses/<id>``."""
        return json_response(self._canned(request))

    async def create_canned(self, request: web.Request) -> web.Response:
        """``POST /canned_responses``: ``text`` and ``tags`` required."""
        body = await read_body(request)
        text = str(require(body, "text"))
        tags = _strings(require(body, "tags"), "tags")
        group_id = self._known_group(body.get("group", 0))
        record = self._add_canned(
            {
                "group": group_id,
                "text": text,
                "creation_date": _now(),
                "created_by": self.login,
                "tags": tags,
            }
        )
        return json_response(record)

    async def update_canned(self, request: web.Request) -> web.Response:
        """``PUT /canned_responses/<id>`` (a form as in the reference, or JSON)."""
        record = self._canned(request)
        body = await read_body(request)
        changed = dict(record)
        if "text" in body:
            changed["text"] = str(require(body, "text"))
        if "tags" in body:
            changed["tags"] = _strings(body["tags"], "tags")
        tags = changed.pop("tags")
        changed["modification_date"] = _now()
        changed["modified_by"] = self.login
        changed["tags"] = tags
        self.canned[record["id"]] = changed
        return json_response(changed)

    async def delete_canned(self, request: web.Request) -> web.Response:
        """``DELETE /canned_responses/<id>``."""
        record = self._canned(request)
        del self.canned[record["id"]]
        return json_response({"result": "Canned response removed successfully"})

    # -- goals ------------------------------------------------------------------------------

    def _goal(self, request: web.Request) -> dict[str, Any]:
        text = request.match_info["goal_id"]
        record = self.goals.get(int(text)) if text.isdigit() else None
        if record is None:
            raise NotFound("Goal not found")
        return record

    @staticmethod
    def _goal_settings(goal: dict[str, Any], body: Mapping[str, Any]) -> None:
        kind = goal["type"]
        for other, keys in _GOAL_KEYS.items():
            if other != kind:
                for key in keys:
                    goal.pop(key, None)
        for key in _GOAL_KEYS[kind]:
            if key in body:
                goal[key] = _text(body[key])
        if kind == "custom_variable":
            require(goal, "custom_variable_name")
            require(goal, "custom_variable_value")
        elif kind == "url":
            require(goal, "url")
            goal.setdefault("match_type", "substring")
            if goal["match_type"] not in ("substring", "exact"):
                raise BadParameter("match_type: available values are substring, exact")
        elif kind == "sales_tracker" and goal.get("value_type", "set") not in (
            "set",
            "not_set",
            "dynamic",
        ):
            raise BadParameter("value_type: available values are set, not_set, dynamic")

    @staticmethod
    def _goal_type(value: Any) -> str:
        if value not in GOAL_TYPES:
            raise BadParameter("type: available values are " + ", ".join(GOAL_TYPES))
        return str(value)

    async def list_goals(self, request: web.Request) -> web.Response:
        """``GET /goals`` (optional ``type``)."""
        kind = request.query.get("type")
        if kind is not None:
            self._goal_type(kind)
        rows = [
            {key: goal[key] for key in ("id", "name", "active", "type")}
            for goal in self.goals.values()
            if kind is None or goal["type"] == kind
        ]
        return json_response(rows)

    async def get_goal(self, request: web.Request) -> web.Response:
        """``GET /goals/<id>``: the type's extra keys included."""
        return json_response(self._goal(request))

    async def create_goal(self, request: web.Request) -> web.Response:
        """``POST /goals``: ``name`` and ``type`` required (plus the type's own)."""
        body = await read_body(request)
        name = str(require(body, "name"))
        kind = self._goal_type(require(body, "type"))
        goal: dict[str, Any] = {
            "name": name,
            "active": _flag(body.get("active", 1), "active"),
            "type": kind,
        }
        self._goal_settings(goal, body)
        return json_response(self._add_goal(goal))

    async def update_goal(self, request: web.Request) -> web.Response:
        """``PUT /goals/<id>``: only the given fields change."""
        goal = dict(self._goal(request))
        body = await read_body(request)
        if "name" in body:
            goal["name"] = str(require(body, "name"))
        if "active" in body:
            goal["active"] = _flag(body["active"], "active")
        if "type" in body:
            goal["type"] = self._goal_type(body["type"])
        self._goal_settings(goal, body)
        self.goals[goal["id"]] = goal
        return json_response(goal)

    async def delete_goal(self, request: web.Request) -> web.Response:
        """``DELETE /goals/<id>``."""
        goal = self._goal(request)
        del self.goals[goal["id"]]
        return json_response({"result": "goal removed successfully"})

    async def mark_goal(self, request: web.Request) -> web.Response:
        """``POST /goals/<id>/mark_as_successful``: ``visitor_id`` required."""
        goal = self._goal(request)
        body = await read_body(request)
        success = {"goal": goal["id"], "visitor_id": str(require(body, "visitor_id"))}
        for key in ("order_id", "order_description", "order_price", "order_currency"):
            if key in body:
                success[key] = _text(body[key])
        self.goal_successes.append(success)
        return json_response({"result": "goal marked as successful"})

    # -- greetings --------------------------------------------------------------------------

    def _rules(self, rules: Any) -> list[dict[str, Any]]:
        out = []
        for number, rule in enumerate(as_list(rules, "rules")):
            if not isinstance(rule, dict):
                raise BadParameter(f"rules[{number}]: must be an object")
            kind = str(require(rule, "type")) if "type" in rule else None
            if kind is None:
                raise BadParameter(f"rules[{number}][type]: is required")
            # The reference's "multiple rules" example sends "custom" and gets
            # "custom_variable" back.
            kind = "custom_variable" if kind == "custom" else kind
            item: dict[str, Any] = {"id": self._next_rule}
            self._next_rule += 10
            if kind not in ("custom_variable", "url_funnel"):
                item["value"] = _text(rule.get("value", ""))
            item["type"] = kind
            if kind != "url_funnel":
                item["operator"] = str(rule.get("operator") or "equals")
            item["condition"] = str(rule.get("condition") or "and")
            if kind == "custom_variable":
                item["variable_name"] = _text(rule.get("variable_name", ""))
                item["variable_value"] = _text(rule.get("variable_value", ""))
            if kind == "url_funnel":
                urls = as_list(rule.get("urls", []), f"rules[{number}][urls]")
                item["urls"] = [dict(u) for u in urls if isinstance(u, dict)]
            out.append(item)
        if not out:
            raise BadParameter("rules: is required")
        return out

    def _greeting(self, request: web.Request) -> dict[str, Any]:
        text = request.match_info["greeting_id"]
        record = self.greetings.get(int(text)) if text.isdigit() else None
        if record is None:
            raise NotFound("Greeting not found")
        return record

    async def list_greetings(self, request: web.Request) -> web.Response:
        """``GET /greetings`` (``group``: that group's only; absent: all)."""
        raw = request.query.get("group")
        group_id = None if raw is None else as_int(raw, "group")
        rows = [g for g in self.greetings.values() if group_id is None or g["group"] == group_id]
        return json_response(rows)

    async def get_greeting(self, request: web.Request) -> web.Response:
        """``GET /greetings/<id>``."""
        return json_response(self._greeting(request))

    async def create_greeting(self, request: web.Request) -> web.Response:
        """``POST /greetings``: ``name`` and ``rules`` required."""
        body = await read_body(request)
        name = str(require(body, "name"))
        rules = self._rules(require(body, "rules"))
        group_id = self._known_group(body.get("group", 0))
        active = _flag(body.get("active", 1), "active")
        record: dict[str, Any] = {
            "name": name,
            "group": group_id,
            "active": bool(active),
            "rules": rules,
            "properties": {"active": str(active), "greeting-message_text": _GREETING_TEXT},
        }
        subtype = body.get("subtype")
        if subtype is not None:
            if subtype != "announcement":
                raise BadParameter("subtype: available values are announcement")
            record["subtype"] = subtype
        return json_response(self._add_greeting(record))

    async def update_greeting(self, request: web.Request) -> web.Response:
        """``PUT /greetings/<id>``: name, active, properties, rules (form or JSON)."""
        greeting = copy.deepcopy(self._greeting(request))
        body = await read_body(request)
        if "name" in body:
            greeting["name"] = str(require(body, "name"))
        properties = body.get("properties")
        if properties is not None:
            if not isinstance(properties, dict):
                raise BadParameter("properties: must be an object")
            greeting["properties"].update({k: _text(v) for k, v in properties.items()})
            if "active" in properties:
                greeting["active"] = bool(_flag(properties["active"], "properties[active]"))
        if "active" in body:
            active = _flag(body["active"], "active")
            greeting["active"] = bool(active)
            greeting["properties"]["active"] = str(active)
        if "rules" in body:
            greeting["rules"] = self._rules(body["rules"])
        if "group" in body:
            greeting["group"] = self._known_group(body["group"])
        self.greetings[greeting["id"]] = greeting
        return json_response(greeting)

    async def delete_greeting(self, request: web.Request) -> web.Response:
        """``DELETE /greetings/<id>``."""
        greeting = self._greeting(request)
        del self.greetings[greeting["id"]]
        return json_response({"ok": True})
