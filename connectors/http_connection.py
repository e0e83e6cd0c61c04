"""One HTTP/1.1 connection of ``connectors.http_client``: a request out, its answer parsed in.

One exchange at a time (no pipelining). httptools calls back as bytes arrive; what the callbacks
gather becomes the answer when the message completes, or when the connection closes cleanly on
an answer that has neither a length nor chunks (HTTP/1.1 allows a body ended by the close). A
connection goes back to the pool only when its answer ended cleanly, nothing else arrived with
it and the request was sent whole; anything else closes it at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, MutableSet
from dataclasses import dataclass
from typing import cast

import httptools

MAX_HEAD_BYTES = 64 * 1024
"""Status line and headers: far above any department's, far below trouble."""
MAX_HEADER_FIELDS = 100
"""Headers and trailers together."""


class HttpClientError(Exception):
    """Base of the client's errors; the message says what went wrong, for an operator."""


class HttpConnectionError(HttpClientError):
    """No answer at all: the connection could not be made, or closed before a byte came back.
    Safe to send again."""


class HttpProtocolError(HttpClientError):
    """What came back is not a whole HTTP/1.1 answer: garbage, or an answer cut short."""


class HttpAnswerTooLarge(HttpClientError):
    """The answer's head or body grew past its bound."""


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    body: bytes
    headers: Mapping[str, str]
    """Names lower-cased; a repeated header's values joined with ", " (RFC 9110 §5.3)."""


class HttpConnection(asyncio.Protocol):
    """The protocol object of one pooled connection; ``registry`` holds it while it is open."""

    def __init__(self, registry: MutableSet[HttpConnection]) -> None:
        self._registry = registry
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._answer: asyncio.Future[HttpAnswer] | None = None
        self._limit = 0
        self._error: HttpClientError | None = None
        self._headers: dict[str, str] = {}
        self._header_fields = 0
        self._chunks: list[bytes] = []
        self._size = 0
        self._head_read = 0
        self._headers_complete = False
        self._received = False
        self._reusable = False
        self.idle_since = 0.0
        """When it last went back to the pool (the loop's clock)."""

    @property
    def reusable(self) -> bool:
        """Open, idle and willing to carry another exchange."""
        return self._reusable and self._transport is not None and not self._transport.is_closing()

    async def exchange(self, request: bytes, max_answer_bytes: int) -> HttpAnswer:
        """Sends ``request`` (head and body) and waits for its whole answer."""
        if self._transport is None or self._transport.is_closing():
            raise HttpConnectionError("the connection closed")
        self._reusable = False
        self._answer = asyncio.get_running_loop().create_future()
        self._limit = max_answer_bytes
        self._begin_answer()
        self._received = False
        self._transport.write(request)
        try:
            return await self._answer
        except BaseException:  # an error or a cancelled wait: the stream's state is unknown
            self.abort()
            raise

    def close(self) -> None:
        """Closes an idle connection politely."""
        self._reusable = False
        if self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        """Drops a connection whose stream cannot be trusted, without waiting on the peer."""
        self._reusable = False
        if self._transport is not None:
            self._transport.abort()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A TCP transport: asyncio's own, or uvloop's, which is not an asyncio.Transport subclass.
        self._transport = cast(asyncio.Transport, transport)
        self._registry.add(self)

    def eof_received(self) -> None:
        self._reusable = False  # the peer is closing: never hand this connection out again

    def connection_lost(self, exc: Exception | None) -> None:
        self._reusable = False
        self._registry.discard(self)
        if self._answer is None or self._answer.done():
            return
        if exc is None and self._headers_complete and self._ends_with_close():
            self._complete(keep_alive=False)
        elif self._received:
            reason = f" ({exc})" if exc else ""
            self._fail(HttpProtocolError(f"the answer was cut short by the close{reason}"))
        else:
            reason = f": {exc}" if exc else ""
            self._fail(HttpConnectionError(f"connection closed before any answer{reason}"))

    def data_received(self, data: bytes) -> None:
        if self._answer is None or self._answer.done():
            self.abort()  # bytes nobody asked for: the stream cannot be trusted any more
            return
        self._received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            self._fail(self._error or HttpProtocolError(str(exc)))
            return
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._fail(HttpProtocolError(f"not an HTTP/1.1 answer: {exc!r}"))
            return
        if not self._headers_complete:  # httptools holds a header whole before calling back
            self._head_read += len(data)
            if self._head_read > MAX_HEAD_BYTES:
                self._fail(
                    HttpAnswerTooLarge(f"the answer's head is over {MAX_HEAD_BYTES:,} bytes")
                )

    # httptools callbacks; an error raised here reaches data_received as a callback error

    def on_message_begin(self) -> None:
        if self._answer is None or self._answer.done():
            self._raise(HttpProtocolError("a second answer followed the first"))
        self._begin_answer()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_fields += 1
        if self._header_fields > MAX_HEADER_FIELDS:
            self._raise(HttpAnswerTooLarge(f"the answer has over {MAX_HEADER_FIELDS} headers"))
        if self._headers_complete:  # a trailer: its bytes count against the answer's bound
            self._count(len(name) + len(value))
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        known = self._headers.get(key)  # at most MAX_HEADER_FIELDS of them: joining stays cheap
        self._headers[key] = text if known is None else f"{known}, {text}"

    def on_headers_complete(self) -> None:
        self._headers_complete = True
        length = self._headers.get("content-length", "")
        if length.isascii() and length.isdigit() and int(length) > self._limit:
            self._raise(HttpAnswerTooLarge(f"the answer declares {int(length):,} bytes"))

    def on_body(self, body: bytes) -> None:
        self._count(len(body))
        self._chunks.append(body)

    def on_message_complete(self) -> None:
        if self._parser.get_status_code() >= 200:  # 1xx: an interim answer, the real one follows
            sent_whole = self._transport is not None and not self._transport.get_write_buffer_size()
            self._complete(keep_alive=self._parser.should_keep_alive() and sent_whole)

    def _begin_answer(self) -> None:
        self._error = None
        self._headers = {}
        self._header_fields = 0
        self._chunks = []
        self._size = 0
        self._head_read = 0
        self._headers_complete = False

    def _count(self, size: int) -> None:
        self._size += size
        if self._size > self._limit:
            self._raise(HttpAnswerTooLarge(f"the answer is over {self._limit:,} bytes"))

    def _raise(self, error: HttpClientError) -> None:
        self._error = error
        raise error

    def _ends_with_close(self) -> bool:
        chunked = "chunked" in self._headers.get("transfer-encoding", "").lower()
        status = self._parser.get_status_code()
        return status >= 200 and "content-length" not in self._headers and not chunked

    def _complete(self, keep_alive: bool) -> None:
        assert self._answer is not None
        status = self._parser.get_status_code()
        self._answer.set_result(HttpAnswer(status, b"".join(self._chunks), self._headers))
        self._reusable = keep_alive

    def _fail(self, error: HttpClientError) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(error)
        self.abort()
