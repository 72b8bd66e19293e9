"""Raw HTTP to a LiveChat sandbox with its credentials (the sandbox tests use no client)."""

from __future__ import annotations

import base64
from typing import Any

import aiohttp

from chatapi.sandbox import Sandbox


class Http:
    """Raw requests to a sandbox with its credentials: ``(status, JSON body)``."""

    def __init__(self, sb: Sandbox, session: aiohttp.ClientSession) -> None:
        pair = f"{sb.credentials['login']}:{sb.credentials['api_key']}".encode()
        self.headers = {
            "Authorization": "Basic " + base64.b64encode(pair).decode(),
            "X-API-Version": "2",
        }
        self.sb = sb
        self.base_url = sb.base_url
        self.session = session

    async def __call__(
        self, method: str, path: str, *, params: Any = None, json: Any = None, data: Any = None
    ) -> tuple[int, Any]:
        async with self.session.request(
            method,
            self.base_url + path,
            params=params,
            json=json,
            data=data,
            headers=self.headers,
        ) as resp:
            return resp.status, await resp.json(content_type=None)
