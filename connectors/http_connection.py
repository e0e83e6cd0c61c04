"""One HTTP/1.1 connection of ``connectors.http_client``: a request out, its answer parsed in.

One exchange at a time (no pipelining). httptools calls back as bytes arrive; what the callbacks
gather becomes the answer when the message completes, or when the connection closes on an answer
that has neither a length nor chunks (HTTP/1.1 allows a body ended by the close).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, MutableSet
from dataclasses import dataclass
from typing import cast

import httptools


class HttpClientError(Exception):
    """Base of the client's errors; the message says what went wrong, for an operator."""


class HttpConnectionError(HttpClientError):
    pass


class HttpProtocolError(HttpClientError):
    pass


class HttpAnswerTooLarge(HttpClientError):
    pass


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    body: bytes
    headers: Mapping[str, str]
    """Names lower-cased; a repeated header's values joined with ", " (RFC 9110 §5.3)."""


class HttpConnection(asyncio.Protocol):
    def __init__(self, registry: MutableSet[HttpConnection]) -> None:
        self._registry = registry
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._answer: asyncio.Future[HttpAnswer] | None = None
        self._limit = 0
        self._headers: dict[str, str] = {}
        self._chunks: list[bytes] = []
        self._size = 0
        self._head_read = 0
        self._headers_complete = False
        self.reusable = False
        """Open, idle and willing to carry another exchange."""

    async def exchange(self, request: bytes, max_answer_bytes: int) -> HttpAnswer:
        """Sends ``request`` (head and body) and waits for its whole answer."""
        if self._transport is None or self._transport.is_closing():
            raise HttpConnectionError("the connection closed")
        self.reusable = False
        self._answer = asyncio.get_running_loop().create_future()
        self._limit = max_answer_bytes
        self._head_read = 0
        self._transport.write(request)
        try:
            return await self._answer
        except BaseException:  # an error or a cancelled wait: the stream's state is unknown
            self.close()
            raise

    def close(self) -> None:
        self.reusable = False
        if self._transport is not None:
            self._transport.close()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A TCP transport: asyncio's own, or uvloop's, which is not an asyncio.Transport subclass.
        self._transport = cast(asyncio.Transport, transport)
        self._registry.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        self._registry.discard(self)
        if self._answer is None or self._answer.done():
            return
        if self._headers_complete and self._ends_with_close():
            self._complete(keep_alive=False)
        else:
            reason = f": {exc}" if exc else ""
            self._fail(HttpConnectionError(f"connection closed before the answer ended{reason}"))

    def data_received(self, data: bytes) -> None:
        if self._answer is None or self._answer.done():
            self.close()  # bytes nobody asked for: the stream cannot be trusted any more
            return
        if not self._headers_complete:  # httptools holds a header whole before calling back
            self._head_read += len(data)
            if self._head_read > self._limit:
                self._fail(HttpAnswerTooLarge(f"the answer's head is over {self._limit:,} bytes"))
                return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            ours = exc.__context__
            self._fail(ours if isinstance(ours, HttpClientError) else HttpProtocolError(str(exc)))
        except httptools.HttpParserError as exc:
            self._fail(HttpProtocolError(f"not an HTTP/1.1 answer: {exc}"))

    # httptools callbacks

    def on_message_begin(self) -> None:
        self._headers = {}
        self._chunks = []
        self._size = 0
        self._headers_complete = False

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        known = self._headers.get(key)
        self._headers[key] = text if known is None else f"{known}, {text}"

    def on_headers_complete(self) -> None:
        self._headers_complete = True
        length = self._headers.get("content-length", "")
        if length.isdigit() and int(length) > self._limit:
            raise HttpAnswerTooLarge(f"the answer declares {int(length):,} bytes")

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > self._limit:
            raise HttpAnswerTooLarge(f"the answer is over {self._limit:,} bytes")
        self._chunks.append(body)

    def on_message_complete(self) -> None:
        if self._parser.get_status_code() >= 200:  # 1xx: an interim answer, the real one follows
            self._complete(keep_alive=self._parser.should_keep_alive())

    def _ends_with_close(self) -> bool:
        chunked = "chunked" in self._headers.get("transfer-encoding", "").lower()
        return "content-length" not in self._headers and not chunked

    def _complete(self, keep_alive: bool) -> None:
        assert self._answer is not None
        status = self._parser.get_status_code()
        self._answer.set_result(HttpAnswer(status, b"".join(self._chunks), self._headers))
        still_open = self._transport is not None and not self._transport.is_closing()
        self.reusable = keep_alive and still_open

    def _fail(self, error: HttpClientError) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(error)
        self.close()
