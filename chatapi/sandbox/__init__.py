"""Faithful fake vendor servers (aiohttp on 127.0.0.1) with deterministic data and fault
injection: what chatapi's tests, benchmarks and ``chatapi demo`` run against.

>>> from chatapi.sandbox import Faults, serve
>>> async with serve("livechat", chats=500, faults=Faults(error_503=0.1), seed=1) as sb:
...     async with sb.client() as client:
...         chats = await client.chats().collect()
...     assert len(chats) == sb.dataset.chat_count

Every installed vendor whose spec names a sandbox (``VendorSpec.sandbox``) can be served,
a third-party one too: :func:`sandbox_vendors` lists them, :func:`generations` the API
generations each serves. From a shell: ``chatapi sandbox livechat --port 8765`` or
``python -m chatapi.sandbox livechat``; in another process from Python:
:func:`run_in_subprocess`.

Live mode (:class:`Live`): ``serve(..., live=Live(interval=1.0, chats=10))`` makes new chats
arrive while the server runs and POSTs the vendor's webhooks for them (LiveChat's registered
webhooks, Acquire's configured URL), recording every attempt in ``Sandbox.deliveries``.
"""

from ._app import Stats, VendorApp
from ._live import Delivery, Live
from .data import DataConfig, Dataset
from .faults import Faults
from .server import (
    VENDORS,
    Sandbox,
    SubprocessSandbox,
    default_vendor,
    generations,
    make_app,
    run_in_subprocess,
    sandbox_vendors,
    serve,
)

__all__ = [
    "VENDORS",
    "DataConfig",
    "Dataset",
    "Delivery",
    "Faults",
    "Live",
    "Sandbox",
    "Stats",
    "SubprocessSandbox",
    "VendorApp",
    "default_vendor",
    "generations",
    "make_app",
    "run_in_subprocess",
    "sandbox_vendors",
    "serve",
]
