"""The LiveChat v2 account configuration the fake serves, statefully: agents (writes),
groups, status, canned responses, goals, greetings, tags, webhooks and visitors on site.

Shapes follow https://developers.livechat.com/docs/ (REST API v2 reference, sections
Agents, Canned responses, Goals, Greetings, Groups, Status, Tags, Webhooks, Visitors).
Everything starts deterministic from the dataset's seed and changes only through requests
to one app instance. Canned responses, goals and greetings are implemented in
:mod:`chatapi.sandbox._livechat_content` (a mixin of :class:`LiveChatConfig`).

Not documented by LiveChat and chosen here: greetings carry their ``group``; a duplicate
agent login or tag is a 400; group 0 cannot be changed or removed (it "always contains all
agents", per the reference); visitor details are kept per visitor id
(:attr:`LiveChatConfig.visitor_details`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aiohttp import web

from ._app import json_response
from ._forms import BadParameter, NotFound, as_int, as_list, guarded, read_body, require
from ._livechat_content import LiveChatContent, _flag, _now, _strings, _text
from .data import GROUPS, TAGS, TOPICS, Dataset

__all__ = ["AGENT_STATUSES", "WEBHOOK_DATA_TYPES", "LiveChatConfig"]

AGENT_STATUSES = ("accepting chats", "not accepting chats", "offline")
_LOGIN_STATUSES = ("accepting chats", "not accepting chats")
_PERMISSIONS = ("administrator", "normal")
#: Which data types each webhook event type carries (reference, "Create a new webhook").
WEBHOOK_DATA_TYPES = {
    "chat_started": ("chat", "visitor", "pre_chat_survey"),
    "chat_ended": ("chat", "visitor", "pre_chat_survey"),
    "chat_changed": ("chat", "visitor"),
    "visitor_queued": ("visitor",),
    "ticket_created": ("ticket",),
    "canned_response_changed": ("canned_response",),
}
_VISITOR_STATES = (
    "chatting",
    "queued",
    "browsing",
    "invited",
    "refused invitation",
    "chat closed",
)


class LiveChatConfig(LiveChatContent):
    """State and handlers of the configuration resources of one LiveChat fake.

    Args:
        dataset: The generated data (agents, visitors, chats for tag counts).
        check: The app's auth check (None when the request may proceed).
        login: The authenticated agent (author of what the API creates).
        agent_details: The initial ``GET /agents/<login>`` bodies, in agent order.
        ticket_tag_counts: ``(group, tag) -> tickets`` for the tags' ``inTickets``.
    """

    def __init__(
        self,
        dataset: Dataset,
        check: Callable[[web.Request], web.Response | None],
        login: str,
        agent_details: Iterable[Mapping[str, Any]],
        ticket_tag_counts: Mapping[tuple[int, str], int],
    ) -> None:
        self.dataset = dataset
        self._check = check
        self.login = login
        seed = dataset.config.seed
        self._seed = seed
        self._epoch = int(dataset.start.timestamp())
        self.licence = 1_000_000 + seed
        # Agents by login; "groups" is kept in the groups (membership has one home).
        self.agents: dict[str, dict[str, Any]] = {}
        for detail in agent_details:
            body = copy.deepcopy(dict(detail))
            body.pop("groups", None)
            self.agents[body["login"]] = body
        self.groups: dict[int, dict[str, Any]] = {}
        for group_id, name in GROUPS:
            members = [a.email for a in dataset.agents if group_id in a.group_ids]
            self.groups[group_id] = {
                "id": group_id,
                "name": "All operators" if group_id == 0 else name,
                "language": "en",
                "agents": members,
            }
        self.canned: dict[int, dict[str, Any]] = {}
        self._next_canned = 3151
        self.goals: dict[int, dict[str, Any]] = {}
        self._next_goal = 1041
        self.goal_successes: list[dict[str, Any]] = []
        self.greetings: dict[int, dict[str, Any]] = {}
        self._next_greeting = 2291
        self._next_rule = 8191
        self.tags: dict[tuple[int, str], dict[str, Any]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}
        self._webhooks_made = 0
        self._visitors: list[dict[str, Any]] | None = None
        self.visitor_details: dict[str, list[dict[str, Any]]] = {}
        self.transcripts: list[tuple[str, str]] = []
        self._seed_canned()
        self._seed_goals()
        self._seed_greetings()
        self._seed_tags(ticket_tag_counts)

    # -- initial data (canned responses, goals, greetings: LiveChatContent) ------------------

    def _rng(self, kind: str) -> random.Random:
        return random.Random(f"{self._seed}:livechat-config:{kind}")

    def _seed_tags(self, ticket_counts: Mapping[tuple[int, str], int]) -> None:
        data = self.dataset
        counts: dict[tuple[int, str], int] = {}
        masks, groups = data.chat_tags, data.chat_group
        for index in data.chat_ids():
            mask = masks[index]
            if not mask:
                continue
            group_id = GROUPS[groups[index]][0]
            for bit, tag in enumerate(TAGS):
                if mask >> bit & 1:
                    counts[(group_id, tag)] = counts.get((group_id, tag), 0) + 1
        rng = self._rng("tags")
        author = data.agents[0].email
        keys = sorted(set(counts) | set(ticket_counts))
        for group_id, tag in keys:
            self.tags[(group_id, tag)] = {
                "name": tag,
                "author": author,
                "creation_date": self._epoch - rng.randrange(1, 400) * 86400,
                "count": {
                    "inChats": counts.get((group_id, tag), 0),
                    "inTickets": ticket_counts.get((group_id, tag), 0),
                },
                "group": group_id,
            }

    @property
    def visitors(self) -> list[dict[str, Any]]:
        """Every visitor of the dataset, on site now (built on first use: a large dataset's
        sandbox that is never asked for visitors does not pay for them)."""
        if self._visitors is None:
            self._visitors = self._seed_visitors()
        return self._visitors

    def _seed_visitors(self) -> list[dict[str, Any]]:
        data = self.dataset
        rng = self._rng("visitors")
        now = int(data.end.timestamp())
        states = ("chatting", "chatting", "queued", "browsing", "browsing", "browsing")
        visitors = []
        for number in range(data.visitor_count):
            visitor = data.visitor(number)
            state = states[number % len(states)]
            browser, version, os_name, os_version, _ = visitor.browser
            entered = now - rng.randrange(60, 3600)
            topic = TOPICS[rng.randrange(len(TOPICS))]
            page = f"https://shop.example.com/{topic}"
            item: dict[str, Any] = {
                "browser": f"Mozilla/5.0 ({os_name} {os_version}) {browser}/{version}",
                "chats": rng.randrange(0, 4),
                "city": visitor.city,
                "country": visitor.country,
                "country_code": visitor.country_code,
                "greetings_accepted": 0,
                "greetings_all": rng.randrange(0, 3),
                "greetings_refused": 0,
                "group": GROUPS[number % len(GROUPS)][0],
                "host": f"host-{visitor.token[:6]}.example.net",
                "id": f"S{visitor.first_visit}.{visitor.token}",
                "invitation": "",
                "ip": visitor.ip,
                "language": "en",
                "last_visit": _stamp(entered),
                "last_visit_ts": entered,
                "latitude": f"{rng.uniform(-60, 60):.4f}",
                "longitude": f"{rng.uniform(-170, 170):.4f}",
                "name": visitor.name if state != "browsing" else "Visitor",
                "operators": [],
                "page_address": page,
                "page_current": page,
                "page_entered": _stamp(entered),
                "page_entered_ts": entered,
                "page_time": _stamp(entered + 30),
                "page_time_ts": entered + 30,
                "page_title": f"{topic.capitalize()} - Example Shop",
                "page_views": rng.randrange(1, 20),
                "referrer": "https://search.example.com/",
                "region": visitor.region,
                "state": state,
                "timezone": visitor.timezone,
                "visit_path": [
                    {
                        "invitation": "",
                        "page": page,
                        "time": _stamp(entered),
                        "time_ref": entered,
                        "time_ts": entered,
                        "title": f"{topic.capitalize()} - Example Shop",
                    }
                ],
                "visits": rng.randrange(1, 6),
            }
            if state == "chatting":
                agent = data.agents[rng.randrange(len(data.agents))]
                started = entered + 60
                item["chat_id"] = (
                    "C" + hashlib.sha1(f"{self._seed}:{number}".encode()).hexdigest()[:9].upper()
                )
                item["chat_start_time"] = _stamp(started)
                item["chat_start_time_ts"] = started
                item["chat"] = {"id": item["chat_id"], "state": "chatting"}
                item["operators"] = [{"id": agent.email, "name": agent.name}]
                item["prechat_survey"] = [
                    {"key": "Name:", "value": visitor.name},
                    {"key": "E-mail:", "value": visitor.email},
                ]
            if state == "queued":
                item["queue_start_time"] = entered + 90
            visitors.append(item)
        return visitors

    # -- routes -----------------------------------------------------------------------------

    def add_routes(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Register every configuration endpoint under ``prefix`` (``""`` or ``"/v2"``)."""
        g = self._guard
        router.add_get(prefix + "/agents", g(self.list_agents))
        router.add_post(prefix + "/agents", g(self.create_agent))
        router.add_get(prefix + "/agents/{login}", g(self.get_agent))
        router.add_put(prefix + "/agents/{login}", g(self.update_agent))
        router.add_delete(prefix + "/agents/{login}", g(self.delete_agent))
        router.add_get(prefix + "/groups", g(self.list_groups))
        router.add_post(prefix + "/groups", g(self.create_group))
        router.add_get(prefix + "/groups/{group_id}", g(self.get_group))
        router.add_put(prefix + "/groups/{group_id}", g(self.update_group))
        router.add_delete(prefix + "/groups/{group_id}", g(self.delete_group))
        router.add_get(prefix + "/status", g(self.get_status))
        router.add_get(prefix + "/status/{group}", g(self.get_status))
        router.add_get(prefix + "/canned_responses", g(self.list_canned))
        router.add_post(prefix + "/canned_responses", g(self.create_canned))
        router.add_get(prefix + "/canned_responses/{canned_id}", g(self.get_canned))
        router.add_put(prefix + "/canned_responses/{canned_id}", g(self.update_canned))
        # The reference lists "POST" on the item path too: an update.
        router.add_post(prefix + "/canned_responses/{canned_id}", g(self.update_canned))
        router.add_delete(prefix + "/canned_responses/{canned_id}", g(self.delete_canned))
        router.add_get(prefix + "/goals", g(self.list_goals))
        router.add_post(prefix + "/goals", g(self.create_goal))
        router.add_get(prefix + "/goals/{goal_id}", g(self.get_goal))
        router.add_put(prefix + "/goals/{goal_id}", g(self.update_goal))
        router.add_delete(prefix + "/goals/{goal_id}", g(self.delete_goal))
        router.add_post(prefix + "/goals/{goal_id}/mark_as_successful", g(self.mark_goal))
        router.add_get(prefix + "/greetings", g(self.list_greetings))
        router.add_post(prefix + "/greetings", g(self.create_greeting))
        router.add_get(prefix + "/greetings/{greeting_id}", g(self.get_greeting))
        router.add_put(prefix + "/greetings/{greeting_id}", g(self.update_greeting))
        router.add_post(prefix + "/greetings/{greeting_id}", g(self.update_greeting))
        router.add_delete(prefix + "/greetings/{greeting_id}", g(self.delete_greeting))
        router.add_get(prefix + "/tags", g(self.list_tags))
        router.add_post(prefix + "/tags", g(self.create_tag))
        router.add_delete(prefix + "/tags/{tag}", g(self.delete_tag))
        router.add_get(prefix + "/webhooks", g(self.list_webhooks))
        router.add_post(prefix + "/webhooks", g(self.create_webhook))
        router.add_delete(prefix + "/webhooks/{webhook_id}", g(self.delete_webhook))
        router.add_get(prefix + "/visitors", g(self.list_visitors))
        router.add_post(prefix + "/visitors/{visitor_id}/details", g(self.add_visitor_details))

    def _guard(self, handler: Callable[[web.Request], Any]) -> Callable[[web.Request], Any]:
        return guarded(self._check, handler)

    # -- agents -----------------------------------------------------------------------------

    def agent_groups(self, login: str) -> list[int]:
        """Ids of the groups ``login`` belongs to (group 0 holds everybody)."""
        return [0] + [gid for gid, g in self.groups.items() if gid != 0 and login in g["agents"]]

    def agent_detail(self, login: str) -> dict[str, Any]:
        """The ``GET /agents/<login>`` body as the agent is now.

        Raises:
            NotFound: No such agent.
        """
        agent = self.agents.get(login)
        if agent is None:
            raise NotFound("Agent not found")
        body = dict(agent)
        groups = [{"id": gid, "name": self.groups[gid]["name"]} for gid in self.agent_groups(login)]
        # "groups" sits before "status" in the reference's example.
        ordered: dict[str, Any] = {}
        for key, value in body.items():
            if key == "status":
                ordered["groups"] = groups
            ordered[key] = value
        ordered.setdefault("groups", groups)
        return ordered

    def agent_row(self, login: str) -> dict[str, Any]:
        """The ``GET /agents`` item of ``login``."""
        agent = self.agents[login]
        return {
            "name": agent["name"],
            "permission": agent["permission"],
            "avatar": agent["avatar"],
            "login": login,
            "status": agent["status"],
        }

    async def list_agents(self, request: web.Request) -> web.Response:
        """``GET /agents`` (optional ``status``)."""
        status = request.query.get("status")
        if status is not None and status not in AGENT_STATUSES:
            raise BadParameter("status: available values are " + ", ".join(AGENT_STATUSES))
        rows = [
            self.agent_row(login)
            for login, agent in self.agents.items()
            if status is None or agent["status"] == status
        ]
        return json_response(rows)

    async def get_agent(self, request: web.Request) -> web.Response:
        """``GET /agents/<login>``."""
        return json_response(self.agent_detail(request.match_info["login"]))

    def _set_agent_groups(self, login: str, value: Any) -> None:
        wanted = {as_int(g, "groups") for g in as_list(value, "groups")}
        unknown = sorted(wanted - set(self.groups))
        if unknown:
            raise BadParameter(f"groups: unknown group {unknown[0]}")
        for gid, group in self.groups.items():
            if gid == 0:
                continue
            members: list[str] = group["agents"]
            if gid in wanted and login not in members:
                members.append(login)
            elif gid not in wanted and login in members:
                members.remove(login)

    def _apply_agent_fields(self, agent: dict[str, Any], body: Mapping[str, Any]) -> None:
        for name in ("name", "job_title"):
            if name in body:
                agent[name] = str(require(body, name))
        if "login_status" in body:
            if body["login_status"] not in _LOGIN_STATUSES:
                allowed = ", ".join(_LOGIN_STATUSES)
                raise BadParameter(f"login_status: available values are {allowed}")
            agent["login_status"] = body["login_status"]
        if "permission" in body:
            if body["permission"] not in _PERMISSIONS:
                raise BadParameter("permission: available values are administrator, normal")
            agent["permission"] = body["permission"]
        if "status" in body:
            if body["status"] not in AGENT_STATUSES:
                raise BadParameter("status: available values are " + ", ".join(AGENT_STATUSES))
            agent["status"] = body["status"]
        if "daily_summary" in body:
            agent["daily_summary"] = _flag(body["daily_summary"], "daily_summary")
        if "max_chats_count" in body:
            count = as_int(body["max_chats_count"], "max_chats_count")
            if count < 0:
                raise BadParameter("max_chats_count: must be >= 0")
            agent["max_chats_count"] = count
        if "notifications" in body:
            notifications = body["notifications"]
            if not isinstance(notifications, dict):
                raise BadParameter("notifications: must be an object")
            merged = dict(agent.get("notifications", {}))
            for key, value in notifications.items():
                merged[key] = _flag(value, f"notifications[{key}]")
            agent["notifications"] = merged
        if "work_scheduler" in body:
            if not isinstance(body["work_scheduler"], dict):
                raise BadParameter("work_scheduler: must be an object")
            agent["work_scheduler"] = body["work_scheduler"]
        if "password" in body and len(str(body["password"])) < 5:
            raise BadParameter("password: the minimum length is 5")

    async def create_agent(self, request: web.Request) -> web.Response:
        """``POST /agents``: ``login`` and ``name`` required."""
        body = await read_body(request)
        login = str(require(body, "login"))
        require(body, "name")
        if "@" not in login:
            raise BadParameter("login: must be a correct e-mail address")
        if login in self.agents:
            raise BadParameter("login: agent already exists")
        agent: dict[str, Any] = {
            "login": login,
            "name": "",
            "login_status": "accepting chats",
            "permission": "normal",
            "daily_summary": 1,
            "job_title": "Support Agent",
            "avatar": "livechat.s3.amazonaws.com/default/avatars/"
            + hashlib.md5(login.encode()).hexdigest()
            + ".png",
            "notifications": {
                "new_visitor": 1,
                "returning_visitor": 1,
                "queued_visitor": 1,
                "visitor_is_typing": 0,
                "new_goal": 1,
            },
            "max_chats_count": 6,
            "status": "offline",
            "last_logout": 0,
        }
        self._apply_agent_fields(agent, body)
        if "groups" in body:
            self._set_agent_groups(login, body["groups"])
        self.agents[login] = agent
        self.groups[0]["agents"].append(login)
        return json_response(self.agent_detail(login))

    async def update_agent(self, request: web.Request) -> web.Response:
        """``PUT /agents/<login>``: only the given fields change."""
        login = request.match_info["login"]
        if login not in self.agents:
            raise NotFound("Agent not found")
        body = await read_body(request)
        changed = copy.deepcopy(self.agents[login])
        self._apply_agent_fields(changed, body)
        if "groups" in body:
            self._set_agent_groups(login, body["groups"])
        self.agents[login] = changed
        return json_response(self.agent_detail(login))

    async def delete_agent(self, request: web.Request) -> web.Response:
        """``DELETE /agents/<login>``."""
        login = request.match_info["login"]
        if self.agents.pop(login, None) is None:
            raise NotFound("Agent not found")
        for group in self.groups.values():
            if login in group["agents"]:
                group["agents"].remove(login)
        return json_response({"result": f"{login} removed successfully"})

    # -- groups and status ------------------------------------------------------------------

    def _group_status(self, group_id: int) -> str:
        # Reference, "Get a single group details": accepting if anybody accepts, ...
        members = self.groups[group_id]["agents"]
        statuses = {self.agents[m]["status"] for m in members if m in self.agents}
        for status in AGENT_STATUSES[:2]:
            if status in statuses:
                return status
        return "offline"

    def group_payload(self, group_id: int) -> dict[str, Any]:
        """A ``/groups`` item (group 0 has no ``agents`` key)."""
        group = self.groups[group_id]
        body: dict[str, Any] = {
            "id": group_id,
            "name": group["name"],
            "language": group["language"],
        }
        if group_id != 0:
            body["agents"] = list(group["agents"])
        body["status"] = self._group_status(group_id)
        return body

    def _group_id(self, text: str) -> int:
        if not text.isdigit():
            raise NotFound("Group not found")
        group_id = int(text)
        if group_id not in self.groups:
            raise NotFound("Group not found")
        return group_id

    def group_exists(self, group_id: int) -> bool:
        """Whether group ``group_id`` exists now."""
        return group_id in self.groups

    def _members(self, value: Any) -> list[str]:
        logins = _strings(value, "agents")
        for login in logins:
            if login not in self.agents:
                raise BadParameter(f"agents: unknown agent {login}")
        return list(dict.fromkeys(logins))

    async def list_groups(self, request: web.Request) -> web.Response:
        """``GET /groups``."""
        return json_response([self.group_payload(gid) for gid in self.groups])

    async def get_group(self, request: web.Request) -> web.Response:
        """``GET /groups/<id>``."""
        return json_response(self.group_payload(self._group_id(request.match_info["group_id"])))

    async def create_group(self, request: web.Request) -> web.Response:
        """``POST /groups``: ``name`` and ``agents`` required."""
        body = await read_body(request)
        name = str(require(body, "name"))
        members = self._members(require(body, "agents"))
        group_id = max(self.groups) + 1
        self.groups[group_id] = {
            "id": group_id,
            "name": name,
            "language": str(body.get("language") or "en"),
            "agents": members,
        }
        return json_response(self.group_payload(group_id))

    async def update_group(self, request: web.Request) -> web.Response:
        """``PUT /groups/<id>``."""
        group_id = self._group_id(request.match_info["group_id"])
        body = await read_body(request)
        if group_id == 0:
            raise BadParameter("id: group 0 cannot be modified")
        changed = dict(self.groups[group_id])
        if "name" in body:
            changed["name"] = str(require(body, "name"))
        if "language" in body:
            changed["language"] = str(require(body, "language"))
        if "agents" in body:
            changed["agents"] = self._members(body["agents"])
        self.groups[group_id] = changed
        return json_response(self.group_payload(group_id))

    async def delete_group(self, request: web.Request) -> web.Response:
        """``DELETE /groups/<id>``."""
        group_id = self._group_id(request.match_info["group_id"])
        if group_id == 0:
            raise BadParameter("id: group 0 cannot be removed")
        del self.groups[group_id]
        return json_response({"result": "group removed successfully"})

    async def get_status(self, request: web.Request) -> web.Response:
        """``GET /status/<group>`` or ``GET /status?group=N`` (default group 0)."""
        raw = request.match_info.get("group") or request.query.get("group") or "0"
        if not raw.isdigit():
            raise BadParameter("group: must be a group id")
        group_id = self._group_id(raw)
        online = self._group_status(group_id) == "accepting chats"
        return json_response({"status": "online" if online else "offline"})

    # -- tags -------------------------------------------------------------------------------

    def count_chat_tags(self, group_id: int, old: Iterable[str], new: Iterable[str]) -> None:
        """Move ``inChats`` counts after a chat of ``group_id`` changed tags."""
        before, after = set(old), set(new)
        for tag, step in [(t, -1) for t in before - after] + [(t, 1) for t in after - before]:
            record = self.tags.get((group_id, tag))
            if record is not None:
                record["count"]["inChats"] = max(record["count"]["inChats"] + step, 0)

    async def list_tags(self, request: web.Request) -> web.Response:
        """``GET /tags`` (optional ``group``)."""
        raw = request.query.get("group")
        group_id = None if raw is None else as_int(raw, "group")
        rows = [t for (gid, _), t in self.tags.items() if group_id is None or gid == group_id]
        return json_response(rows)

    async def create_tag(self, request: web.Request) -> web.Response:
        """``POST /tags``: ``tag``, ``author`` and ``group`` required."""
        body = await read_body(request)
        name = str(require(body, "tag"))
        author = str(require(body, "author"))
        if "group" not in body:
            raise BadParameter("group: is required")
        group_id = self._known_group(body["group"])
        if (group_id, name) in self.tags:
            raise BadParameter("tag: already exists in this group")
        record = {
            "name": name,
            "author": author,
            "creation_date": _now(),
            "count": {"inChats": 0, "inTickets": 0},
            "group": group_id,
        }
        self.tags[(group_id, name)] = record
        return json_response(record)

    async def delete_tag(self, request: web.Request) -> web.Response:
        """``DELETE /tags/<tag>``: ``group`` in a JSON body (or the query)."""
        body = await read_body(request)
        raw = body.get("group", request.query.get("group"))
        if raw is None or raw == "":
            raise BadParameter("group: is required")
        key = (as_int(raw, "group"), request.match_info["tag"])
        if self.tags.pop(key, None) is None:
            raise NotFound("Tag not found")
        return json_response({"ok": True})

    # -- webhooks ---------------------------------------------------------------------------

    def _hex(self, kind: str) -> str:
        text = f"{self._seed}:webhook:{self._webhooks_made}:{kind}"
        return hashlib.md5(text.encode()).hexdigest()

    async def list_webhooks(self, request: web.Request) -> web.Response:
        """``GET /webhooks``."""
        return json_response({"events": list(self.webhooks.values())})

    async def create_webhook(self, request: web.Request) -> web.Response:
        """``POST /webhooks``: ``event_type``, ``data_types`` and ``url`` required."""
        body = await read_body(request)
        event_type = require(body, "event_type")
        if event_type not in WEBHOOK_DATA_TYPES:
            raise BadParameter("event_type: must be one of " + ", ".join(WEBHOOK_DATA_TYPES))
        data_types = _strings(require(body, "data_types"), "data_types")
        for data_type in data_types:
            if data_type not in WEBHOOK_DATA_TYPES[event_type]:
                raise BadParameter(f"data_types: {data_type} is not supported in {event_type}")
        url = str(require(body, "url"))
        if not url.startswith(("http://", "https://")):
            raise BadParameter("url: must be a correct URL")
        self.add_webhook(event_type, data_types, url)
        return json_response({"events": list(self.webhooks.values())})

    def add_webhook(self, event_type: str, data_types: list[str], url: str) -> dict[str, Any]:
        """Register a webhook (checked arguments) and return its ``GET /webhooks`` record;
        live mode POSTs to its ``url`` (:mod:`chatapi.sandbox._livechat_webhooks`)."""
        self._webhooks_made += 1
        record: dict[str, Any] = {
            "licence": self.licence,
            "event_type": event_type,
            "data_types": data_types,
            "url": url,
            "verified": True,
            "token": self._hex("token"),
            "id": self._hex("id"),
        }
        self.webhooks[record["id"]] = record
        return record

    async def delete_webhook(self, request: web.Request) -> web.Response:
        """``DELETE /webhooks/<id>``."""
        if self.webhooks.pop(request.match_info["webhook_id"], None) is None:
            raise NotFound("Webhook not found")
        return json_response({"result": "Push notification removed successfully"})

    # -- visitors ---------------------------------------------------------------------------

    async def list_visitors(self, request: web.Request) -> web.Response:
        """``GET /visitors`` (``state``, repeated ``group[]``, ``count=1`` for a number)."""
        query = request.query
        state = query.get("state")
        if state is not None and state not in _VISITOR_STATES:
            raise BadParameter("state: available values are " + ", ".join(_VISITOR_STATES))
        groups = {as_int(g, "group[]") for g in query.getall("group[]", ())}
        count = query.get("count", "0")
        if count not in ("0", "1"):
            raise BadParameter("count: must be 1 or 0")
        rows = [
            v
            for v in self.visitors
            if (state is None or v["state"] == state) and (not groups or v["group"] in groups)
        ]
        if count == "1":
            return json_response({"count": len(rows)})
        return json_response(rows)

    async def add_visitor_details(self, request: web.Request) -> web.Response:
        """``POST /visitors/<visitor_id>/details`` (a form): ``license_id``, ``token``,
        ``fields[i][name]``/``fields[i][value]``, and the integration's ``id`` if given."""
        visitor_id = request.match_info["visitor_id"]
        if not any(v["id"] == visitor_id for v in self.visitors):
            raise NotFound("Visitor not found")
        body = await read_body(request)
        for name in ("license_id", "token"):
            require(body, name)
        fields = as_list(require(body, "fields"), "fields")
        details = []
        for number, field in enumerate(fields):
            if not isinstance(field, dict) or "name" not in field:
                raise BadParameter(f"fields[{number}][name]: is required")
            details.append({"name": str(field["name"]), "value": _text(field.get("value", ""))})
        self.visitor_details[visitor_id] = details
        return json_response({"result": "Visitor details added successfully"})


def _stamp(ts: int) -> str:
    # "2017-02-16 12:36:21" (reference, "List all visitors").
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
