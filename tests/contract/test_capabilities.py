"""The README's capability table is the generated one, and declarations match behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

import chatapi
import chatapi.operations
from chatapi import BaseClient
from chatapi._capabilities import (
    END_MARKER,
    OPERATIONS,
    START_MARKER,
    capability_table,
    client_classes,
    main,
    readme_table,
    replace_table,
    supports,
)
from chatapi.endpoints import Endpoint
from chatapi.spec import Generation, VendorSpec

from .conftest import CONTRACTS, ContractServer, VendorContract

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_is_the_generated_one() -> None:
    # Regenerate with: python -m chatapi._capabilities --write README.md
    assert readme_table(README.read_text(encoding="utf-8")) == capability_table()


def test_every_builtin_client_class_has_a_row() -> None:
    names = {cls.__name__ for cls in client_classes()}
    assert names == {"LiveChat", "ReveChat", "AcquireV1", "AcquireV2"}
    table = capability_table()
    rows = sum(len(getattr(cls, "generations", ())) or 1 for cls in client_classes())
    # The normalized reads, the normalized writes, then each client's own reads and writes.
    assert len(table.splitlines()) == 3 * (2 + rows) + 2 == 3 * (2 + 5) + 2
    assert "| acquire v2 (`AcquireV2`) |" in table
    assert "| revechat current (`ReveChat`) |" in table


def test_undeclared_operations_are_dashes() -> None:
    table = capability_table()
    row = next(line for line in table.splitlines() if "`AcquireV2`" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    by_operation = dict(zip(OPERATIONS, cells, strict=True))
    # Acquire v2 has no offline messages (no such endpoint in its docs).
    assert by_operation["offline_messages"] == "—"
    assert by_operation["get_offline_message"] == "—"
    assert by_operation["agents"] == "✓ `page_size`, `status`, `where`"


def _example_client() -> type[BaseClient]:
    class Example(BaseClient):
        vendor = "example"
        default_base_url = "https://example.invalid"
        endpoints = {"agents": Endpoint(path="/agents", decode=None)}

    return Example


def test_each_spec_generation_gives_one_row() -> None:
    cls = _example_client()
    spec = VendorSpec(
        name="example",
        title="Example",
        client=cls,
        generations=[Generation(name="old", client=cls), Generation(name="new", client=cls)],
        credentials=[("token",)],
    )
    table = capability_table([spec])
    assert "| example old (`Example`) | — | — | — | — | ✓ (no filters) | — | — | — |" in table
    assert "| example new (`Example`) |" in table


def test_one_generation_rows_are_labelled_by_name() -> None:
    cls = _example_client()
    spec = VendorSpec(
        name="example",
        title="Example",
        client=cls,
        generations=[Generation(name="v1", client=cls)],
        credentials=[("token",)],
    )
    assert "| example (`Example`) |" in capability_table([spec])


def test_columns_come_from_the_operations_table() -> None:
    header = capability_table().splitlines()[0]
    for op in chatapi.operations.OPERATIONS:
        assert f"`{op.name}()`" in header and f"`{op.get}()`" in header


def test_replace_table_round_trip() -> None:
    text = f"intro\n{START_MARKER}\nold\n{END_MARKER}\noutro\n"
    replaced = replace_table(text, "| new |\n")
    assert replaced == f"intro\n{START_MARKER}\n| new |\n{END_MARKER}\noutro\n"
    assert readme_table(replaced) == "| new |\n"
    with pytest.raises(ValueError, match="capabilities"):
        readme_table("no markers here")


def test_main_prints_and_checks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == capability_table()
    stale = tmp_path / "README.md"
    stale.write_text(f"{START_MARKER}\nstale\n{END_MARKER}\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main(["--write", str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0


async def test_declarations_match_behaviour(
    contract: VendorContract, server: ContractServer
) -> None:
    # What the table claims is what a client does: a declared listing returns a Pager
    # without sending anything, an undeclared one raises UnsupportedOperationError.
    client = contract.client(server.url)
    try:
        for operation in OPERATIONS:
            method = getattr(client, operation)
            if operation.startswith("get_"):
                if not supports(type(client), operation):
                    with pytest.raises(chatapi.UnsupportedOperationError):
                        await method("1")
                continue
            if supports(type(client), operation):
                assert isinstance(method(), chatapi.Pager)
            else:
                with pytest.raises(chatapi.UnsupportedOperationError):
                    method()
        assert server.requests == []
    finally:
        await client.close()


async def test_every_table_row_is_under_contract() -> None:
    # A client class in the table without a contract would escape the suite.
    classes = set()
    for contract in CONTRACTS:
        client = contract.client("http://127.0.0.1:9")
        classes.add(type(client).__name__)
        await client.close()
    assert classes == {cls.__name__ for cls in client_classes()}
