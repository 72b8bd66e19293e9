"""The invariants every adapter keeps, whatever the vendor (see conftest.py for the contracts)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import pickle
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import pytest

import chatapi
from chatapi import BaseClient

from .conftest import (
    ERROR_CLASSES,
    ContractServer,
    Received,
    VendorContract,
    json_answer,
)

Build = Callable[..., BaseClient]

#: A value no vendor uses for an enum field.
UNKNOWN_VALUE = "zz-not-a-documented-value"
#: A field no vendor sends, with a nested value.
EXTRA_FIELDS: Mapping[str, Any] = {"zz_new_field": {"nested": [1, "two", None]}, "zz_flag": True}


def _roundtrip(value: Any) -> Any:
    # What the client decodes is what the server encoded: compare against the JSON round trip.
    return json.loads(json.dumps(value))


def _walk(value: Any) -> Iterator[Any]:
    """Every value inside an attrs record (nested records, tuples), ``raw`` left out."""
    yield value
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if field.name != "raw":
                yield from _walk(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _walk(item)


def _assert_datetimes_utc(record: Any) -> int:
    found = 0
    for value in _walk(record):
        if isinstance(value, dt.datetime):
            found += 1
            assert value.tzinfo is not None, f"naive datetime {value!r} in {record!r}"
            assert value.utcoffset() == dt.timedelta(0), f"{value!r} is not UTC"
    return found


def _assert_ids_are_strings(record: Any) -> None:
    for value in _walk(record):
        if attrs.has(type(value)) and hasattr(value, "id"):
            assert value.id is None or isinstance(value.id, str), f"{value!r} id is not a str"
    assert isinstance(record.id, str) and record.id


def _serve_listing(contract: VendorContract, server: ContractServer, count: int) -> list[Any]:
    records = [contract.list_record(i) for i in range(count)]

    def respond(request: Received) -> Any:
        number = contract.requested_page(request)
        start = (number - 1) * contract.per_page
        chunk = records[start : start + contract.per_page]
        return json_answer(contract.page_body(chunk, number, count))

    server.responder = respond
    return records


# -- listings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_pages", "extra"),
    [(0, 0), (0, 1), (2, 0), (3, 2)],
    ids=["empty", "one-record", "exact-pages", "short-last-page"],
)
async def test_every_record_of_a_multi_page_listing_once(
    contract: VendorContract,
    server: ContractServer,
    make_client: Build,
    full_pages: int,
    extra: int,
) -> None:
    count = full_pages * contract.per_page + extra
    records = _serve_listing(contract, server, count)
    client = make_client(max_concurrency=4)
    pager = getattr(client, contract.list_operation)(**contract.list_filters)
    items = [item async for item in pager]
    assert [item.id for item in items] == [contract.record_id(r) for r in records]
    assert len({item.id for item in items}) == count
    assert pager.report.received == count
    assert pager.report.duplicates_dropped == 0
    asked = [contract.requested_page(r) for r in server.requests]
    needed = -(-count // contract.per_page)
    # Every page with records was fetched, none of them twice.
    assert set(range(1, needed + 1)) <= set(asked)
    assert sorted(n for n in asked if n <= needed) == list(range(1, needed + 1))


async def test_listing_records_keep_raw_ids_and_utc(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    records = _serve_listing(contract, server, 2 * contract.per_page + 1)
    client = make_client()
    items = await getattr(client, contract.list_operation)(**contract.list_filters).collect()
    assert len(items) == len(records)
    for item, record in zip(items, records, strict=True):
        assert item.raw == _roundtrip(record)
        _assert_ids_are_strings(item)
        _assert_datetimes_utc(item)


async def test_records_survive_pickling(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    # Records cross process boundaries (multiprocessing, caches): a listed chat, its transcript
    # still deferred, and a fetched one must come back equal, raw payload included.
    _serve_listing(contract, server, 3)
    items = await getattr(make_client(), contract.list_operation)(**contract.list_filters).collect()
    server.responder = lambda _: json_answer(contract.chat_body())
    chat = await make_client().get_chat(contract.chat_id)
    for record in [*items, chat]:
        copy = pickle.loads(pickle.dumps(record))
        assert copy == record
        assert copy.raw == record.raw
        assert chatapi.to_dict(copy) == chatapi.to_dict(record)


async def test_unknown_filter_is_a_type_error_before_any_request(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    client = make_client()
    assert contract.list_operation in client.capabilities
    for operation in client.capabilities:
        with pytest.raises(TypeError, match="zz_no_such_filter"):
            getattr(client, operation)(zz_no_such_filter="x")
    assert server.requests == []


@pytest.mark.parametrize("value", ["absent", "null"])
async def test_missing_required_field_in_a_listing_names_it(
    contract: VendorContract,
    server: ContractServer,
    make_client: Build,
    value: str,
    request: pytest.FixtureRequest,
) -> None:
    records = [contract.list_record(i) for i in range(2)]
    if value == "absent":
        del records[1][contract.list_id_field]
    else:
        contract.expect_bug(request, "null-id")
        records[1][contract.list_id_field] = None

    def respond(request: Received) -> Any:
        number = contract.requested_page(request)
        return json_answer(contract.page_body(records if number == 1 else [], number, 2))

    server.responder = respond
    pager = getattr(make_client(), contract.list_operation)(**contract.list_filters)
    with pytest.raises(chatapi.ResponseFormatError) as caught:
        await pager.collect()
    assert caught.value.field == contract.list_id_field


# -- single records ---------------------------------------------------------------------------


async def test_agent_keeps_raw_and_string_id(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    record = contract.agent_record()
    server.responder = lambda _: json_answer(contract.agent_body(record))
    agent = await make_client().get_agent(str(record[contract.agent_id_field]))
    assert isinstance(agent, chatapi.Agent)
    assert agent.id == str(record[contract.agent_id_field])
    _assert_ids_are_strings(agent)
    assert agent.raw == _roundtrip(record)


async def test_chat_datetimes_are_aware_utc_and_ids_strings(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    body = contract.chat_body()
    server.responder = lambda _: json_answer(body)
    chat = await make_client().get_chat(contract.chat_id)
    assert isinstance(chat, chatapi.Chat)
    _assert_ids_are_strings(chat)
    assert _assert_datetimes_utc(chat) >= 1, "the fixture chat should carry a datetime"


async def test_unknown_extra_fields_are_tolerated(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    record = {**contract.agent_record(), **EXTRA_FIELDS}
    body = contract.chat_body()
    contract.chat_record(body).update(EXTRA_FIELDS)
    client = make_client()

    server.responder = lambda _: json_answer(contract.agent_body(record))
    agent = await client.get_agent(str(record[contract.agent_id_field]))
    assert agent.raw == _roundtrip(record)
    assert agent.raw["zz_new_field"] == EXTRA_FIELDS["zz_new_field"]

    server.responder = lambda _: json_answer(body)
    chat = await client.get_chat(contract.chat_id)
    assert chat.id


async def test_unknown_enum_values_map_to_unknown(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    record = contract.agent_record()
    for keys in contract.agent_enum_fields.values():
        for key in keys:
            record[key] = UNKNOWN_VALUE
    server.responder = lambda _: json_answer(contract.agent_body(record))
    agent = await make_client().get_agent(str(record[contract.agent_id_field]))
    assert set(contract.agent_enum_fields) == {"status", "role"}
    assert agent.status is chatapi.AgentStatus.UNKNOWN
    assert agent.role is chatapi.AgentRole.UNKNOWN


async def test_unknown_author_kind_maps_to_unknown(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    body = contract.chat_body()
    if not contract.set_author_kinds(body, UNKNOWN_VALUE):
        pytest.skip(f"the {contract.id} chat fixture has no messages")
    server.responder = lambda _: json_answer(body)
    chat = await make_client().get_chat(contract.chat_id)
    kinds = {message.author.kind for message in chat.messages}
    assert chatapi.ParticipantKind.UNKNOWN in kinds
    # Only vendor events (Acquire's "type": "event") may be told apart without the author.
    assert kinds <= {chatapi.ParticipantKind.UNKNOWN, chatapi.ParticipantKind.SYSTEM}


async def test_documented_role_is_not_unknown(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    # The counterpart of the test above: a documented value maps to a real member, so the
    # UNKNOWN above comes from the unknown value, not from a mapper that knows nothing.
    key, value, role = contract.known_role
    record = {**contract.agent_record(), key: value}
    server.responder = lambda _: json_answer(contract.agent_body(record))
    agent = await make_client().get_agent(str(record[contract.agent_id_field]))
    assert agent.role is role


@pytest.mark.parametrize("value", ["absent", "null"])
async def test_missing_required_field_is_a_typed_error_naming_it(
    contract: VendorContract,
    server: ContractServer,
    make_client: Build,
    value: str,
    request: pytest.FixtureRequest,
) -> None:
    record = contract.agent_record()
    if value == "absent":
        del record[contract.agent_id_field]
    else:
        # A null id is no id: it must fail like an absent one, not become "None".
        contract.expect_bug(request, "null-id")
        record[contract.agent_id_field] = None
    server.responder = lambda _: json_answer(contract.agent_body(record))
    with pytest.raises(chatapi.ResponseFormatError) as caught:
        await make_client().get_agent("1")
    assert caught.value.field == contract.agent_id_field
    assert caught.value.vendor == make_client().vendor


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(ERROR_CLASSES))
async def test_error_status_maps_to_the_same_class(
    contract: VendorContract, server: ContractServer, make_client: Build, status: int
) -> None:
    body, content_type = contract.error_answer(status)
    headers = {"Content-Type": content_type}
    if status == 429:
        headers["Retry-After"] = "7"
    server.responder = lambda _: (status, body, headers)
    client = make_client()
    with pytest.raises(chatapi.APIStatusError) as caught:
        await client.get_agent("1")
    error = caught.value
    assert type(error) is ERROR_CLASSES[status]
    assert error.status == status
    assert error.vendor == client.vendor
    assert error.vendor_code == contract.vendor_code(status)
    assert error.message
    if status == 429:
        assert error.retry_after == 7.0
        assert error.retryable


@pytest.mark.parametrize("status", [401, 403, 404, 429])
async def test_failure_inside_a_200_maps_like_its_status(
    contract: VendorContract, server: ContractServer, make_client: Build, status: int
) -> None:
    body = contract.envelope_error(status)
    if body is None:
        pytest.skip(f"{contract.id} reports failures with HTTP statuses only")
    server.responder = lambda _: json_answer(body)
    with pytest.raises(chatapi.APIStatusError) as caught:
        await make_client().get_agent("1")
    assert type(caught.value) is ERROR_CLASSES[status]
    assert caught.value.status == 200


async def test_an_error_mid_listing_raises_instead_of_truncating(
    contract: VendorContract, server: ContractServer, make_client: Build
) -> None:
    records = [contract.list_record(i) for i in range(3 * contract.per_page)]
    body, content_type = contract.error_answer(403)

    def respond(request: Received) -> Any:
        number = contract.requested_page(request)
        if number >= 2:
            return 403, body, {"Content-Type": content_type}
        chunk = records[: contract.per_page]
        return json_answer(contract.page_body(chunk, number, len(records)))

    server.responder = respond
    pager = getattr(make_client(), contract.list_operation)(**contract.list_filters)
    seen = []
    with pytest.raises(chatapi.PermissionDeniedError):
        async for item in pager:
            seen.append(item)
    assert len(seen) <= contract.per_page


async def test_credentials_absent_from_repr_errors_and_logs(
    contract: VendorContract,
    server: ContractServer,
    make_client: Build,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    body, content_type = contract.error_answer(401)
    server.responder = lambda _: (401, body, {"Content-Type": content_type})
    client = make_client()
    with pytest.raises(chatapi.AuthenticationError) as caught:
        await client.get_agent("1")
    # The stand-in did receive the credential: the test is about what chatapi shows.
    sent = server.requests[0].headers.get("Authorization", "")
    assert any(secret in sent for secret in contract.secrets)
    error = caught.value
    shown = [repr(client), str(client), str(error), repr(error), repr(vars(error)), caplog.text]
    for secret in contract.secrets:
        for text in shown:
            assert secret not in text
