"""Acquire v1 writes: request shapes (aioresponses), confirmation answers, no repeats after a
reset, the normalized writes, and the generated password kept out of everything.

Bodies and answers follow https://developer.acquire.io/rest-apis/agent/agent-add,
.../agent/update, .../profiles-api/profile-add-update and .../profiles-api/profile-delete.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses

import chatapi
from chatapi.models import AgentRole, NewAgent, NewVisitor

BASE = "https://app.acquire.io/api"


def ok(sentence: str) -> dict[str, Any]:
    return {"success": True, "error": None, "data": sentence}


def sent(mocked: aioresponses) -> list[tuple[str, str, Any]]:
    """(method, url, kwargs) of every request aioresponses saw, in order."""
    return [
        (method, str(url), call.kwargs)
        for (method, url), calls in mocked.requests.items()
        for call in calls
    ]


# -- request shapes ------------------------------------------------------------------------


async def test_create_agent_posts_the_documented_form() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(f"{BASE}/account/agents/add", payload=ok("Agent save successfully."))
            result = await client.create_agent(
                "david", "devidklok@acquire.io", "1234567", role=1, status="active"
            )
            [(method, url, kwargs)] = sent(mocked)
    assert result is None
    assert (method, url) == ("POST", f"{BASE}/account/agents/add")
    assert list(kwargs["data"]) == [
        ("role", "1"),
        ("name", "david"),
        ("email", "devidklok@acquire.io"),
        ("password", "1234567"),
        ("status", "active"),
    ]
    assert kwargs["json"] is None


async def test_update_agent_posts_the_id_and_the_changed_fields() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(f"{BASE}/account/agents/update", payload=ok("Agent updated successfully"))
            assert await client.update_agent("5128", name="david Klok", status="disable") is None
            [(method, url, kwargs)] = sent(mocked)
    assert (method, url) == ("POST", f"{BASE}/account/agents/update")
    assert list(kwargs["data"]) == [("id", "5128"), ("name", "david Klok"), ("status", "disable")]


async def test_add_or_update_profile_posts_a_bracket_form() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(
                f"{BASE}/profile/lead/add-update", payload=ok("New Record Successfully Added")
            )
            await client.add_or_update_profile(
                name="NewCusomer",
                email="email@email.com",
                phone="9876543210",
                remarks="No remarsk",
                tags=[73, 74],
                address="San Francisco, California, United States",
                chat_id="1002",
                visitor_id="186",
                extra_field={"text-1526537305797": "Acquire", "select-1526537321619": "option-2"},
            )
            [(method, url, kwargs)] = sent(mocked)
    assert (method, url) == ("POST", f"{BASE}/profile/lead/add-update")
    assert list(kwargs["data"]) == [
        ("name", "NewCusomer"),
        ("email", "email@email.com"),
        ("phone", "9876543210"),
        ("remarks", "No remarsk"),
        ("tags", "73,74"),
        ("address", "San Francisco, California, United States"),
        ("chat_id", "1002"),
        ("visitor_id", "186"),
        ("extra_field[text-1526537305797]", "Acquire"),
        ("extra_field[select-1526537321619]", "option-2"),
    ]


async def test_delete_profiles_posts_a_json_id_list() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(
                f"{BASE}/profile/lead/delete",
                payload=ok("Selected profile(s) successfully deleted!"),
            )
            await client.delete_profiles(["3112", 3113])
            [(method, url, kwargs)] = sent(mocked)
    assert (method, url) == ("POST", f"{BASE}/profile/lead/delete")
    assert kwargs["json"] == {"id": [3112, 3113]}
    assert kwargs["data"] is None


# -- checks before any request ---------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.update_agent("1", email="new@x.io"),  # the e-mail cannot change
        lambda c: c.update_agent("1", nickname="x"),
        lambda c: c.add_or_update_profile(company="Acme"),
        lambda c: c.create_agent("n", "e@x.io", "pw", colour="red"),
        lambda c: c.create_agent(NewAgent(email="e@x.io", name="E"), "extra"),
    ],
)
async def test_an_unknown_keyword_is_a_type_error_before_any_request(call: Any) -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            with pytest.raises(TypeError):
                await call(client)
            assert sent(mocked) == []


async def test_bad_values_are_value_errors_before_any_request() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            with pytest.raises(ValueError):
                await client.delete_profiles([])
            with pytest.raises(ValueError):
                await client.delete_profiles(["abc"])
            with pytest.raises(ValueError):
                await client.create_visitor(NewVisitor())
            assert sent(mocked) == []


# -- answers ---------------------------------------------------------------------------------


async def test_an_answer_that_is_not_a_confirmation_raises() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(f"{BASE}/account/agents/update", payload=ok("maybe"))
            with pytest.raises(chatapi.ResponseFormatError):
                await client.update_agent("1", name="x")
            mocked.post(
                f"{BASE}/account/agents/update",
                payload={"success": True, "error": None, "data": {"id": 1}},
            )
            with pytest.raises(chatapi.ResponseFormatError):
                await client.update_agent("1", name="x")


async def test_a_failure_envelope_raises_the_mapped_error() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(
                f"{BASE}/account/agents/add",
                payload={"success": False, "error": "Email already exists", "data": None},
            )
            with pytest.raises(chatapi.ConflictError):
                await client.create_agent("n", "e@x.io", "pw")


async def test_a_write_reset_after_sending_is_sent_once() -> None:
    received: list[Any] = []

    async def reset(request: web.Request) -> web.StreamResponse:
        received.append(await request.post())
        assert request.transport is not None
        request.transport.abort()
        await asyncio.sleep(0.05)
        return web.Response()

    app = web.Application()
    app.router.add_post("/api/account/agents/add", reset)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/api"
        policy = chatapi.RetryPolicy.no_wait()
        async with chatapi.Acquire(token="TKN", base_url=url, retry_policy=policy) as client:
            with pytest.raises(chatapi.APIConnectionError) as caught:
                await client.create_agent("n", "e@x.io", "pw")
            assert client.stats.requests == 1
    finally:
        await runner.cleanup()
    assert caught.value.sent is True
    assert len(received) == 1


# -- normalized writes -----------------------------------------------------------------------

AGENT_ROW = {
    "id": 5128,
    "user_id": 15000,
    "user_name": "Eve Stone",
    "user_email": "Eve@Example.com",
    "role": 1,
    "role_name": "Administrator",
    "user_status": "active",
    "secret_key": "sk_vendor",
}


def agents_page(*rows: Any) -> dict[str, Any]:
    return ok_data({"rows": list(rows), "count": len(rows), "page": 1, "limit": 25})


def ok_data(data: Any) -> dict[str, Any]:
    return {"success": True, "error": None, "data": data}


async def test_normalized_create_agent_sends_a_random_password_and_hides_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    new = NewAgent(email="eve@example.com", name="Eve Stone", role=AgentRole.OWNER)
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(f"{BASE}/account/agents/add", payload=ok("Agent save successfully."))
            mocked.post(f"{BASE}/account/agents", payload=agents_page(AGENT_ROW))
            agent = await client.create_agent(new)
            calls = sent(mocked)
    form = dict(calls[0][2]["data"])
    password = form.pop("password")
    assert form == {
        "role": "1",
        "name": "Eve Stone",
        "email": "eve@example.com",
        "status": "active",
    }
    assert len(password) >= 32
    assert agent.id == "5128" and agent.email == "Eve@Example.com"
    for text in (repr(agent), str(agent.raw), repr(new), caplog.text):
        assert password not in text


async def test_normalized_create_agent_scrubs_an_echoed_password_from_errors() -> None:
    echoed: list[str] = []

    def echo(url: Any, **kwargs: Any) -> Any:
        from aioresponses import CallbackResult

        password = dict(kwargs["data"])["password"]
        echoed.append(password)
        body = {"success": False, "error": f"Password {password} is too weak", "data": None}
        return CallbackResult(status=200, payload=body)

    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(f"{BASE}/account/agents/add", callback=echo)
            with pytest.raises(chatapi.ChatAPIError) as caught:
                await client.create_agent(NewAgent(email="e@x.io", name="E"))
    [password] = echoed
    error = caught.value
    assert password not in str(error) and password not in repr(error.args)
    assert password not in (getattr(error, "body", "") or "")


async def test_find_agent_matches_the_email_case_insensitively() -> None:
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(f"{BASE}/account/agents", payload=agents_page(AGENT_ROW), repeat=True)
            found = await client.find_agent(NewAgent(email=" eve@EXAMPLE.com", name="x"))
            missing = await client.find_agent(NewAgent(email="bob@example.com", name="x"))
    assert found is not None and found.id == "5128"
    assert missing is None


PROFILE = {"id": 3393, "visitor_id": 186, "name": "Ann", "email": "ann@x.io"}


async def test_normalized_create_visitor_adds_then_finds_the_profile() -> None:
    new = NewVisitor(name="Ann", email="ANN@x.io", phone="123", fields={"plan": "gold"})
    listing = ok_data({"total": 1, "data": [PROFILE]})
    async with chatapi.Acquire(token="TKN") as client:
        with aioresponses() as mocked:
            mocked.post(
                f"{BASE}/profile/lead/add-update", payload=ok("New Record Successfully Added")
            )
            mocked.post(f"{BASE}/profile/lead/list", payload=listing, repeat=True)
            profile = await client.create_visitor(new)
            calls = sent(mocked)
            again = await client.find_visitor(new)
            nobody = await client.find_visitor(NewVisitor(email="zed@x.io"))
    assert list(calls[0][2]["data"]) == [
        ("name", "Ann"),
        ("email", "ANN@x.io"),
        ("phone", "123"),
        ("extra_field[plan]", "gold"),
    ]
    assert (profile.id, profile.profile_id) == ("186", "3393")
    assert profile.visitor.email == "ann@x.io"
    assert again == profile
    assert nobody is None
