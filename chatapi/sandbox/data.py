"""Deterministic, vendor-neutral data behind every sandbox: agents, visitors, chats, offline
messages with replies.

Memory stays small for large datasets: a chat is a handful of entries in flat arrays
(start time, agent, visitor, flags, the template index of each message). Everything else
(message times, names, survey answers) is derived on demand from ``(seed, kind, index)``, so
rendering chat ``i`` always yields the same payload and 50,000 chats cost a few MB.

Vendor apps (:mod:`chatapi.sandbox.livechat`, ...) turn these neutral records into their own
payload shapes.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections.abc import Sequence
from functools import lru_cache

import attrs

__all__ = [
    "AgentSpec",
    "ChatSpec",
    "DataConfig",
    "Dataset",
    "MessageSpec",
    "OfflineMessageSpec",
    "ReplySpec",
    "VisitorSpec",
]

UTC = dt.timezone.utc

_FIRST = (
    "Mary", "John", "Anna", "Peter", "Olga", "Ahmed", "Mei", "Lucas", "Sofia", "Liam",
    "Emma", "Noah", "Aisha", "Diego", "Hana", "Ivan", "Chloe", "Omar", "Nina", "Raj",
)  # fmt: skip
_LAST = (
    "Brown", "Smith", "Kowalski", "Garcia", "Chen", "Novak", "Rossi", "Silva", "Khan",
    "Müller", "Dubois", "Tanaka", "Jensen", "Okafor", "Larsen", "Haddad",
)  # fmt: skip
_PLACES = (
    ("Berlin", "Berlin", "Germany", "DE", "Europe/Berlin"),
    ("Warsaw", "Mazovia", "Poland", "PL", "Europe/Warsaw"),
    ("Austin", "Texas", "United States", "US", "America/Chicago"),
    ("Dhaka", "Dhaka", "Bangladesh", "BD", "Asia/Dhaka"),
    ("Central District", "", "Hong Kong", "HK", "Asia/Hong_Kong"),
    ("São Paulo", "São Paulo", "Brazil", "BR", "America/Sao_Paulo"),
    ("Lagos", "Lagos", "Nigeria", "NG", "Africa/Lagos"),
    ("Osaka", "Osaka", "Japan", "JP", "Asia/Tokyo"),
)
_BROWSERS = (
    ("Chrome", "120.0", "Windows", "10", "Win32"),
    ("Firefox", "121.0", "Linux", "x86_64", "Linux x86_64"),
    ("Safari", "17.2", "Mac OS", "14.2", "MacIntel"),
    ("Edge", "120.0", "Windows", "11", "Win32"),
)
#: Words that make the ``query`` filter meaningful: each chat is about one topic.
TOPICS = (
    "invoice", "refund", "shipping", "password", "discount", "warranty", "upgrade",
    "delivery", "account", "subscription", "installation", "pricing", "return", "coupon",
    "license", "integration", "newsletter", "tracking", "payment", "cancellation",
)  # fmt: skip
#: Agent lines; ``{topic}`` and ``{visitor}`` are filled per chat.
AGENT_LINES = (
    "Hello {visitor}, how can I help you today?",
    "Let me check the {topic} details for you.",
    "Thanks for waiting, I found your {topic} record.",
    "Could you confirm the e-mail address on the account?",
    "I have updated it, you should see the change within a few minutes.",
    "Is there anything else I can help you with?",
    "Sure, I can explain how {topic} works.",
    "I'm forwarding this to our {topic} team.",
    "That's done. Have a great day!",
    "I understand, sorry for the trouble with the {topic}.",
)
#: Visitor lines.
VISITOR_LINES = (
    "Hi, I have a question about {topic}.",
    "It's the same address I used when I signed up.",
    "Great, thanks!",
    "How long will the {topic} take?",
    "I tried that already and it didn't work.",
    "Can you send me a confirmation by e-mail?",
    "Yes, that's correct.",
    "Perfect, that solves it :)",
    "Where can I find my {topic} in the dashboard?",
    "No, that's all. Thank you!",
)
OFFLINE_SUBJECTS = (
    "Question about {topic}",
    "Problem with my {topic}",
    "{topic} request",
    "Please call me back",
)
OFFLINE_LINES = (
    "Hi,\nI'd like to ask about your {topic}, can somebody contact me?\nBest regards,\n{visitor}",
    "Hello, my {topic} is not working since yesterday. Please help.",
    "Could you tell me more about {topic} options? Thanks, {visitor}",
)
REPLY_LINES = (
    "Hello {visitor}, thanks for your message about {topic}.",
    "We have looked into your {topic} issue and it is fixed now.",
    "Could you send us more details about the {topic}?",
    "Thanks, closing this request.",
)
_SUPERVISOR_LINE = "Message from supervisor."
#: Tags LiveChat chats may carry (bit i of a chat's tag mask).
TAGS = ("sales", "support", "feedback", "billing", "spam")
RATINGS = ("not_rated", "rated_good", "rated_bad")
GROUPS = ((0, "General"), (1, "Sales"), (2, "Technical Support"))
_ROLES = ("owner", "administrator", "normal")
_AGENT_STATUSES = ("accepting chats", "not accepting chats", "offline")


@attrs.frozen(kw_only=True)
class DataConfig:
    """What to generate.

    Attributes:
        seed: Everything derives from it: same config, same data.
        chats: Number of chats.
        messages_per_chat: Average messages per answered chat (each chat has between half
            and one and a half times this; at least 1).
        agents: Number of agents.
        visitors: Number of distinct visitors (default: about one per three chats).
        offline_messages: Number of offline messages (default: one per ten chats, at least 5).
        start: Earliest chat time (default: ``end`` minus 30 days).
        end: Latest chat time (default: the current hour, UTC).
        missed_ratio: Share of chats nobody answered (LiveChat ``missed_chat`` records).
        extra_chats: Chats kept back to "arrive" during listings (page drift faults).
        tickets: Number of tickets (vendors with a ticket API serve them).
        report_capped_totals: Listings capped at 25,000 records report ``total`` as at
            most 25,000 (and ``pages`` at most 1,000), as a real account above the cap may
            answer; by default ``total`` stays the true count.
    """

    seed: int = 1
    chats: int = 100
    messages_per_chat: int = 10
    agents: int = 8
    visitors: int | None = None
    offline_messages: int | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    missed_ratio: float = 0.07
    extra_chats: int = 0
    tickets: int = 60
    report_capped_totals: bool = False


@attrs.frozen(kw_only=True)
class AgentSpec:
    """One agent (index ``index``; vendors derive their own ids from it)."""

    index: int
    first_name: str
    last_name: str
    email: str
    role: str
    status: str
    created: int
    last_login: int
    max_chats: int
    group_ids: tuple[int, ...]

    @property
    def name(self) -> str:
        """Display name."""
        return f"{self.first_name} {self.last_name}"


@attrs.frozen(kw_only=True)
class VisitorSpec:
    """One visitor."""

    index: int
    first_name: str
    last_name: str
    email: str
    phone: str
    ip: str
    city: str
    region: str
    country: str
    country_code: str
    timezone: str
    browser: tuple[str, str, str, str, str]
    first_visit: int
    token: str

    @property
    def name(self) -> str:
        """Display name."""
        return f"{self.first_name} {self.last_name}"


@attrs.frozen(kw_only=True)
class MessageSpec:
    """One chat line: who wrote it (``agent``/``visitor``/``supervisor``), when, what."""

    index: int
    author: str
    agent: int | None
    timestamp: int
    text: str


@attrs.frozen(kw_only=True)
class ChatSpec:
    """One chat, fully rendered."""

    index: int
    started: int
    ended: int
    agent: int | None
    supervisor: int | None
    visitor: int
    missed: bool
    topic: str
    tags: tuple[str, ...]
    rating: str
    group: int
    messages: tuple[MessageSpec, ...]


@attrs.frozen(kw_only=True)
class ReplySpec:
    """An agent's reply to an offline message."""

    agent: int
    timestamp: int
    text: str


