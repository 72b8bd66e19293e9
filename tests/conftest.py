"""Suite-wide test setup."""

from __future__ import annotations

import inspect
from typing import Any
from unittest.mock import Mock

import aioresponses.core
from aiohttp import ClientResponse

# aioresponses 0.7.9 (the latest release) builds ClientResponse without the `stream_writer`
# argument aiohttp 3.14 made required (pnuckowski/aioresponses#289, still open). Until a
# release fixes it, give its responses a stand-in writer; real servers are unaffected.
if "stream_writer" in inspect.signature(ClientResponse.__init__).parameters:

    class _CompatResponse(ClientResponse):
        def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
            kwargs.setdefault("stream_writer", Mock(output_size=0))
            super().__init__(method, url, **kwargs)

    _original_build = aioresponses.core.RequestMatch._build_response

    def _build_response(self: Any, *args: Any, **kwargs: Any) -> ClientResponse:
        if kwargs.get("response_class") is None:
            kwargs["response_class"] = _CompatResponse
        return _original_build(self, *args, **kwargs)

    aioresponses.core.RequestMatch._build_response = _build_response  # type: ignore[method-assign]
