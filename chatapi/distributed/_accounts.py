"""Account references → credentials, resolved where a shard runs (never in the task graph).

``CHATAPI_ACCOUNTS_FILE`` names a TOML (or JSON) file with one table per account: its
``vendor`` and the same keys as ``chatapi export --credentials``::

    [acme-livechat]
    vendor = "livechat"
    login = "ops@acme.example"
    api_key = "..."
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._core.tomlfile import load_toml
from .._registry import vendor_spec
from ..errors import ConfigurationError

__all__ = ["ACCOUNTS_FILE_VARIABLE", "account_vendor", "load_account", "read_accounts"]

ACCOUNTS_FILE_VARIABLE = "CHATAPI_ACCOUNTS_FILE"


def read_accounts(path: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every account of the accounts file (``path``, else ``$CHATAPI_ACCOUNTS_FILE``).

    Raises:
        ConfigurationError: No file, an unreadable one, or an account without a vendor.
    """
    where = path if path is not None else os.environ.get(ACCOUNTS_FILE_VARIABLE)
    if not where:
        raise ConfigurationError(f"no accounts file: set {ACCOUNTS_FILE_VARIABLE}")
    file = Path(where)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read accounts file {file}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if file.suffix == ".json" else load_toml(text)
    except ValueError as exc:
        raise ConfigurationError(f"accounts file {file} is not valid {file.suffix}") from exc
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"accounts file {file} must hold one table per account")
    accounts: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        if not isinstance(table, Mapping) or not isinstance(table.get("vendor"), str):
            raise ConfigurationError(f"account {name!r} in {file} needs a vendor")
        accounts[str(name)] = dict(table)
    return accounts


def account_vendor(name: str, accounts: Mapping[str, Mapping[str, Any]]) -> str:
    """The vendor of account ``name`` (no credential is read into the result)."""
    table = accounts.get(name)
    if table is None:
        raise ConfigurationError(f"no account {name!r} in the accounts file")
    return vendor_spec(str(table["vendor"])).name


def load_account(name: str) -> tuple[str, dict[str, Any]]:
    """The vendor and client keywords of account ``name``, from this process's accounts file.

    Raises:
        ConfigurationError: No such account, or keys its vendor does not take.
    """
    accounts = read_accounts()
    vendor = account_vendor(name, accounts)
    spec = vendor_spec(vendor)
    settings = {k: v for k, v in accounts[name].items() if k != "vendor"}
    allowed = {key for alternative in spec.credentials for key in alternative}
    allowed |= set(spec.settings) | {"base_url"}
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise ConfigurationError(
            f"account {name!r}: unknown setting(s) {', '.join(unknown)} for {vendor}"
        )
    return vendor, settings