@attrs.frozen(kw_only=True)
class OfflineMessageSpec:
    """A message a visitor left while no agent was online, with the replies it got."""

    index: int
    timestamp: int
    visitor: int
    group: int
    subject: str
    text: str
    unread: bool
    replies: tuple[ReplySpec, ...]


def _rng(seed: int, kind: str, index: int) -> random.Random:
    # String seeds hash with SHA-512: independent streams per (kind, index), stable across runs.
    return random.Random(f"{seed}:{kind}:{index}")


class Dataset:
    """The generated data of one sandbox.

    Chats are numbered in chronological order (index 0 is the oldest). The first
    ``config.chats`` chats exist from the start; ``config.extra_chats`` more, all newer, are
    released by :meth:`release` (page drift).

    Args:
        config: What to generate.
    """

    def __init__(self, config: DataConfig) -> None:
        if config.chats < 0 or config.extra_chats < 0 or config.tickets < 0:
            raise ValueError("chats, extra_chats and tickets must be >= 0")
        if config.agents < 1:
            raise ValueError("a dataset needs at least one agent")
        self.config = config
        end = config.end or dt.datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        start = config.start or end - dt.timedelta(days=30)
        if end.tzinfo is None or start.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        if end <= start:
            raise ValueError("end must be after start")
        self.start = start
        self.end = end
        seed = config.seed
        rng = random.Random(f"{seed}:dataset")
        self.agents: tuple[AgentSpec, ...] = tuple(
            self._make_agent(i) for i in range(config.agents)
        )
        self.visitor_count = max(config.visitors or (config.chats // 3 + 1), 1)
        t0, t1 = int(start.timestamp()), int(end.timestamp())
        total = config.chats + config.extra_chats
        starts = sorted(rng.randrange(t0, t1) for _ in range(config.chats))
        # Chats that arrive later (page drift) start after the last existing one.
        late = t1 + 1
        starts.extend(late + k for k in range(config.extra_chats))
        self.chat_start = array("q", starts)
        n_agents = config.agents
        self.chat_agent = array("H", (rng.randrange(n_agents) for _ in range(total)))
        self.chat_visitor = array("I", (rng.randrange(self.visitor_count) for _ in range(total)))
        self.chat_missed = bytearray(
            1 if rng.random() < config.missed_ratio else 0 for _ in range(total)
        )
        self.chat_topic = bytearray(rng.randrange(len(TOPICS)) for _ in range(total))
        # Bit mask over TAGS; most chats carry zero or one tag.
        self.chat_tags = bytearray(
            (1 << rng.randrange(len(TAGS))) if rng.random() < 0.6 else 0 for _ in range(total)
        )
        for i in range(total):
            if self.chat_missed[i]:
                # Nobody handled a missed chat: nobody tagged it.
                self.chat_tags[i] = 0
        self.chat_rating = bytearray(
            rng.choices((0, 1, 2), weights=(6, 3, 1))[0] for _ in range(total)
        )
        self.chat_group = bytearray(rng.randrange(len(GROUPS)) for _ in range(total))
        mean = max(config.messages_per_chat, 1)
        low, high = max(mean // 2, 1), max(mean + mean // 2, 1)
        # Per chat, the line index of each message (agent and visitor lines alternate).
        self.chat_lines: list[bytes] = []
        for i in range(total):
            if self.chat_missed[i]:
                self.chat_lines.append(bytes((rng.randrange(len(VISITOR_LINES)),)))
            else:
                count = rng.randint(low, high)
                self.chat_lines.append(bytes(rng.randrange(len(AGENT_LINES)) for _ in range(count)))
        self.released = config.chats
        n_off = config.offline_messages
        if n_off is None:
            n_off = max(config.chats // 10, 5)
        # Offline messages cluster in the last 7 days so that LiveChat's default window
        # (today - 6 days .. today) shows most of them.
        o0 = max(t0, t1 - 7 * 86400)
        self.offline_time = array("q", sorted(rng.randrange(o0, t1) for _ in range(n_off)))
        self.offline_visitor = array("I", (rng.randrange(self.visitor_count) for _ in range(n_off)))

    # -- counts -----------------------------------------------------------------------------

    @property
    def chat_count(self) -> int:
        """Chats that exist now (released ones included)."""
        return self.released

    @property
    def offline_count(self) -> int:
        """Offline messages."""
        return len(self.offline_time)

    def release(self, count: int = 1) -> int:
        """Let up to ``count`` held-back chats arrive; return how many did."""
        room = len(self.chat_start) - self.released
        arrived = max(min(count, room), 0)
        self.released += arrived
        return arrived

    # -- agents and visitors ----------------------------------------------------------------

    def _make_agent(self, i: int) -> AgentSpec:
        r = _rng(self.config.seed, "agent", i)
        first, last = r.choice(_FIRST), r.choice(_LAST)
        login = f"{first}.{last}{i}".lower().replace("ü", "u")
        created = int(self.start.timestamp()) - r.randrange(30, 900) * 86400
        return AgentSpec(
            index=i,
            first_name=first,
            last_name=last,
            email=f"{login}@example.com",
            role=_ROLES[0] if i == 0 else r.choice(_ROLES[1:] + (_ROLES[2],) * 3),
            status=r.choice(_AGENT_STATUSES),
            created=created,
            last_login=int(self.end.timestamp()) - r.randrange(0, 5 * 86400),
            max_chats=r.choice((3, 4, 5, 6)),
            group_ids=tuple(sorted({0, r.randrange(len(GROUPS))})),
        )

    def visitor(self, i: int) -> VisitorSpec:
        """Visitor ``i`` (derived on demand, cached)."""
        return _visitor(self.config.seed, i, int(self.start.timestamp()))

    # -- chats ------------------------------------------------------------------------------

    def chat_ids(self) -> range:
        """Indices of the chats that exist now, oldest first."""
        return range(self.released)

    def chat_text_matches(self, index: int, query: str) -> bool:
        """Whether any message of chat ``index`` contains ``query`` (case-insensitive)."""
        needle = query.lower()
        if needle in _SUPERVISOR_LINE.lower():
            # Whether a chat has the supervisor's line is decided at render time.
            return any(needle in m.text.lower() for m in self.chat(index).messages)
        topic = TOPICS[self.chat_topic[index]]
        visitor = self.visitor(self.chat_visitor[index]).first_name
        lines = self.chat_lines[index]
        if self.chat_missed[index]:
            texts: Sequence[str] = (VISITOR_LINES[lines[0]],)
        else:
            texts = [
                (AGENT_LINES if j % 2 == 0 else VISITOR_LINES)[line % 10]
                for j, line in enumerate(lines)
            ]
        return any(needle in t.format(topic=topic, visitor=visitor).lower() for t in texts)

    def chat(self, i: int) -> ChatSpec:
        """Chat ``i`` with its messages (derived on demand)."""
        r = _rng(self.config.seed, "chat", i)
        started = self.chat_start[i]
        topic = TOPICS[self.chat_topic[i]]
        visitor_index = self.chat_visitor[i]
        visitor = self.visitor(visitor_index)
        missed = bool(self.chat_missed[i])
        agent = None if missed else self.chat_agent[i]
        supervisor = None
        if not missed and len(self.agents) > 1 and r.random() < 0.1:
            supervisor = (self.chat_agent[i] + 1 + r.randrange(len(self.agents) - 1)) % len(
                self.agents
            )
        messages = []
        t = started
        lines = self.chat_lines[i]
        for j, line in enumerate(lines):
            if missed:
                author, who, template = "visitor", None, VISITOR_LINES[line]
            elif j % 2 == 0:
                author, who, template = "agent", agent, AGENT_LINES[line % 10]
            else:
                author, who, template = "visitor", None, VISITOR_LINES[line % 10]
            messages.append(
                MessageSpec(
                    index=j,
                    author=author,
                    agent=who,
                    timestamp=t,
                    text=template.format(topic=topic, visitor=visitor.first_name),
                )
            )
            t += r.randrange(3, 90)
        if supervisor is not None and len(messages) > 2:
            # A whispered supervisor line (tests/fixtures/livechat/chat_rest_reference.json).
            messages.append(
                MessageSpec(
                    index=len(messages),
                    author="supervisor",
                    agent=supervisor,
                    timestamp=t,
                    text=_SUPERVISOR_LINE,
                )
            )
            t += r.randrange(3, 30)
        mask = self.chat_tags[i]
        return ChatSpec(
            index=i,
            started=started,
            ended=t,
            agent=agent,
            supervisor=supervisor,
            visitor=visitor_index,
            missed=missed,
            topic=topic,
            tags=tuple(tag for bit, tag in enumerate(TAGS) if mask >> bit & 1),
            rating=RATINGS[self.chat_rating[i]],
            group=GROUPS[self.chat_group[i]][0],
            messages=tuple(messages),
        )

    # -- offline messages -------------------------------------------------------------------

    def offline_message(self, i: int) -> OfflineMessageSpec:
        """Offline message ``i`` (oldest first) with its replies."""
        r = _rng(self.config.seed, "offline", i)
        visitor_index = self.offline_visitor[i]
        visitor = self.visitor(visitor_index)
        topic = r.choice(TOPICS)
        ts = self.offline_time[i]
        replies = []
        t = ts
        for _ in range(r.choice((0, 1, 1, 2, 3))):
            t += r.randrange(600, 86400)
            replies.append(
                ReplySpec(
                    agent=r.randrange(len(self.agents)),
                    timestamp=t,
                    text=r.choice(REPLY_LINES).format(topic=topic, visitor=visitor.first_name),
                )
            )
        return OfflineMessageSpec(
            index=i,
            timestamp=ts,
            visitor=visitor_index,
            group=r.randrange(len(GROUPS)),
            subject=r.choice(OFFLINE_SUBJECTS).format(topic=topic).capitalize(),
            text=r.choice(OFFLINE_LINES).format(topic=topic, visitor=visitor.name),
            unread=not replies and r.random() < 0.5,
            replies=tuple(replies),
        )


@lru_cache(maxsize=8192)
def _visitor(seed: int, i: int, epoch: int) -> VisitorSpec:
    r = _rng(seed, "visitor", i)
    first, last = r.choice(_FIRST), r.choice(_LAST)
    city, region, country, code, tz = r.choice(_PLACES)
    first_visit = epoch - r.randrange(0, 400 * 86400)
    return VisitorSpec(
        index=i,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{i}@mail.example".lower().replace("ü", "u"),
        phone=f"+1555{r.randrange(10**6, 10**7)}",
        ip=f"{r.randrange(11, 223)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}",
        city=city,
        region=region,
        country=country,
        country_code=code,
        timezone=tz,
        browser=r.choice(_BROWSERS),
        first_visit=first_visit,
        token=f"{r.getrandbits(40):010x}",
    )
