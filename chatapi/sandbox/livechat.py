"""A fake LiveChat REST API v2 (``api.livechatinc.com`` with ``X-API-Version: 2``).

Shapes follow the fixtures under ``tests/fixtures/livechat/`` (the REST API v2 reference's
"Archives" and "Agents" examples, the older ``/chats`` and ``/offline_messages`` pages):

- ``GET /chats``: 25 chats per page, newest first, ``{"chats", "total", "pages"}``; only the
  latest 25,000 records of a query are served (``pages`` stops at 1,000, ``total`` stays
  the real count); unanswered chats are ``"type": "missed_chat"`` records (flat visitor
  fields, a ``time`` string, no ``agents``).
- ``GET /offline_messages``: 25 per page, default window today - 6 days .. today.
- ``GET /agents`` (a bare array) and ``/agents/<login>``; agent writes and the rest of the
  account configuration (groups, status, canned responses, goals, greetings, tags,
  webhooks, visitors) live in :mod:`chatapi.sandbox._livechat_config`, tickets in
  :mod:`chatapi.sandbox._livechat_tickets`; both keep state per app instance.
- ``PUT /chats/<id>/tags`` changes what later reads of that chat show;
  ``POST /chats/<id>/send_transcript`` is recorded in ``account.transcripts``.
- Errors: ``{"error": "..."}`` (auth, not found) or ``{"errors": ["..."]}`` (bad parameters).

Not documented by LiveChat and chosen here: offline messages carry an epoch ``timestamp``;
the license time zone is UTC; a request without ``X-API-Version: 2`` gets a 400.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import math
import zoneinfo
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from ._app import VendorApp, json_bytes, json_response
from ._forms import BadParameter, NotFound, guarded, read_body, require
from ._livechat_config import LiveChatConfig
from ._livechat_tickets import LiveChatTickets
from .data import GROUPS, TAGS, ChatSpec, Dataset, OfflineMessageSpec

if TYPE_CHECKING:
    from ._live import Live, LiveRunner, Outgoing

__all__ = ["PER_PAGE", "RECORD_CAP", "LiveChatApp", "chat_id", "offline_message_id"]

PER_PAGE = 25
RECORD_CAP = 25_000
_ID_SPACE = 36**9
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Multipliers coprime with 36: index -> id is a bijection (ids look random, stay unique).
_CHAT_MUL = 1_000_000_007
_OFFLINE_MUL = 998_244_353
_ENGAGEMENTS = ("immediate_start", "auto_invite", "manual_invite")


def _base36(value: int) -> str:
    digits = []
    for _ in range(9):
        value, rest = divmod(value, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _unbase36(text: str) -> int | None:
    value = 0
    for char in text:
        digit = _ALPHABET.find(char)
        if digit < 0:
            return None
        value = value * 36 + digit
    return value


def _prefix(seed: int, base: int) -> str:
    return _ALPHABET[10 + (seed + base) % 26]


def chat_id(seed: int, index: int) -> str:
    """The LiveChat id of chat ``index`` (10 characters, like ``MH022RD0K5``)."""
    return _prefix(seed, 12) + _base36((index * _CHAT_MUL + seed) % _ID_SPACE)


def chat_index(seed: int, text: str) -> int | None:
    """The index behind a chat id, or None when it is not one of ours."""
    if len(text) != 10 or text[0] != _prefix(seed, 12):
        return None
    value = _unbase36(text[1:])
    if value is None:
        return None
    return ((value - seed) * pow(_CHAT_MUL, -1, _ID_SPACE)) % _ID_SPACE


def offline_message_id(seed: int, index: int) -> str:
    """The LiveChat id of offline message ``index`` (``M`` + 9 characters)."""
    return "M" + _base36((index * _OFFLINE_MUL + seed) % _ID_SPACE)


def offline_message_index(seed: int, text: str) -> int | None:
    """The index behind an offline message id, or None."""
    if len(text) != 10 or text[0] != "M":
        return None
    value = _unbase36(text[1:])
    if value is None:
        return None
    return ((value - seed) * pow(_OFFLINE_MUL, -1, _ID_SPACE)) % _ID_SPACE


def _human(ts: int, tz: dt.tzinfo = dt.timezone.utc) -> str:
    # "Wed, 01/23/13 11:40:53 am" (tests/fixtures/livechat/chat_rest_reference.json).
    moment = dt.datetime.fromtimestamp(ts, tz)
    return moment.strftime("%a, %m/%d/%y %I:%M:%S ") + ("am" if moment.hour < 12 else "pm")


class _BadRequest(Exception):
    """A parameter LiveChat would reject (400 with ``{"errors": [...]}``)."""


class LiveChatApp(VendorApp):
    """The fake LiveChat v2 server (see the module docstring)."""

    vendor: ClassVar[str] = "livechat"
    generations: ClassVar[tuple[str, ...]] = ("v2",)

    def __init__(self, dataset: Dataset, faults: Any, generation: str | None = None) -> None:
        seed = dataset.config.seed
        self.api_key = f"sandbox-{seed:x}-c14b85863755158d7aa5cc4b"
        self.access_token = f"dal:sandbox-token-{seed:x}"
        self._filter_cache: dict[tuple[Any, ...], Sequence[int]] = {}
        login = dataset.agents[0].email
        #: Tags changed through ``PUT /chats/<id>/tags``, by chat index (the rest of a
        #: chat is derived from the dataset, so only the change is stored).
        self.chat_tag_overlay: dict[int, tuple[str, ...]] = {}
        self._tags_version = 0
        self.tickets = LiveChatTickets(
            dataset,
            self._check,
            login,
            agent_name=lambda who: (
                self.account.agents[who]["name"] if who in self.account.agents else None
            ),
            group_exists=lambda group: self.account.group_exists(group),
        )
        self.account = LiveChatConfig(
            dataset,
            self._check,
            login,
            [agent_detail(dataset, i) for i in range(len(dataset.agents))],
            self.tickets.tag_counts(),
        )
        super().__init__(dataset, faults, generation)
        self.login = login

    # -- setup ------------------------------------------------------------------------------

    def setup_routes(self, router: web.UrlDispatcher) -> None:
        """Register the v2 endpoints (also under ``/v2``, which real code uses too)."""
        for prefix in ("", "/v2"):
            router.add_get(prefix + "/chats", self.list_chats)
            router.add_get(prefix + "/chats/{chat_id}", self.get_chat)
            router.add_get(prefix + "/offline_messages", self.list_offline_messages)
            router.add_get(prefix + "/offline_messages/{message_id}", self.get_offline_message)
            router.add_put(
                prefix + "/chats/{chat_id}/tags", guarded(self._check, self.update_chat_tags)
            )
            router.add_post(
                prefix + "/chats/{chat_id}/send_transcript",
                guarded(self._check, self.send_transcript),
            )
            self.account.add_routes(router, prefix)
            self.tickets.add_routes(router, prefix)

    def credentials(self, base_url: str) -> dict[str, Any]:
        """``login`` + ``api_key`` (Basic auth); :attr:`access_token` works as Bearer too."""
        return {"login": self.login, "api_key": self.api_key, "base_url": base_url}

    def error_response(self, status: int, message: str) -> web.Response:
        """``{"error": "<message>"}`` with ``status``."""
        return json_response({"error": message}, status=status)

    # -- live mode --------------------------------------------------------------------------

    def check_live(self, live: Live) -> None:
        """LiveChat signs nothing: a ``webhook_key`` is an error (its webhooks carry only
        the account's ``token``)."""
        if live.webhook_key is not None:
            raise ValueError(
                "LiveChat webhooks are not signed (no webhook key); they carry the webhook's token"
            )

    def enable_live(self, live: Live) -> LiveRunner:
        """Live mode; with ``live.webhook_url``, a ``chat_started`` and a ``chat_ended``
        webhook with every data type are registered to it first."""
        runner = super().enable_live(live)
        if live.webhook_url is not None:
            from ._livechat_config import WEBHOOK_DATA_TYPES
            from ._livechat_webhooks import LIVE_EVENTS

            for event_type in LIVE_EVENTS:
                self.account.add_webhook(
                    event_type, list(WEBHOOK_DATA_TYPES[event_type]), live.webhook_url
                )
        return runner

    def live_events(self, index: int) -> list[list[Outgoing]]:
        """For every registered ``chat_started`` webhook, then every ``chat_ended`` one,
        the payload describing chat ``index`` (see :mod:`chatapi.sandbox._livechat_webhooks`)."""
        from ._live import LIVECHAT_RETRIES, Outgoing
        from ._livechat_webhooks import LIVE_EVENTS, encode, webhook_body

        record = self.chat_payload(index)
        visitor_id = (
            record["visitor_id"] if record["type"] == "missed_chat" else record["visitor"]["id"]
        )
        groups: list[list[Outgoing]] = []
        for event_type in LIVE_EVENTS:
            group = []
            for webhook in list(self.account.webhooks.values()):
                if webhook["event_type"] != event_type:
                    continue
                body = webhook_body(
                    webhook, data=self.dataset, index=index, record=record, visitor_id=visitor_id
                )
                group.append(
                    Outgoing(
                        url=webhook["url"],
                        event=event_type,
                        body=encode(body),
                        headers={"Content-Type": "application/json"},
                        chat_index=index,
                        schedule=LIVECHAT_RETRIES,
                        key=body["event_unique_id"],
                    )
                )
            groups.append(group)
        return groups

    def live_info(self, base_url: str) -> list[str]:
        """The registered webhooks and how to add more."""
        lines = [
            f"live: webhooks registered with POST {base_url}/webhooks get chat_started / "
            "chat_ended payloads (unsigned; each carries its webhook's token)"
        ]
        for webhook in self.account.webhooks.values():
            lines.append(
                f"  webhook {webhook['id']}: {webhook['event_type']} "
                f"{','.join(webhook['data_types'])} -> {webhook['url']} "
                f"(token {webhook['token']})"
            )
        return lines

    # -- request checks ---------------------------------------------------------------------

    def _check(self, request: web.Request) -> web.Response | None:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        ok = False
        if scheme.lower() == "basic":
            try:
                pair = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                pair = ""
            ok = pair == f"{self.login}:{self.api_key}"
        elif scheme.lower() == "bearer":
            ok = value.strip() == self.access_token
        if not ok:
            return json_response(
                {"error": "Invalid username or API key."},
                status=401,
                headers={"WWW-Authenticate": 'Basic realm="LiveChat API"'},
            )
        if request.headers.get("X-API-Version") != "2" and not request.path.startswith("/v2/"):
            return self._bad(["X-API-Version header must be 2"])
        return None

    def _bad(self, errors: list[str]) -> web.Response:
        return json_response({"errors": errors}, status=400)

    @staticmethod
    def _page(request: web.Request) -> int:
        raw = request.query.get("page", "1")
        if not raw.isdigit() or int(raw) < 1:
            raise _BadRequest("page: must be a positive integer")
        return int(raw)

    @staticmethod
    def _timezone(request: web.Request) -> dt.tzinfo:
        name = request.query.get("timezone")
        if not name:
            return dt.timezone.utc
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise _BadRequest(f"timezone: unknown time zone {name!r}") from exc

    @staticmethod
    def _date(request: web.Request, name: str, default: dt.date | None) -> dt.date | None:
        raw = request.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise _BadRequest(f"{name}: wrong date format, expected YYYY-MM-DD") from exc

    @staticmethod
    def _bounds(
        start: dt.date | None, end: dt.date | None, tz: dt.tzinfo
    ) -> tuple[int | None, int | None]:
        lo = None
        hi = None
        if start is not None:
            lo = int(dt.datetime.combine(start, dt.time(), tz).timestamp())
        if end is not None:
            next_day = end + dt.timedelta(days=1)
            hi = int(dt.datetime.combine(next_day, dt.time(), tz).timestamp())
        return lo, hi

    # -- chats ------------------------------------------------------------------------------

    def _chat_filter(self, request: web.Request) -> tuple[tuple[Any, ...], tuple[int, int]]:
        query = request.query
        tz = self._timezone(request)
        today = dt.datetime.now(tz).date()
        lo, hi = self._bounds(
            self._date(request, "date_from", None), self._date(request, "date_to", today), tz
        )
        data = self.dataset
        starts = data.chat_start
        released = data.chat_count
        first = 0 if lo is None else bisect.bisect_left(starts, lo, 0, released)
        last = released if hi is None else bisect.bisect_left(starts, hi, 0, released)
        preds: list[tuple[str, Any]] = []
        kind = query.get("type")
        if kind:
            if kind not in ("chat", "missed_chat"):
                raise _BadRequest("type: available values are chat, missed_chat")
            preds.append(("type", kind == "missed_chat"))
        for name in ("agent", "visitor_id", "query", "rate", "city", "region", "country"):
            value = query.get(name)
            if value:
                preds.append((name, value))
        if query.get("group"):
            group = query["group"]
            if not group.lstrip("-").isdigit():
                raise _BadRequest("group: must be a group id")
            preds.append(("group", int(group)))
        tags = tuple(query.getall("tag[]", ()))
        if tags:
            preds.append(("tag", tags))
        for flag in ("tagged", "has_goal", "has_sale", "queued", "comment"):
            value = query.get(flag)
            if value is not None:
                if value not in ("0", "1"):
                    raise _BadRequest(f"{flag}: must be 1 or 0")
                preds.append((flag, value == "1"))
        for never in ("goal", "sale"):
            # The sandbox tracks no goals or sales: such filters match nothing.
            if query.get(never):
                preds.append(("nothing", True))
        key = (first, last, tuple(preds))
        return key, (first, last)

    def _predicate(self, name: str, value: Any) -> Callable[[int], bool]:
        data = self.dataset
        if name == "type":
            missed = data.chat_missed
            return lambda i: bool(missed[i]) == value
        if name == "agent":
            index = next((a.index for a in data.agents if a.email == value), None)
            agent, missed = data.chat_agent, data.chat_missed
            return lambda i: index is not None and not missed[i] and agent[i] == index
        if name == "visitor_id":
            visitor = data.chat_visitor
            return lambda i: _visitor_id(data, visitor[i]) == value
        if name == "query":
            return lambda i: data.chat_text_matches(i, value)
        if name == "rate":
            ratings = data.chat_rating
            wanted = {
                "rated": {1, 2},
                "not_rated": {0},
                "rated_good": {1},
                "rated_bad": {2},
            }.get(value)
            if wanted is None:
                raise _BadRequest(
                    "rate: available values are rated, not_rated, rated_good, rated_bad"
                )
            return lambda i: ratings[i] in wanted
        if name in ("city", "region", "country"):
            visitor = data.chat_visitor
            return lambda i: getattr(data.visitor(visitor[i]), name) == value
        if name == "group":
            groups = data.chat_group
            return lambda i: GROUPS[groups[i]][0] == value
        overlay = self.chat_tag_overlay
        if name == "tag":
            masks = data.chat_tags
            bits = 0
            for tag in value:
                if tag in TAGS:
                    bits |= 1 << TAGS.index(tag)
            names = set(value)
            return lambda i: (
                bool(names.intersection(overlay[i])) if i in overlay else bool(masks[i] & bits)
            )
        if name == "tagged":
            masks = data.chat_tags
            return lambda i: (bool(overlay[i]) if i in overlay else bool(masks[i])) == value
        if name in ("has_goal", "has_sale", "queued", "comment"):
            return lambda i: not value
        return lambda i: False

    def _matching(self, request: web.Request) -> tuple[tuple[Any, ...], Sequence[int]]:
        key, (first, last) = self._chat_filter(request)
        preds = key[2]
        if not preds:
            return key, range(first, max(last, first))
        if any(name in ("tag", "tagged") for name, _ in preds):
            # Tag filters depend on PUT /chats/<id>/tags: a change starts a new cache entry.
            key = (*key, self._tags_version)
        cached = self._filter_cache.get(key)
        if cached is None:
            tests = [self._predicate(name, value) for name, value in preds]
            cached = [i for i in range(first, last) if all(test(i) for test in tests)]
            if len(self._filter_cache) > 256:
                self._filter_cache.clear()
            self._filter_cache[key] = cached
        return key, cached

    async def list_chats(self, request: web.Request) -> web.Response:
        """``GET /chats``."""
        denied = self._check(request)
        if denied is not None:
            return denied
        try:
            page = self._page(request)
            key, matching = self._matching(request)
        except _BadRequest as exc:
            return self._bad([str(exc)])
        self.listing_requested()
        indices = self._page_indices(matching, page)
        # A page holding retagged chats is cached under their current tags: the stale body
        # is never served and pages without such chats keep their cache entry.
        overlay = self.chat_tag_overlay
        changed = tuple((i, overlay[i]) for i in indices if i in overlay) if overlay else ()
        body = self.cache.get(
            ("chats", key, page, changed), lambda: self._render_chats_page(matching, indices)
        )
        return json_response(body=body)

    @staticmethod
    def _page_indices(matching: Sequence[int], page: int) -> list[int]:
        total = len(matching)
        served = min(total, RECORD_CAP)
        start = (page - 1) * PER_PAGE
        return [matching[total - 1 - p] for p in range(start, min(start + PER_PAGE, served))]

    def _render_chats_page(self, matching: Sequence[int], indices: Sequence[int]) -> bytes:
        total = len(matching)
        pages = math.ceil(min(total, RECORD_CAP) / PER_PAGE)
        if self.dataset.config.report_capped_totals:
            # How an account above the cap may answer: both numbers stop at the cap.
            total = min(total, RECORD_CAP)
        chats = [self.chat_payload(i) for i in indices]
        return json_bytes({"chats": chats, "total": total, "pages": pages})

    async def get_chat(self, request: web.Request) -> web.Response:
        """``GET /chats/<id>``."""
        denied = self._check(request)
        if denied is not None:
            return denied
        text = request.match_info["chat_id"]
        index = chat_index(self.seed, text)
        if index is None or index >= self.dataset.chat_count:
            return self.error_response(404, "Chat not found")
        return json_response(body=json_bytes(self.chat_payload(index)))

    def chat_payload(self, index: int) -> dict[str, Any]:
        """The ``/chats`` record of chat ``index``, exactly as served (changed tags too)."""
        record = chat_payload(self.dataset, self.dataset.chat(index))
        tags = self.chat_tag_overlay.get(index)
        if tags is not None:
            record["tags"] = list(tags)
        return record

    def _chat_index(self, request: web.Request) -> int:
        index = chat_index(self.seed, request.match_info["chat_id"])
        if index is None or index >= self.dataset.chat_count:
            raise NotFound("Chat not found")
        return index

    async def update_chat_tags(self, request: web.Request) -> web.Response:
        """``PUT /chats/<id>/tags``: ``tag`` (an array; ``tag[]`` keys and forms too)
        replaces the chat's tags (https://developers.livechat.com/docs/ REST API v2
        reference, "Update chat tags")."""
        index = self._chat_index(request)
        body = await read_body(request)
        if "tag" not in body:
            raise BadParameter("tag: is required")
        value = body["tag"]
        tags = [value] if isinstance(value, str) else value
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise BadParameter("tag: must be an array of strings")
        old = self.chat_payload(index).get("tags", [])
        new = tuple(dict.fromkeys(tags))
        self.chat_tag_overlay[index] = new
        self._tags_version += 1
        group = GROUPS[self.dataset.chat_group[index]][0]
        self.account.count_chat_tags(group, old, new)
        return json_response({"chats": [self.chat_payload(index)], "total": 1, "pages": 1})

    async def send_transcript(self, request: web.Request) -> web.Response:
        """``POST /chats/<id>/send_transcript``: ``to`` required."""
        index = self._chat_index(request)
        body = await read_body(request)
        to = str(require(body, "to"))
        if "@" not in to:
            raise BadParameter("to: must be a correct e-mail address")
        self.account.transcripts.append((chat_id(self.seed, index), to))
        return json_response({"result": f"E-mail has been sent to {to}."})

    def expected_chats(self) -> list[dict[str, Any]]:
        """Every record a complete ``/chats`` listing holds now, newest first (no cap)."""
        data = self.dataset
        return [self.chat_payload(i) for i in reversed(data.chat_ids())]

    # -- offline messages -------------------------------------------------------------------

    async def list_offline_messages(self, request: web.Request) -> web.Response:
        """``GET /offline_messages`` (default window: today - 6 days .. today)."""
        denied = self._check(request)
        if denied is not None:
            return denied
        try:
            page = self._page(request)
            tz = self._timezone(request)
            today = dt.datetime.now(tz).date()
            start = self._date(request, "date_from", today - dt.timedelta(days=6))
            end = self._date(request, "date_to", today)
            skill = request.query.get("skill")
            if skill is not None and not skill.isdigit():
                raise _BadRequest("skill: must be a skill (group) id")
        except _BadRequest as exc:
            return self._bad([str(exc)])
        query = request.query.get("query", "").lower()
        lo, hi = self._bounds(start, end, tz)
        times = self.dataset.offline_time
        first = bisect.bisect_left(times, lo) if lo is not None else 0
        last = bisect.bisect_left(times, hi) if hi is not None else len(times)
        key = ("offline", first, last, skill, query, page)

        def render() -> bytes:
            if skill is None and not query:
                # Unfiltered: build only this page's records (a long listing stays linear).
                newest_first = range(last - 1, first - 1, -1)
                chunk = [
                    self.offline_payload(i)
                    for i in newest_first[(page - 1) * PER_PAGE : page * PER_PAGE]
                ]
                total = last - first
                pages = math.ceil(total / PER_PAGE)
                return json_bytes({"offline_messages": chunk, "total": total, "pages": pages})
            records = [self.offline_payload(i) for i in range(first, last)]
            if skill is not None:
                records = [r for r in records if r["skill"] == int(skill)]
            if query:
                records = [
                    r for r in records if query in r["message"].lower() or query in r["email"]
                ]
            records.reverse()
            total = len(records)
            chunk = records[(page - 1) * PER_PAGE : page * PER_PAGE]
            pages = math.ceil(total / PER_PAGE)
            return json_bytes({"offline_messages": chunk, "total": total, "pages": pages})

        return json_response(body=self.cache.get(key, render))

    async def get_offline_message(self, request: web.Request) -> web.Response:
        """``GET /offline_messages/<id>``."""
        denied = self._check(request)
        if denied is not None:
            return denied
        index = offline_message_index(self.seed, request.match_info["message_id"])
        if index is None or index >= self.dataset.offline_count:
            return self.error_response(404, "Offline message not found")
        return json_response(self.offline_payload(index))

    def offline_payload(self, index: int) -> dict[str, Any]:
        """The ``/offline_messages`` record of offline message ``index``."""
        return offline_payload(self.dataset, self.dataset.offline_message(index))

    def expected_offline_messages(self, days: int = 7) -> list[dict[str, Any]]:
        """The records of the default listing (last ``days`` days, UTC), newest first."""
        today = dt.datetime.now(dt.timezone.utc).date()
        lo, _ = self._bounds(today - dt.timedelta(days=days - 1), None, dt.timezone.utc)
        times = self.dataset.offline_time
        return [
            self.offline_payload(i)
            for i in reversed(range(len(times)))
            if lo is None or times[i] >= lo
        ]


# -- payload rendering (module functions: tests and benchmarks use them directly) ------------


def _visitor_id(data: Dataset, index: int) -> str:
    visitor = data.visitor(index)
    return f"S{visitor.first_visit}.{visitor.token}"


def chat_payload(data: Dataset, chat: ChatSpec) -> dict[str, Any]:
    """A ``/chats`` record for ``chat``."""
    seed = data.config.seed
    visitor = data.visitor(chat.visitor)
    visitor_id = _visitor_id(data, chat.visitor)
    if chat.missed:
        # No agents, a "time" string, flat visitor fields
        # (tests/fixtures/livechat/missed_chat.json).
        return {
            "type": "missed_chat",
            "id": chat_id(seed, chat.index),
            "visitor_name": visitor.name,
            "visitor_id": visitor_id,
            "email": visitor.email,
            "message": chat.messages[0].text if chat.messages else "",
            "time": dt.datetime.fromtimestamp(chat.started, dt.timezone.utc).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "group": [chat.group],
        }
    agents = data.agents
    messages = []
    for message in chat.messages:
        item: dict[str, Any] = {
            "author_name": visitor.name,
            "text": message.text,
            "date": _human(message.timestamp),
            "timestamp": message.timestamp,
            "user_type": message.author,
        }
        if message.agent is not None:
            item["author_name"] = agents[message.agent].name
            item["agent_id"] = agents[message.agent].email
        messages.append(item)
    agent = agents[chat.agent] if chat.agent is not None else agents[0]
    browser, version, os_name, os_version, _ = visitor.browser
    record: dict[str, Any] = {
        "type": "chat",
        "id": chat_id(seed, chat.index),
        "visitor": {
            "id": visitor_id,
            "name": visitor.name,
            "ip": visitor.ip,
            "city": visitor.city,
            "country": visitor.country,
            "country_code": visitor.country_code,
            "timezone": visitor.timezone,
            "region": visitor.region,
            "user_agent": f"Mozilla/5.0 ({os_name} {os_version}) {browser}/{version}",
        },
        "agents": [{"display_name": agent.name, "email": agent.email}],
    }
    if chat.supervisor is not None:
        supervisor = agents[chat.supervisor]
        record["supervisors"] = [{"display_name": supervisor.name, "email": supervisor.email}]
    record.update(
        {
            "rate": chat.rating,
            "duration": chat.ended - chat.started,
            "chat_start_url": f"https://shop.example.com/{chat.topic}",
            "group": [chat.group],
            "started": _human(chat.started),
            "prechat_survey": [
                {"key": "Name:", "value": visitor.name, "id": f"{chat.started}0001"},
                {"key": "E-mail:", "value": visitor.email, "id": f"{chat.started}0002"},
            ],
            "custom_variables": [{"key": "customer_login", "value": visitor.email.split("@")[0]}],
            "tags": list(chat.tags),
            "timezone": "UTC",
            "messages": messages,
            "engagement": _ENGAGEMENTS[chat.index % len(_ENGAGEMENTS)],
            "started_timestamp": chat.started,
            "ended_timestamp": chat.ended,
            "ended": _human(chat.ended),
        }
    )
    if chat.rating != "not_rated":
        record["postchat_survey"] = [
            {
                "key": "How would you rate the quality of support?",
                "value": "Good" if chat.rating == "rated_good" else "Bad",
                "id": f"{chat.ended}0003",
            }
        ]
    if chat.index % 4 == 0:
        record["referrer"] = f"https://search.example.com/?q={chat.topic}"
    return record


def offline_payload(data: Dataset, message: OfflineMessageSpec) -> dict[str, Any]:
    """A ``/offline_messages`` record for ``message``."""
    visitor = data.visitor(message.visitor)
    body = (
        f"Your name: {visitor.name}\r\nE-mail: {visitor.email}\r\n\r\n"
        f"Message:\r\n{message.text}\r\n\r\n"
    )
    return {
        "id": offline_message_id(data.config.seed, message.index),
        "visitor_name": visitor.name,
        "skill": message.group,
        "email": visitor.email,
        "message": body,
        "timestamp": message.timestamp,
    }


def agent_row(data: Dataset, index: int) -> dict[str, Any]:
    """An ``/agents`` list item."""
    agent = data.agents[index]
    return {
        "name": agent.name,
        "permission": agent.role,
        "avatar": _avatar_stable(agent.email),
        "login": agent.email,
        "status": agent.status,
    }


def _avatar_stable(email: str) -> str:
    # hash() is salted per process: derive the avatar name from the bytes instead.
    digest = sum((i + 1) * b for i, b in enumerate(email.encode())) % 10**12
    return f"livechat.s3.amazonaws.com/1011121/all/avatars/{digest:012d}.jpg"


def agent_detail(data: Dataset, index: int) -> dict[str, Any]:
    """An ``/agents/<login>`` body."""
    agent = data.agents[index]
    return {
        "login": agent.email,
        "name": agent.name,
        "login_status": "accepting chats",
        "permission": agent.role,
        "daily_summary": index % 2,
        "job_title": "Support Agent",
        "avatar": _avatar_stable(agent.email),
        "notifications": {
            "new_visitor": 1,
            "returning_visitor": 1,
            "queued_visitor": 1,
            "visitor_is_typing": 0,
            "new_goal": 1,
        },
        "max_chats_count": agent.max_chats,
        "groups": [{"id": g, "name": GROUPS[g][1]} for g in agent.group_ids],
        "status": agent.status,
        "last_logout": agent.last_login,
    }
