"""The only module that imports aiohttp.

It owns (or borrows) the ``ClientSession``, sends one attempt of one request, reads the body
under a size cap and maps every aiohttp/OS failure to a chatapi error. It knows nothing about
vendors, retries or pagination.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import attrs
import yarl

from .errors import APIConnectionError, APITimeoutError, RequestInfo, ResponseFormatError

__all__ = ["DEFAULT_BODY_CAP", "ERROR_BODY_CAP", "RawResponse", "Transport"]

#: Largest decompressed success body we read (a gzip bomb stops here).
DEFAULT_BODY_CAP = 32 * 1024 * 1024
#: Error bodies are only read for their message.
ERROR_BODY_CAP = 64 * 1024


@attrs.frozen
class RawResponse:
    """One HTTP answer: status, lower-cased headers and the (capped) body bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    reason: str = ""


class Transport:
    """Sends requests on an aiohttp session that it either owns or borrows.

    Args:
        session: A caller-owned session; never closed here. None to create (and own) one
            lazily, inside the running event loop.
        timeout: Total seconds per attempt.
        connect_timeout: Seconds to connect.
        read_timeout: Seconds between reads of the socket.
        body_cap: Largest decompressed body accepted.
        vendor: Vendor name, for errors.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None,
        timeout: float,
        connect_timeout: float = 15.0,
        read_timeout: float = 30.0,
        body_cap: int = DEFAULT_BODY_CAP,
        vendor: str | None = None,
        pool_size: int = 100,
    ) -> None:
        self._session = session
        self._owns_session = session is None
        self._timeout = aiohttp.ClientTimeout(
            total=timeout,
            connect=min(connect_timeout, timeout),
            sock_read=min(read_timeout, timeout),
        )
        self._body_cap = body_cap
        self._vendor = vendor
        self._pool_size = pool_size
        self._closes = 0

    @property
    def epoch(self) -> int:
        """How many times an owned session was closed: a request started in one epoch must not
        reopen a session in the next (nobody would close it)."""
        return self._closes

    @property
    def closed(self) -> bool:
        """Whether an owned session was closed (a borrowed one is never ours to close)."""
        return self._session is not None and self._session.closed

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            # No cookie jar: API calls are stateless, and a jar would carry state between
            # unrelated requests.
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar()
            )
        return self._session

    async def close(self) -> None:
        """Close the session if this transport created it."""
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()
        if self._owns_session:
            self._session = None
            self._closes += 1

    async def send(
        self,
        method: str,
        url: str,
        *,
        info: RequestInfo,
        headers: Mapping[str, str],
        params: Sequence[tuple[str, str]] | None = None,
        data: Mapping[str, Any] | Sequence[tuple[str, str]] | None = None,
        json_body: Any = None,
        epoch: int | None = None,
    ) -> RawResponse:
        """Send one attempt and read its body.

        Args:
            epoch: The :attr:`epoch` the request started in; if the transport was closed
                since, the attempt is refused instead of opening a session nobody closes.

        Raises:
            APITimeoutError: The attempt exceeded its timeout.
            APIConnectionError: No complete answer (``sent=False`` when it never left);
                not retryable when the client was closed while the request was under way.
            ResponseFormatError: The body is larger than the cap.
        """
        if epoch is not None and epoch != self._closes:
            closed = APIConnectionError(
                f"the client was closed while this request was under way ({info})",
                vendor=self._vendor,
                request=info,
                sent=False,
            )
            closed.retryable = False
            raise closed
        session = self._get_session()
        try:
            async with session.request(
                method,
                _exact_url(url),
                params=params,
                data=data,
                json=json_body,
                headers=dict(headers),
                allow_redirects=False,
                timeout=self._timeout,
            ) as resp:
                cap = self._body_cap if resp.status < 400 else ERROR_BODY_CAP
                body = await self._read_capped(resp, cap, info, truncate=resp.status >= 400)
                return RawResponse(
                    status=resp.status,
                    headers={k.lower(): v for k, v in resp.headers.items()},
                    body=body,
                    reason=resp.reason or "",
                )
        except asyncio.TimeoutError as exc:
            raise APITimeoutError(
                f"request timed out after {self._timeout.total} s ({info})",
                vendor=self._vendor,
                request=info,
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectionError(
                f"cannot connect ({info}): {exc.os_error or type(exc).__name__}",
                vendor=self._vendor,
                request=info,
                sent=False,
            ) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise APIConnectionError(
                f"connection failed ({info}): {type(exc).__name__}",
                vendor=self._vendor,
                request=info,
            ) from exc

    async def _read_capped(
        self, resp: aiohttp.ClientResponse, cap: int, info: RequestInfo, *, truncate: bool
    ) -> bytes:
        length = resp.content_length
        if length is not None and length > cap and not truncate:
            raise ResponseFormatError(
                f"response body of {length} bytes exceeds the {cap}-byte cap ({info})",
                vendor=self._vendor,
                request=info,
            )
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > cap:
                if truncate:
                    chunks.append(chunk[: cap - (size - len(chunk))])
                    break
                raise ResponseFormatError(
                    f"response body exceeds the {cap}-byte cap ({info})",
                    vendor=self._vendor,
                    request=info,
                )
            chunks.append(chunk)
        return b"".join(chunks)


def _exact_url(url: str) -> yarl.URL:
    """``url`` as yarl normalizes it, except that a quoted ``;`` stays quoted.

    Callers quote ids with ``path_segment``; yarl decodes the sub-delimiters it considers
    safe in a path (``%3D`` -> ``=``, ``%40`` -> ``@``, ``%3B`` -> ``;``). All are harmless
    but ``;``: many servers (Java stacks, Spring) read it as the start of path parameters
    and drop the rest of the segment, so the id ``a;b`` would address ``a``.
    """
    parsed = yarl.URL(url)
    path = urlsplit(url).path
    if parsed.raw_path.count(";") != path.count(";"):
        return parsed.with_path(path, encoded=True)
    return parsed
