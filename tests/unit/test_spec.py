"""Vendor specs: one declaration per vendor, found through the entry points."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pytest

import chatapi
from chatapi import _registry
from chatapi.spec import Generation, VendorSpec, load_object


def _spec(**overrides: Any) -> VendorSpec:
    fields: dict[str, Any] = {
        "name": "mycorp",
        "title": "MyCorp",
        "client": chatapi.LiveChat,
        "generations": [Generation(name="v1", client=chatapi.LiveChat)],
        "credentials": [("login", "api_key"), ("access_token",)],
        "settings": ["region"],
    }
    fields.update(overrides)
    return VendorSpec(**fields)


def test_environment_variables_and_file_keys_follow_from_the_keywords() -> None:
    spec = _spec()
    assert spec.credential_variables() == (
        {"login": "CHATAPI_MYCORP_LOGIN", "api_key": "CHATAPI_MYCORP_API_KEY"},
        {"access_token": "CHATAPI_MYCORP_ACCESS_TOKEN"},
    )
    assert spec.keywords == {"login", "api_key", "access_token", "region", "base_url"}
    environ = {
        "CHATAPI_MYCORP_LOGIN": "me",
        "CHATAPI_MYCORP_ACCESS_TOKEN": "tok",
        "CHATAPI_MYCORP_REGION": "fra",
    }
    # The first *complete* alternative wins; settings come along.
    assert spec.options_from_environment(environ) == {"access_token": "tok", "region": "fra"}
    assert spec.options_from_environment({"CHATAPI_MYCORP_LOGIN": "me"}) is None


def test_generations_and_names_are_checked() -> None:
    spec = _spec()
    assert spec.generation(None).name == "v1"
    with pytest.raises(ValueError, match="no generation 'v9'"):
        spec.generation("v9")
    with pytest.raises(ValueError, match="lower-case"):
        _spec(name="My Corp")
    with pytest.raises(ValueError, match="at least one generation"):
        _spec(generations=[])


def test_built_in_specs_are_what_connect_builds() -> None:
    for name in ("livechat", "revechat", "acquire"):
        spec = _registry.vendor_spec(name)
        assert spec.name == name
        assert _registry.vendor_class(name) is spec.client
        assert spec.load_sandbox() is not None
    assert {"livechat", "revechat", "acquire"} <= set(chatapi.vendor_names())


def test_unknown_vendor_is_a_configuration_error() -> None:
    with pytest.raises(chatapi.ConfigurationError, match="unknown vendor 'nope'"):
        chatapi.connect("nope")


def test_an_entry_point_naming_a_client_class_still_works_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    point = EntryPoint("oldstyle", "chatapi.vendors.livechat:LiveChat", "chatapi.vendors")
    monkeypatch.setattr(_registry, "entry_points", lambda group: [point])
    monkeypatch.setattr(_registry, "_loaded", {})
    with pytest.warns(DeprecationWarning, match="names a client class"):
        spec = _registry.vendor_spec("oldstyle")
    assert spec.client is chatapi.LiveChat


def test_an_entry_point_naming_something_else_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    point = EntryPoint("broken", "chatapi.spec:load_object", "chatapi.vendors")
    monkeypatch.setattr(_registry, "entry_points", lambda group: [point])
    monkeypatch.setattr(_registry, "_loaded", {})
    with pytest.raises(chatapi.ConfigurationError, match="not a VendorSpec"):
        _registry.vendor_spec("broken")
    assert load_object("chatapi.spec:VendorSpec") is VendorSpec
    with pytest.raises(ValueError, match="module:attribute"):
        load_object("chatapi.spec")
