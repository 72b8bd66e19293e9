"""LiveChat v2 configuration and ticket records: converters against the reference's examples."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

from chatapi.errors import ResponseFormatError
from chatapi.livechat import (
    AvailabilityStatus,
    CannedResponse,
    Goal,
    GoalType,
    Greeting,
    GreetingRule,
    Group,
    LiveChatStatus,
    Tag,
    Ticket,
    TicketAssigneeChanged,
    TicketMessage,
    TicketStatus,
    TicketUnknownEvent,
    Webhook,
    WebhookEventType,
)
from chatapi.models import Participant, ParticipantKind, Visitor
from chatapi.vendors.livechat._convert_config import (
    canned_response_from_payload,
    goal_from_payload,
    greeting_from_payload,
    group_from_payload,
    tag_from_payload,
    visitor_from_payload,
    webhook_from_payload,
)
from chatapi.vendors.livechat._convert_tickets import ticket_from_payload

CONFIG = Path(__file__).parents[2] / "fixtures" / "livechat" / "config"
UTC = dt.timezone.utc


def load(name: str) -> Any:
    return json.loads((CONFIG / name).read_text(encoding="utf-8"))


def at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, UTC)


# --- canned responses ---------------------------------------------------------------------


def test_canned_responses_list() -> None:
    first, second = (canned_response_from_payload(p) for p in load("canned_responses.json"))
    assert first == CannedResponse(
        id="3151",
        group_id="1",
        text="Can I help you with anything else?",
        tags=("help", "else"),
        created_at=at(1358257181),
        created_by="john.doe@mycompany.com",
        modified_at=None,
        modified_by=None,
    )
    assert first.raw == load("canned_responses.json")[0]
    assert second.id == "3161"
    assert second.modified_at == at(1358864338)
    assert second.modified_by == "jenny.doe@mycompany.com"
    assert second.tags == ("product", "interest")


def test_canned_response_single_modified() -> None:
    payload = load("canned_response.json")
    response = canned_response_from_payload(payload)
    assert response.id == "3181"
    assert response.group_id == "0"
    assert response.text == "Have a great day, goodbye."
    assert response.tags == ("bye",)
    assert response.created_at == at(1358866421)
    assert response.created_by == "john.doe@mycompany.com"
    assert response.modified_at == at(1358866813)
    assert response.modified_by == "john.doe@mycompany.com"
    assert response.raw is payload


def test_canned_response_tolerates_strings_and_missing_parts() -> None:
    response = canned_response_from_payload(
        {"id": "7", "group": "2", "creation_date": "1358866421", "extra": [1], "tags": "one"}
    )
    assert response.group_id == "2"
    assert response.created_at == at(1358866421)
    assert response.tags == ("one",)
    assert response.text == ""
    assert response.created_by is None
    assert response.modified_at is None
    assert response.raw["extra"] == [1]


# --- goals --------------------------------------------------------------------------------


def test_goals_list() -> None:
    goals = [goal_from_payload(p) for p in load("goals.json")]
    assert goals == [
        Goal(id="1041", name="purchase", type=GoalType.URL, active=True, settings={}),
        Goal(
            id="1181",
            name="nike shoes variable",
            type=GoalType.CUSTOM_VARIABLE,
            active=True,
            settings={},
        ),
    ]


def test_goal_settings_are_the_type_keys() -> None:
    goal = goal_from_payload(load("goal.json"))
    assert goal.id == "1181"
    assert goal.name == "nike shoes variable"
    assert goal.type is GoalType.CUSTOM_VARIABLE
    assert goal.active is True
    assert goal.settings == {
        "custom_variable_name": "nike_shoes",
        "custom_variable_value": "true",
    }
    assert goal.raw == load("goal.json")


@pytest.mark.parametrize(
    ("active", "expected"), [(0, False), ("0", False), ("1", True), (None, True)]
)
def test_goal_active_forms(active: Any, expected: bool) -> None:
    payload = {"id": 1, "name": "g", "type": "api"}
    if active is not None:
        payload["active"] = active
    assert goal_from_payload(payload).active is expected


def test_goal_unknown_type() -> None:
    goal = goal_from_payload({"id": 9, "type": "chat_rating", "threshold": 4})
    assert goal.type is GoalType.UNKNOWN
    assert goal.settings == {"threshold": 4}
    assert goal.name is None
    assert hash(goal) == hash(goal_from_payload({"id": 9, "type": "chat_rating", "threshold": 4}))


# --- greetings ----------------------------------------------------------------------------


def test_greetings_list() -> None:
    greetings = [greeting_from_payload(p) for p in load("greetings.json")]
    first = greetings[0]
    assert first == Greeting(
        id="2291",
        name="Time on site: 5 sec",
        active=True,
        rules=(
            GreetingRule(
                type="visit_time_site",
                id="8201",
                operator="equals",
                condition="and",
                value="5",
            ),
        ),
        message="Hello, how may I help you?",
        properties={"active": "1", "greeting-message_text": "Hello, how may I help you?"},
        group_id=None,
    )
    assert [g.id for g in greetings] == ["2291", "2411", "2431", "2441", "2491"]
    assert greetings[1].message == "Hello again!"
    assert greetings[1].rules[0].value == "2"


def test_greeting_custom_variable_rule() -> None:
    greeting = greeting_from_payload(load("greetings.json")[2])
    (rule,) = greeting.rules
    assert rule == GreetingRule(
        type="custom_variable",
        id="8221",
        operator="contains",
        condition="and",
        value=None,
        variable_name="my_custom_var",
        variable_value="var_value",
        urls=(),
    )


def test_greeting_url_funnel_rule() -> None:
    greeting = greeting_from_payload(load("greetings.json")[3])
    (rule,) = greeting.rules
    assert rule.type == "url_funnel"
    assert rule.id == "8231"
    assert rule.operator is None
    assert rule.value is None
    assert rule.urls == (
        {"url": "mystore.com/shoes", "operator": "equals"},
        {"url": "cart", "operator": "contains"},
    )
    assert greeting.message == "Hello, would you like to talk about our products?"
    hash(greeting)  # mapping fields stay out of the hash


def test_greeting_inactive() -> None:
    greeting = greeting_from_payload(load("greetings.json")[4])
    assert greeting.active is False
    assert greeting.rules[0].variable_value == "true"


@pytest.mark.parametrize(("active", "expected"), [(True, True), (1, True), ("1", True), (0, False)])
def test_greeting_active_forms(active: Any, expected: bool) -> None:
    greeting = greeting_from_payload({"id": 5, "active": active, "group": 3})
    assert greeting.active is expected
    assert greeting.group_id == "3"
    assert greeting.rules == ()
    assert greeting.message is None
    assert greeting.properties == {}


def test_greeting_active_falls_back_to_properties() -> None:
    greeting = greeting_from_payload({"id": 5, "properties": {"active": "0"}})
    assert greeting.active is False


def test_greeting_rule_numbers_become_text() -> None:
    greeting = greeting_from_payload(
        {"id": 6, "rules": [{"type": "custom", "variable_name": "x", "variable_value": True}]}
    )
    assert greeting.rules[0].variable_value == "true"
    assert greeting.rules[0].id is None


# --- groups -------------------------------------------------------------------------------


def test_groups_list() -> None:
    groups = [group_from_payload(p) for p in load("groups.json")]
    assert groups[0] == Group(
        id="0",
        name="All operators",
        language="en",
        agent_ids=(),
        status=AvailabilityStatus.ACCEPTING_CHATS,
    )
    assert groups[1].agent_ids == ("jane.doe@mycompany.com",)
    assert groups[1].status is AvailabilityStatus.OFFLINE
    assert groups[2].status is AvailabilityStatus.NOT_ACCEPTING_CHATS
    assert [g.name for g in groups] == ["All operators", "Invoicing", "Sales", "Technical Support"]


def test_group_single() -> None:
    group = group_from_payload(load("group.json"))
    assert group.id == "2"
    assert group.name == "Sales"
    assert group.language == "en"
    assert group.agent_ids == ("john.doe@mycompany.com", "jenny.doe@mycompany.com")
    assert group.status is AvailabilityStatus.ACCEPTING_CHATS
    assert group.raw == load("group.json")


def test_group_unknown_status_and_missing_parts() -> None:
    group = group_from_payload({"id": "4", "status": "busy"})
    assert group.status is AvailabilityStatus.UNKNOWN
    assert group.language is None
    assert group_from_payload({"id": 4}).status is AvailabilityStatus.UNKNOWN


# --- tags ---------------------------------------------------------------------------------


def test_tags_list() -> None:
    sales, support = (tag_from_payload(p) for p in load("tags.json"))
    assert sales == Tag(
        name="sales",
        group_id="1",
        author="john.doe@mycompany.com",
        created_at=at(1402989014),
        chats_count=4,
        tickets_count=1,
    )
    assert support.chats_count == 0
    assert support.tickets_count == 2
    assert support.created_at == at(1402991857)


def test_tag_id_is_group_and_name() -> None:
    tag = tag_from_payload(load("tags.json")[0])
    assert tag.id == "1:sales"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        tag.id = "x"  # type: ignore[misc]


def test_tag_string_counts_and_missing_count() -> None:
    tag = tag_from_payload({"name": "vip", "group": "0", "count": {"inChats": "12"}})
    assert tag.chats_count == 12
    assert tag.tickets_count is None
    assert tag.id == "0:vip"
    bare = tag_from_payload({"name": "bare"})
    assert (bare.group_id, bare.chats_count, bare.created_at) == (None, None, None)


def test_tag_without_name_is_a_format_error() -> None:
    with pytest.raises(ResponseFormatError) as info:
        tag_from_payload({"group": 1, "author": "a@b.c"})
    assert info.value.field == "name"
    assert info.value.vendor == "livechat"


# --- webhooks -----------------------------------------------------------------------------


def test_webhook() -> None:
    payload = load("webhooks.json")["events"][0]
    webhook = webhook_from_payload(payload)
    assert webhook.id == "39612eee5f1b431217aafb9de19c1e32"
    assert webhook.event_type is WebhookEventType.CHAT_STARTED
    assert webhook.data_types == ("chat", "visitor")
    assert webhook.url == "https://my-company.com/parse_webhook.php"
    assert webhook.verified is True
    assert webhook.license_id == "12345"
    assert webhook.token == "0adec158e423091d5a36c9fce95775db"
    assert webhook.raw is payload


def test_webhook_token_is_never_in_the_repr() -> None:
    payload = load("webhooks.json")["events"][0]
    webhook = webhook_from_payload(payload)
    token = payload["token"]
    assert token not in repr(webhook)
    assert token not in str(webhook)
    assert "39612eee5f1b431217aafb9de19c1e32" in repr(webhook)
    shown = {f.name for f in attrs.fields(Webhook) if f.repr}
    assert "token" not in shown
    assert "raw" not in shown
    for name in shown:
        assert token not in repr(getattr(webhook, name))


def test_webhook_unknown_event_type_and_missing_parts() -> None:
    webhook = webhook_from_payload({"id": "ab", "event_type": "incoming_event"})
    assert webhook.event_type is WebhookEventType.UNKNOWN
    assert webhook.verified is None
    assert webhook.license_id is None
    assert webhook.data_types == ()
    assert webhook.token == ""


# --- visitors -----------------------------------------------------------------------------


def test_visitor_email_from_the_prechat_survey() -> None:
    payload = load("visitors.json")[0]
    visitor = visitor_from_payload(payload)
    assert visitor == Visitor(
        id="S148dea44981.d9443253fef2",
        name="Visitor",
        email="mary.brown@email.com",
        phone=None,
    )
    assert visitor.raw is payload


def test_visitor_email_key_wins_and_phone() -> None:
    visitor = visitor_from_payload(
        {
            "id": "S1",
            "email": "direct@example.com",
            "phone": "+1 555 0100",
            "prechat_survey": [{"key": "E-mail:", "value": "survey@example.com"}],
        }
    )
    assert visitor.email == "direct@example.com"
    assert visitor.phone == "+1 555 0100"


def test_visitor_without_email() -> None:
    visitor = visitor_from_payload({"id": "S2", "prechat_survey": [{"key": "Name:", "value": "x"}]})
    assert (visitor.email, visitor.name, visitor.phone) == (None, None, None)
    labelled = visitor_from_payload(
        {"id": "S3", "prechat_survey": [{"label": "Your email", "answer": "l@example.com"}]}
    )
    assert labelled.email == "l@example.com"


# --- tickets ------------------------------------------------------------------------------


MARY = Participant(
    kind=ParticipantKind.VISITOR,
    id="mary.brown@email.com",
    name="Mary Brown",
    email="mary.brown@email.com",
)
JANE = Participant(
    kind=ParticipantKind.AGENT,
    id="jane.doe@mycompany.com",
    name="Jane Doe",
    email="jane.doe@mycompany.com",
)
JOHN = Participant(
    kind=ParticipantKind.AGENT,
    id="john.doe@mycompany.com",
    name="John Doe",
    email="john.doe@mycompany.com",
)


@pytest.mark.parametrize("name", ["tickets_page.json", "ticket_single.json"])
def test_ticket_from_the_reference(name: str) -> None:
    envelope = load(name)
    assert (envelope["pages"], envelope["total"]) == (1, 15)
    payload = envelope["tickets"][0]
    ticket = ticket_from_payload(payload)
    assert ticket.id == "5FUED"
    assert ticket.subject == "My new shoes are broken"
    assert ticket.status is TicketStatus.OPEN
    assert ticket.requester == MARY
    assert ticket.assignee == JANE
    assert ticket.group_ids == ("0",)
    assert ticket.tags == ("sales", "support", "feedback")
    assert ticket.source == "mail"
    assert ticket.opened_at == at(1384554260)
    assert ticket.modified_at == at(1384790802)
    assert ticket.first_response_at is None
    assert ticket.raw is payload
    assert ticket.events == (
        TicketMessage(
            author=MARY,
            text="Hello,\n\nIt seems that my new shoes are broken. What can we do about this?",
            is_private=False,
            created_at=at(1384554260),
            source="mail",
        ),
        TicketAssigneeChanged(author=JOHN, assignee=JANE, created_at=at(1384554270)),
        TicketMessage(
            author=JOHN,
            text="Jane, could you please find a moment to handle this customer's complaint?",
            is_private=True,
            created_at=at(1384554322),
            source="lc2",
        ),
    )
    assert ticket.events[1].raw is payload["events"][1]


def test_ticket_with_iso_dates() -> None:
    payload = load("ticket_iso_dates.json")
    ticket = ticket_from_payload(payload)
    assert ticket.id == "PQ8TQ4OC7K"
    assert ticket.status is TicketStatus.PENDING
    assert ticket.requester == Participant(
        kind=ParticipantKind.VISITOR,
        id="sam.lee@example.com",
        name="Sam Lee",
        email="sam.lee@example.com",
    )
    assert ticket.assignee is None  # "assignee": {}
    assert ticket.group_ids == ("0", "2")
    assert ticket.tags == ()
    assert ticket.source == "chat-window"
    assert ticket.opened_at == dt.datetime(2019, 5, 14, 11, 48, 10, tzinfo=UTC)
    assert ticket.modified_at == dt.datetime(2019, 5, 14, 12, 1, 30, tzinfo=UTC)
    first, second, third = ticket.events
    assert isinstance(first, TicketMessage)
    assert first.created_at == dt.datetime(2019, 5, 14, 11, 48, 10, tzinfo=UTC)
    assert first.author.kind is ParticipantKind.VISITOR
    # No author.type: the requester by mail is the visitor.
    assert isinstance(second, TicketMessage)
    assert second.author.kind is ParticipantKind.VISITOR
    assert second.source == "mail"
    # A type this library does not model keeps its payload.
    assert isinstance(third, TicketUnknownEvent)
    assert third.type == "status_changed"
    assert third.created_at == dt.datetime(2019, 5, 14, 12, 1, 30, tzinfo=UTC)
    assert third.raw == payload["events"][2]
    assert third.raw["current"] == "pending"


def test_iso_and_epoch_dates_are_both_utc() -> None:
    epoch = ticket_from_payload({"id": "E", "modified": 1557834490})
    numeric = ticket_from_payload({"id": "N", "modified": "1557834490"})
    iso = ticket_from_payload({"id": "I", "modified": "2019-05-14T11:48:10Z"})
    offset = ticket_from_payload({"id": "O", "modified": "2019-05-14T13:48:10+02:00"})
    for ticket in (epoch, numeric, iso, offset):
        assert ticket.modified_at == dt.datetime(2019, 5, 14, 11, 48, 10, tzinfo=UTC)
        assert ticket.modified_at is not None
        assert ticket.modified_at.utcoffset() == dt.timedelta(0)


def test_ticket_minimal_and_odd_parts() -> None:
    ticket = ticket_from_payload(
        {"id": 42, "status": "escalated", "source": "mail", "groups": ["3"], "unknown": True}
    )
    assert ticket.id == "42"
    assert ticket.status is TicketStatus.UNKNOWN
    assert ticket.requester == Participant(kind=ParticipantKind.VISITOR)
    assert ticket.assignee is None
    assert ticket.source == "mail"
    assert ticket.group_ids == ("3",)
    assert ticket.events == ()
    assert ticket.opened_at is None
    assert ticket.subject is None


def test_ticket_first_response_and_event_author_kinds() -> None:
    ticket = ticket_from_payload(
        {
            "id": "F",
            "requester": {"mail": "c@example.com"},
            "firstResponse": {"date": 1384554322},
            "events": [
                {"type": "message", "message": "hi", "author": {"id": "a@example.com"}},
                {"type": "message", "message": "yo", "author": {"id": "C@example.com"}},
                {"type": "message", "message": "bot", "author": {"id": "x", "type": "bot"}},
                {"type": "message", "is_private": "1"},
                {"date": 1384554322},
            ],
        }
    )
    assert ticket.first_response_at == at(1384554322)
    agent, visitor, bot, anonymous, untyped = ticket.events
    assert isinstance(agent, TicketMessage)
    assert agent.author.kind is ParticipantKind.AGENT
    assert isinstance(visitor, TicketMessage)
    assert visitor.author.kind is ParticipantKind.VISITOR
    assert isinstance(bot, TicketMessage)
    assert bot.author == Participant(kind=ParticipantKind.BOT, id="x")
    assert isinstance(anonymous, TicketMessage)
    assert anonymous.author.kind is ParticipantKind.UNKNOWN
    assert anonymous.is_private is True
    assert anonymous.text == ""
    assert isinstance(untyped, TicketUnknownEvent)
    assert untyped.type == ""
    assert untyped.created_at == at(1384554322)


def test_ticket_pickles() -> None:
    ticket = ticket_from_payload(load("tickets_page.json")["tickets"][0])
    clone = pickle.loads(pickle.dumps(ticket))
    assert clone == ticket
    assert clone.raw == ticket.raw
    assert clone.events[1].raw == ticket.events[1].raw
    assert isinstance(clone, Ticket)
    assert hash(clone) == hash(ticket)


# --- errors and enums ---------------------------------------------------------------------

CONVERTERS = [
    canned_response_from_payload,
    goal_from_payload,
    greeting_from_payload,
    group_from_payload,
    webhook_from_payload,
    visitor_from_payload,
    ticket_from_payload,
]


@pytest.mark.parametrize("convert", CONVERTERS)
@pytest.mark.parametrize("payload", [{"name": "x"}, {"id": None}, {"id": " "}, {"id": [1]}])
def test_payload_without_id_is_a_format_error(convert: Any, payload: Any) -> None:
    with pytest.raises(ResponseFormatError) as info:
        convert(payload)
    assert info.value.field == "id"
    assert info.value.vendor == "livechat"


@pytest.mark.parametrize("convert", [*CONVERTERS, tag_from_payload])
@pytest.mark.parametrize("payload", [None, [], "5FUED", 3])
def test_payload_that_is_not_an_object_is_a_format_error(convert: Any, payload: Any) -> None:
    with pytest.raises(ResponseFormatError) as info:
        convert(payload)
    assert info.value.vendor == "livechat"
    assert info.value.field in {"id", "name"}


def test_malformed_values_are_format_errors() -> None:
    with pytest.raises(ResponseFormatError):
        ticket_from_payload({"id": "T", "modified": "yesterday-ish"})
    with pytest.raises(ResponseFormatError):
        tag_from_payload({"name": "t", "count": {"inChats": "many"}})


@pytest.mark.parametrize(
    "enum",
    [GoalType, AvailabilityStatus, TicketStatus, WebhookEventType, LiveChatStatus],
)
def test_open_enums_map_unknown_values(enum: Any) -> None:
    assert enum("something new") is enum.UNKNOWN
    assert enum("unknown") is enum.UNKNOWN


def test_status_fixture() -> None:
    assert LiveChatStatus(load("status.json")["status"]) is LiveChatStatus.ONLINE
    assert LiveChatStatus("offline") is LiveChatStatus.OFFLINE
    assert [s.value for s in TicketStatus] == ["open", "pending", "solved", "spam", "unknown"]
