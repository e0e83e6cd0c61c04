"""A lean HTTP/1.1 client for department calls: keep-alive connections per origin, answers parsed
by httptools (llhttp, Node.js's parser), bodies bounded while they arrive.

Why not aiohttp: a department call is one small POST and one small answer, and at concurrency 1
the CPU a call costs is the hub's latency. aiohttp's request machinery (request and response
objects, timers, cookie jar, stream readers) measured about three times this client's CPU per
call on this workload; ``bench/`` runs the floor over both, side by side. What a department call
needs is small: POST or GET, a few headers, answers sized by Content-Length, chunked or ended by
the close, TLS, reuse of idle connections. Redirects, proxies, cookies and compression are
deliberately absent; the deadline is the caller's ``asyncio.timeout``.

Errors::

    HttpClientError             a URL or method the client does not send
      ├── HttpConnectionError   no answer at all: refused, reset, closed first, client closed
      ├── HttpProtocolError     not a whole HTTP/1.1 answer: garbage, or cut short
      └── HttpAnswerTooLarge    the answer's head or body grew past its bound

A connection interrupted for any reason (an error, a cancelled wait) is dropped, never reused;
one idle longer than ``IDLE_SECONDS`` is not trusted to be still open at the far end.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self
from urllib.parse import urlsplit

from connectors.http_connection import (
    HttpAnswer,
    HttpAnswerTooLarge,
    HttpClientError,
    HttpConnection,
    HttpConnectionError,
    HttpProtocolError,
)

__all__ = [
    "HttpAnswer",
    "HttpAnswerTooLarge",
    "HttpClient",
    "HttpClientError",
    "HttpConnectionError",
    "HttpProtocolError",
]

CONNECTIONS_PER_ORIGIN = 64
IDLE_SECONDS = 30.0
"""Below the keep-alive timeouts of common servers and the idle timeouts of NAT and firewalls,
which may drop a connection without a word."""
METHODS = frozenset({"GET", "POST"})


@dataclass(frozen=True, slots=True)
class _Origin:
    tls: bool
    host: str
    port: int


@functools.lru_cache(maxsize=4096)
def _target(url: str) -> tuple[_Origin, bytes]:
    """Where ``url`` is served and the start of a request to it (request line and Host)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise HttpClientError(f"not a URL the client can send to ({exc}): {url!r}") from exc
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host or parts.username is not None:
        raise HttpClientError(f"not an http(s) URL without credentials: {url!r}")
    tls = parts.scheme == "https"
    port = port or (443 if tls else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    name = f"[{host}]" if ":" in host else host
    start = f" {path} HTTP/1.1\r\nHost: {name}:{port}\r\nUser-Agent: tongban\r\n"
    if not start.isascii() or any(c in path for c in " \r\n"):
        raise HttpClientError(f"URL must be ASCII, percent-encoded, IDNA for the host: {url!r}")
    return _Origin(tls, host, port), start.encode("ascii")


class HttpClient:
    """Up to ``connections_per_origin`` connections to each origin; idle ones are reused."""

    def __init__(
        self,
        connections_per_origin: int = CONNECTIONS_PER_ORIGIN,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._per_origin = connections_per_origin
        self._tls = tls
        self._idle: dict[_Origin, list[HttpConnection]] = {}
        self._slots: dict[_Origin, asyncio.Semaphore] = {}
        self._open: set[HttpConnection] = set()
        self._closed = False

    async def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        max_answer_bytes: int,
    ) -> HttpAnswer:
        """The answer to one request, whatever its status; ``headers`` are the caller's own
        (Host, Content-Length and User-Agent are written here)."""
        if method not in METHODS:
            raise HttpClientError(f"the client sends {' and '.join(sorted(METHODS))}, not {method}")
        origin, start = _target(url)
        head = [method.encode("ascii"), start]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}\r\n".encode("latin-1"))
        if body is not None:
            head.append(b"Content-Length: %d\r\n" % len(body))
        head.append(b"\r\n")
        if body:
            head.append(body)
        slot = self._slots.get(origin)
        if slot is None:
            slot = self._slots[origin] = asyncio.Semaphore(self._per_origin)
        async with slot:
            connection = self._idle_connection(origin) or await self._connect(origin)
            answer = await connection.exchange(b"".join(head), max_answer_bytes)
            if connection.reusable and not self._closed:
                connection.idle_since = asyncio.get_running_loop().time()
                self._idle.setdefault(origin, []).append(connection)
            else:
                connection.close()
            return answer

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes every connection; requests after this fail with ``HttpConnectionError``."""
        self._closed = True
        for connection in list(self._open):
            connection.close()
        self._idle.clear()

    def _idle_connection(self, origin: _Origin) -> HttpConnection | None:
        idle = self._idle.get(origin)
        fresh_since = asyncio.get_running_loop().time() - IDLE_SECONDS
        while idle:
            connection = idle.pop()
            if connection.reusable and connection.idle_since > fresh_since:
                return connection
            connection.close()
        return None

    async def _connect(self, origin: _Origin) -> HttpConnection:
        if self._closed:
            raise HttpConnectionError("the client is closed")
        loop = asyncio.get_running_loop()
        tls = (self._tls or _default_tls()) if origin.tls else None
        try:
            _, connection = await loop.create_connection(
                lambda: HttpConnection(self._open),
                origin.host,
                origin.port,
                ssl=tls,
                server_hostname=origin.host if tls else None,
            )
        except OSError as exc:
            raise HttpConnectionError(f"cannot connect: {exc}") from exc
        return connection


@functools.cache
def _default_tls() -> ssl.SSLContext:
    return ssl.create_default_context()
