"""LiveChat v2 tickets in the fake: ``GET /tickets`` (25 per page, every documented
filter), ``GET /tickets/<id>``, ``POST /tickets`` and ``PUT /tickets/<id>/tags``.

Shapes and filters follow https://developers.livechat.com/docs/ (REST API v2 reference,
"Tickets"): single tickets and writes answer with the listing envelope
``{"pages", "total", "tickets"}`` as the reference shows. Like ``/chats``, only the latest
25,000 matches are served (pages stop at 1,000).

Not documented by LiveChat and chosen here: ``firstResponse`` is ``{"date", "span"}`` once
an agent answered (``{}`` before); ``query`` matches the subject and message texts,
case-insensitively; updating tags counts as an activity (``modified`` moves).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from ._app import json_response
from ._forms import BadParameter, NotFound, as_int, as_list, guarded, read_body, require
from .data import GROUPS, OFFLINE_LINES, OFFLINE_SUBJECTS, REPLY_LINES, TAGS, TOPICS, Dataset

__all__ = ["PER_PAGE", "RECORD_CAP", "TICKET_SOURCES", "LiveChatTickets", "ticket_id"]

PER_PAGE = 25
RECORD_CAP = 25_000
#: ``source`` filter values (reference, "Get list of tickets").
TICKET_SOURCES = ("lc2", "mail", "facebook", "agent-app-manual", "chat-window")
_CREATE_SOURCES = ("chat-window", "mail", "lc2")
_STATUSES = ("open", "pending", "solved", "spam")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ID_SPACE = 36**5
# Coprime with 36: index -> id is a bijection over 5 characters ("5FUED").
_TICKET_MUL = 1_000_003


def ticket_id(seed: int, index: int) -> str:
    """The id of ticket ``index`` (5 upper-case letters and digits)."""
    value = (index * _TICKET_MUL + seed * 7919) % _ID_SPACE
    digits = []
    for _ in range(5):
        value, rest = divmod(value, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _flag(value: str, name: str) -> bool:
    if value not in ("0", "1"):
        raise BadParameter(f"{name}: must be 1 or 0")
    return value == "1"


class LiveChatTickets:
    """The tickets of one LiveChat fake, generated from the dataset then changed by writes.

    Args:
        dataset: The generated data (``config.tickets`` tickets, their times within the
            dataset's range, requesters among its visitors, assignees among its agents).
        check: The app's auth check.
        login: The authenticated agent.
        agent_name: Display name of an agent login, None for no such agent.
        group_exists: Whether a group id exists.
    """

    def __init__(
        self,
        dataset: Dataset,
        check: Callable[[web.Request], web.Response | None],
        login: str,
        agent_name: Callable[[str], str | None],
        group_exists: Callable[[int], bool],
    ) -> None:
        self.dataset = dataset
        self._check = check
        self.login = login
        self._agent_name = agent_name
        self._group_exists = group_exists
        self.capped_totals = dataset.config.report_capped_totals
        self._seed = dataset.config.seed
        count = dataset.config.tickets
        self.tickets: list[dict[str, Any]] = [self._generate(i, count) for i in range(count)]
        self._by_id = {t["id"]: t for t in self.tickets}

    # -- generation -------------------------------------------------------------------------

    def _generate(self, index: int, count: int) -> dict[str, Any]:
        data = self.dataset
        rng = random.Random(f"{self._seed}:ticket:{index}")
        t0, t1 = int(data.start.timestamp()), int(data.end.timestamp())
        # Evenly spread opening times (then jitter) keep the generation O(1) per ticket.
        span = max(t1 - t0, 1)
        opened = t0 + span * index // max(count, 1) + rng.randrange(max(span // max(count, 1), 1))
        visitor = data.visitor(rng.randrange(data.visitor_count))
        topic = TOPICS[rng.randrange(len(TOPICS))]
        source = rng.choice(("mail", "mail", "chat-window", "lc2", "facebook", "agent-app-manual"))
        client = {"id": visitor.email, "name": visitor.name, "type": "client"}
        events: list[dict[str, Any]] = [
            {
                "author": client,
                "date": opened,
                "is_private": False,
                "message": rng.choice(OFFLINE_LINES).format(topic=topic, visitor=visitor.name),
                "type": "message",
                "source": {"type": source},
            }
        ]
        ticket: dict[str, Any] = {}
        t = opened
        first_response: dict[str, Any] = {}
        if rng.random() < 0.75:
            agents = data.agents
            boss = agents[0]
            agent = agents[rng.randrange(len(agents))]
            t += rng.randrange(60, 3600)
            ticket["assignee"] = {"id": agent.email, "name": agent.name}
            events.append(
                {
                    "to": {"id": agent.email, "name": agent.name},
                    "author": {"id": boss.email, "name": boss.name},
                    "date": t,
                    "type": "assignee_changed",
                }
            )
            for _ in range(rng.choice((0, 1, 1, 2))):
                t += rng.randrange(300, 86400)
                events.append(
                    {
                        "message": rng.choice(REPLY_LINES).format(
                            topic=topic, visitor=visitor.first_name
                        ),
                        "is_private": rng.random() < 0.2,
                        "author": {"type": "agent", "id": agent.email, "name": agent.name},
                        "date": t,
                        "type": "message",
                        "source": {"type": "lc2"},
                    }
                )
                if not first_response:
                    first_response = {"date": t, "span": t - opened}
        status = rng.choices(_STATUSES, weights=(4, 2, 5, 1))[0]
        ticket_tags = sorted(set(rng.sample(TAGS, rng.choice((0, 1, 1, 2)))))
        ticket.update(
            {
                "events": events,
                "id": ticket_id(self._seed, index),
                "requester": {"mail": visitor.email, "name": visitor.name},
                "groups": [GROUPS[rng.randrange(len(GROUPS))][0]],
                "status": status,
                "subject": rng.choice(OFFLINE_SUBJECTS).format(topic=topic).capitalize(),
                "modified": t,
                "source": {"type": source},
                "opened": [{"from": opened, "to": t} if status == "solved" else {"from": opened}],
                "firstResponse": first_response,
                "tags": ticket_tags,
            }
        )
        return ticket

    def tag_counts(self) -> dict[tuple[int, str], int]:
        """``(group, tag) -> tickets`` carrying it (the tags' ``inTickets``)."""
        counts: dict[tuple[int, str], int] = {}
        for ticket in self.tickets:
            for group_id in ticket["groups"]:
                for tag in ticket["tags"]:
                    counts[(group_id, tag)] = counts.get((group_id, tag), 0) + 1
        return counts

    # -- routes -----------------------------------------------------------------------------

    def add_routes(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Register the ticket endpoints under ``prefix`` (``""`` or ``"/v2"``)."""
        router.add_get(prefix + "/tickets", guarded(self._check, self.list_tickets))
        router.add_post(prefix + "/tickets", guarded(self._check, self.create_ticket))
        router.add_get(prefix + "/tickets/{ticket_id}", guarded(self._check, self.get_ticket))
        router.add_put(
            prefix + "/tickets/{ticket_id}/tags", guarded(self._check, self.update_ticket_tags)
        )

    # -- listing ----------------------------------------------------------------------------

    @staticmethod
    def _date(query: Mapping[str, str], name: str) -> dt.date | None:
        raw = query.get(name)
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise BadParameter(f"{name}: wrong date format, expected YYYY-MM-DD") from exc

    def _filters(self, query: Mapping[str, str]) -> list[Callable[[dict[str, Any]], bool]]:
        tests: list[Callable[[dict[str, Any]], bool]] = []
        start = self._date(query, "date_from")
        end = self._date(query, "date_to") or dt.datetime.now(dt.timezone.utc).date()
        lo = (
            None
            if start is None
            else int(dt.datetime.combine(start, dt.time(), dt.timezone.utc).timestamp())
        )
        hi = int(
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.timezone.utc).timestamp()
        )

        def active(ticket: dict[str, Any]) -> bool:
            # "any of their activities matching the date": an event or the last change.
            dates = [e["date"] for e in ticket["events"]] + [ticket["modified"]]
            return any((lo is None or d >= lo) and d < hi for d in dates)

        tests.append(active)
        if "assigned" in query:
            assigned = _flag(query["assigned"], "assigned")
            tests.append(lambda t: ("assignee" in t) == assigned)
        if query.get("status"):
            status = query["status"]
            if status not in _STATUSES:
                raise BadParameter("status: available values are " + ", ".join(_STATUSES))
            tests.append(lambda t: t["status"] == status)
        if query.get("assignee"):
            login = query["assignee"]
            tests.append(lambda t: t.get("assignee", {}).get("id") == login)
        if query.get("query"):
            needle = query["query"].lower()
            tests.append(
                lambda t: (
                    needle in t["subject"].lower()
                    or any(needle in e.get("message", "").lower() for e in t["events"])
                )
            )
        if query.get("requester[mail]"):
            mail = query["requester[mail]"].lower()
            tests.append(lambda t: t["requester"]["mail"].lower() == mail)
        if query.get("group"):
            group_id = as_int(query["group"], "group")
            tests.append(lambda t: group_id in t["groups"])
        if query.get("source"):
            source = query["source"]
            if source not in TICKET_SOURCES:
                raise BadParameter("source: available values are " + ", ".join(TICKET_SOURCES))
            tests.append(lambda t: t["source"]["type"] == source)
        if query.get("tag"):
            tag = query["tag"]
            tests.append(lambda t: tag in t["tags"])
        if "tagged" in query:
            tagged = _flag(query["tagged"], "tagged")
            tests.append(lambda t: bool(t["tags"]) == tagged)
        return tests

    def envelope(self, tickets: list[dict[str, Any]], total: int, pages: int) -> dict[str, Any]:
        """``{"pages", "total", "tickets"}`` as LiveChat answers it."""
        return {"pages": pages, "total": total, "tickets": tickets}

    async def list_tickets(self, request: web.Request) -> web.Response:
        """``GET /tickets``: 25 per page, newest change first unless ``order=asc``."""
        query = request.query
        raw_page = query.get("page", "1")
        if not raw_page.isdigit() or int(raw_page) < 1:
            raise BadParameter("page: must be a positive integer")
        page = int(raw_page)
        order = query.get("order", "desc")
        if order not in ("desc", "asc"):
            raise BadParameter("order: available values are desc, asc")
        tests = self._filters(query)
        matching = [t for t in self.tickets if all(test(t) for test in tests)]
        # Newest first, then keep the latest 25,000 (the /chats cap applies to tickets too).
        matching.sort(key=lambda t: (t["modified"], t["id"]), reverse=True)
        total = len(matching)
        served = matching[:RECORD_CAP]
        if order == "asc":
            served.reverse()
        pages = math.ceil(len(served) / PER_PAGE)
        chunk = served[(page - 1) * PER_PAGE : page * PER_PAGE]
        reported = min(total, RECORD_CAP) if self.capped_totals else total
        return json_response(self.envelope(chunk, reported, pages))

    # -- single tickets and writes ----------------------------------------------------------

    def _ticket(self, request: web.Request) -> dict[str, Any]:
        ticket = self._by_id.get(request.match_info["ticket_id"])
        if ticket is None:
            raise NotFound("Ticket not found")
        return ticket

    async def get_ticket(self, request: web.Request) -> web.Response:
        """``GET /tickets/<id>`` (the listing envelope around one ticket)."""
        return json_response(self.envelope([self._ticket(request)], 1, 1))

    async def create_ticket(self, request: web.Request) -> web.Response:
        """``POST /tickets``: ``message`` and ``requester[mail]`` required."""
        body = await read_body(request)
        message = str(require(body, "message"))
        requester = body.get("requester")
        if not isinstance(requester, dict) or not requester.get("mail"):
            raise BadParameter("requester[mail]: is required")
        mail = str(requester["mail"])
        if "@" not in mail:
            raise BadParameter("requester[mail]: must be a correct e-mail address")
        name = str(requester.get("name") or mail)
        source = body.get("source") or {}
        if not isinstance(source, dict):
            raise BadParameter("source: must be an object")
        source_type = str(source.get("type") or "lc2")
        if source_type not in _CREATE_SOURCES:
            raise BadParameter("source[type]: available values are " + ", ".join(_CREATE_SOURCES))
        groups = [0]
        if "group" in body:
            groups = [as_int(g, "group") for g in as_list(body["group"], "group")]
            for group_id in groups:
                if not self._group_exists(group_id):
                    raise BadParameter(f"group: unknown group {group_id}")
        now = int(time.time())
        ticket: dict[str, Any] = {}
        assignee = body.get("assignee")
        if assignee is not None:
            login = assignee.get("id") if isinstance(assignee, dict) else None
            agent = self._agent_name(str(login)) if login else None
            if agent is None:
                raise BadParameter("assignee[id]: unknown agent")
            ticket["assignee"] = {"id": login, "name": agent}
        source_body: dict[str, Any] = {"type": source_type}
        if source_type == "chat-window" and source.get("url"):
            source_body["url"] = str(source["url"])
        ticket.update(
            {
                "events": [
                    {
                        "author": {"id": mail, "name": name, "type": "client"},
                        "date": now,
                        "is_private": False,
                        "message": message,
                        "type": "message",
                        "source": {"type": source_type},
                    }
                ],
                "id": ticket_id(self._seed, len(self.tickets)),
                "requester": {"mail": mail, "name": name},
                "groups": groups,
                "status": "open",
                "subject": str(body.get("subject") or "(no subject)"),
                "modified": now,
                "source": source_body,
                "opened": [{"from": now}],
                "firstResponse": {},
                "tags": [],
            }
        )
        self.tickets.append(ticket)
        self._by_id[ticket["id"]] = ticket
        return json_response(self.envelope([ticket], 1, 1))

    async def update_ticket_tags(self, request: web.Request) -> web.Response:
        """``PUT /tickets/<id>/tags``: ``tag`` (an array) replaces the tags."""
        ticket = self._ticket(request)
        body = await read_body(request)
        if "tag" not in body:
            raise BadParameter("tag: is required")
        value = body["tag"]
        tags = [value] if isinstance(value, str) else as_list(value, "tag")
        if not all(isinstance(t, str) for t in tags):
            raise BadParameter("tag: must be an array of strings")
        ticket["tags"] = list(dict.fromkeys(tags))
        ticket["modified"] = max(int(time.time()), ticket["modified"])
        return json_response(self.envelope([ticket], 1, 1))
