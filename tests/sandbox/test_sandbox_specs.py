"""The sandbox command, table and fixtures read the vendor specs (no vendor list of their own)."""

from __future__ import annotations

import pytest

import chatapi.testing
from chatapi._registry import vendor_specs
from chatapi.cli import build_parser, main
from chatapi.sandbox import VENDORS, default_vendor, generations, sandbox_vendors
from chatapi.testing import SandboxFactory, sandbox_fixture_name
from chatapi.vendors import BUILTIN


def _with_sandbox() -> list[str]:
    return sorted(spec.name for spec in vendor_specs() if spec.sandbox is not None)


def test_vendors_view_reads_the_specs() -> None:
    assert sorted(VENDORS) == sandbox_vendors() == _with_sandbox()
    for spec in vendor_specs():
        if spec.sandbox is not None:
            assert VENDORS[spec.name] == spec.sandbox
            assert generations(spec.name) == spec.load_sandbox().generations


def test_default_vendor_is_the_first_builtin_with_a_sandbox() -> None:
    first = next(name for name in BUILTIN if name in VENDORS)
    assert default_vendor() == first


def test_unknown_vendor_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no sandbox"):
        generations("nosuchvendor")


def test_sandbox_command_offers_every_sandbox_vendor(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["sandbox", "--help"])
    text = capsys.readouterr().out
    for spec in vendor_specs():
        if spec.sandbox is not None:
            assert spec.name in text
            for generation in spec.generations:
                assert generation.name in text
    args = build_parser().parse_args(["sandbox", _with_sandbox()[0], "--port", "0"])
    assert args.vendor == _with_sandbox()[0]


def test_a_fixture_per_sandbox_vendor() -> None:
    for name in _with_sandbox():
        fixture = sandbox_fixture_name(name)
        assert fixture == f"chatapi_{name}_sandbox"
        assert hasattr(chatapi.testing, fixture) and fixture in chatapi.testing.__all__


async def test_factory_default_vendor(chatapi_sandbox: SandboxFactory) -> None:
    sb = await chatapi_sandbox(chats=5)
    assert sb.vendor == default_vendor()
