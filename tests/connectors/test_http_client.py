"""The department HTTP client over real sockets, on asyncio's loop and on uvloop: connections
reused only when the answer ended cleanly, every way an answer can end or break, the per-origin
bound and TLS.

The departments here are raw TCP servers that write scripted bytes, so each test decides exactly
what comes back on the wire (a chunk, a close, garbage) and counts the connections it saw.
"""

from __future__ import annotations

import asyncio
import datetime
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from connectors import http_client
from connectors.http_client import (
    HttpAnswer,
    HttpAnswerTooLarge,
    HttpClient,
    HttpClientError,
    HttpConnectionError,
    HttpProtocolError,
)
from connectors.http_connection import MAX_HEAD_BYTES, MAX_HEADER_FIELDS

LIMIT = 1_000


pytestmark = pytest.mark.asyncio(loop_factories=["asyncio", "uvloop"])


@dataclass(frozen=True)
class Closing:
    """Bytes to write, then close the connection."""

    answer: bytes


@dataclass(frozen=True)
class Later:
    """An answer, then more bytes a moment later, as a separate segment."""

    answer: bytes
    then: bytes


Script = Callable[[int, bytes], bytes | Closing | Later | None]
"""Request number (from 0, across connections) and request bytes → what to write back; ``None``
writes nothing and closes the connection."""


def ok(body: bytes = b"ok", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


@dataclass
class Department:
    url: str
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    open_now: int = 0
    most_open: int = 0


@asynccontextmanager
async def department(
    script: Script,
    tls: ssl.SSLContext | None = None,
    delay: Callable[[bytes], float] = lambda _: 0.0,
) -> AsyncIterator[Department]:
    seen = Department("")

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.connections += 1
        seen.open_now += 1
        seen.most_open = max(seen.most_open, seen.open_now)
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = next(
                    (
                        int(line[15:])
                        for line in head.split(b"\r\n")
                        if line.startswith(b"Content-Length:")
                    ),
                    0,
                )
                request = head + await reader.readexactly(length)
                seen.requests.append(request)
                if await _hung_up_within(reader, delay(request)):
                    break
                answer = script(len(seen.requests) - 1, request)
                if answer is None:
                    break
                writer.write(answer if isinstance(answer, bytes) else answer.answer)
                await writer.drain()
                if isinstance(answer, Later):
                    await asyncio.sleep(0.02)
                    writer.write(answer.then)
                if isinstance(answer, Closing):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            seen.open_now -= 1
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    seen.url = f"{'https' if tls else 'http'}://localhost:{port}/v1/batch"
    async with server:
        yield seen


async def _hung_up_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Waits ``seconds`` before answering, noticing a client that closes meanwhile (this client
    never pipelines, so nothing else can arrive)."""
    try:
        async with asyncio.timeout(seconds):
            return not await reader.read(1)
    except TimeoutError:
        return False


async def ask(
    client: HttpClient,
    url: str,
    method: str = "POST",
    body: bytes | None = b"{}",
    headers: dict[str, str] | None = None,
) -> HttpAnswer:
    async with asyncio.timeout(5):  # a client waiting for bytes that never come fails, not hangs
        return await client.request(method, url, body=body, headers=headers, max_answer_bytes=LIMIT)


async def post(client: HttpClient, url: str, body: bytes = b"{}") -> bytes:
    answer = await ask(client, url, body=body)
    assert answer.status == 200
    return answer.body


async def test_sequential_requests_share_one_keep_alive_connection() -> None:
    async with department(lambda n, _: ok(b"answer %d" % n)) as bureau, HttpClient() as client:
        first = await post(client, bureau.url)
        second = await post(client, bureau.url)

    assert (first, second) == (b"answer 0", b"answer 1")
    assert bureau.connections == 1


async def test_the_request_names_host_length_and_headers() -> None:
    async with department(lambda n, _: ok()) as bureau, HttpClient() as client:
        await ask(client, bureau.url + "?x=1", body=b'{"a":1}', headers={"Content-Type": "json"})

    head, _, body = bureau.requests[0].partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /v1/batch?x=1 HTTP/1.1"
    assert b"Host: " + bureau.url.split("/")[2].encode() in lines
    assert b"Content-Type: json" in lines
    assert b"Content-Length: 7" in lines
    assert body == b'{"a":1}'


async def test_a_chunked_answer_is_joined() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    async with department(lambda n, _: chunked) as bureau, HttpClient() as client:
        assert await post(client, bureau.url) == b"abcde"
        assert await post(client, bureau.url) == b"abcde"

    assert bureau.connections == 1


async def test_an_answer_ended_by_the_close_is_whole_and_its_connection_not_reused() -> None:
    until_close = Closing(b"HTTP/1.1 200 OK\r\n\r\nall of it, up to the close")
    async with department(lambda n, _: until_close) as bureau, HttpClient() as client:
        first = await post(client, bureau.url)
        second = await post(client, bureau.url)

    assert first == second == b"all of it, up to the close"
    assert bureau.connections == 2


async def test_headers_are_lower_cased_and_repeated_ones_joined() -> None:
    extra = b"X-Key-Id: k1\r\nVia: a\r\nvia: b\r\n"
    async with department(lambda n, _: ok(extra=extra)) as bureau, HttpClient() as client:
        answer = await ask(client, bureau.url, "GET", body=None)

    assert answer.headers["x-key-id"] == "k1"
    assert answer.headers["via"] == "a, b"


async def test_an_interim_answer_is_skipped() -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"final")
    async with department(lambda n, _: interim) as bureau, HttpClient() as client:
        assert await post(client, bureau.url) == b"final"


async def test_an_error_status_is_an_answer_not_an_exception() -> None:
    failing = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"
    async with department(lambda n, _: failing) as bureau, HttpClient() as client:
        answer = await ask(client, bureau.url, body=b"")

    assert (answer.status, answer.body) == (503, b"busy")


@pytest.mark.parametrize(
    "first",
    [
        Closing(ok(b"answer 0")),
        Later(ok(b"answer 0"), ok(b"nobody asked")),
        ok(b"answer 0") + b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nthe start of",
    ],
    ids=["closed-by-the-department", "bytes-nobody-asked-for", "a-second-answer-behind-it"],
)
async def test_an_idle_connection_that_went_bad_is_replaced(first: bytes | Closing | Later) -> None:
    going_bad = department(lambda n, _: first if n == 0 else ok(b"answer %d" % n))
    async with going_bad as bureau, HttpClient() as client:
        await post(client, bureau.url)
        await asyncio.sleep(0.05)  # the close, or the stray bytes, arrive while it is idle
        assert await post(client, bureau.url) == b"answer 1"

    assert bureau.connections == 2


async def test_an_answer_saying_connection_close_is_not_reused_even_if_left_open() -> None:
    closing = department(lambda n, _: ok(extra=b"Connection: close\r\n"))
    async with closing as bureau, HttpClient() as client:
        await post(client, bureau.url)
        await post(client, bureau.url)

    assert bureau.connections == 2


async def test_a_declared_length_over_the_bound_fails_before_the_body_arrives() -> None:
    declared = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (LIMIT + 1)
    async with department(lambda n, _: declared) as bureau, HttpClient() as client:
        with pytest.raises(HttpAnswerTooLarge, match=f"declares {LIMIT + 1:,} bytes"):
            await post(client, bureau.url)


@pytest.mark.parametrize(
    "head",
    [b"Transfer-Encoding: chunked\r\n", b"Connection: close\r\n"],
    ids=["chunked", "ended-by-the-close"],
)
async def test_an_answer_growing_past_the_bound_fails(head: bytes) -> None:
    half = b"x" * (LIMIT // 2)
    chunk = b"%x\r\n%s\r\n" % (len(half), half) if b"chunked" in head else half
    growing = Later(b"HTTP/1.1 200 OK\r\n" + head + b"\r\n" + chunk, chunk * 3)
    async with department(lambda n, _: growing) as bureau, HttpClient() as client:
        with pytest.raises(HttpAnswerTooLarge, match=rf"^the answer is over {LIMIT:,} bytes"):
            await post(client, bureau.url)


async def test_garbage_is_a_protocol_error_and_the_connection_is_dropped() -> None:
    def script(n: int, _: bytes) -> bytes:
        return b"garbage, not HTTP\r\n\r\n" if n == 0 else ok(b"fine")

    async with department(script) as bureau, HttpClient() as client:
        with pytest.raises(HttpProtocolError, match=r"not an HTTP/1\.1 answer"):
            await post(client, bureau.url)
        assert await post(client, bureau.url) == b"fine"

    assert bureau.connections == 2


@pytest.mark.parametrize(
    "cut",
    [b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", b"HTTP/1.1 100 Continue\r\n\r\n"],
    ids=["half-a-body", "only-an-interim-answer"],
)
async def test_an_answer_cut_short_by_the_close_is_a_protocol_error(cut: bytes) -> None:
    async with department(lambda n, _: Closing(cut)) as bureau, HttpClient() as client:
        with pytest.raises(HttpProtocolError, match="cut short"):
            await post(client, bureau.url)


async def test_a_reused_connection_closed_unanswered_is_not_answered_by_the_last_one() -> None:
    def script(n: int, _: bytes) -> bytes | None:
        return b"HTTP/1.1 204 No Content\r\n\r\n" if n == 0 else None

    async with department(script) as bureau, HttpClient() as client:
        assert (await ask(client, bureau.url)).status == 204
        with pytest.raises(HttpConnectionError, match="before any answer"):
            await ask(client, bureau.url)


async def test_a_department_closing_without_answering_is_a_connection_error() -> None:
    async with department(lambda n, _: None) as bureau, HttpClient() as client:
        with pytest.raises(HttpConnectionError, match="before any answer"):
            await post(client, bureau.url)


async def test_a_refused_connection_is_a_connection_error() -> None:
    async with department(lambda n, _: ok()) as bureau:
        url = bureau.url
    async with HttpClient() as client:
        with pytest.raises(HttpConnectionError, match="cannot connect"):
            await post(client, url)


async def test_an_abandoned_wait_never_lets_its_late_answer_reach_the_next_request() -> None:
    slow = department(lambda n, r: ok(r[-4:]), delay=lambda r: 5.0 if r.endswith(b"slow") else 0)
    async with slow as bureau, HttpClient() as client:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await post(client, bureau.url, b"slow")
        assert await post(client, bureau.url, b"fast") == b"fast"
        await asyncio.sleep(0.1)
        assert bureau.open_now == 1  # the abandoned connection was closed, not left dangling

    assert bureau.connections == 2


async def test_connections_per_origin_are_bounded() -> None:
    slow = department(lambda n, _: ok(), delay=lambda _: 0.02)
    async with slow as bureau, HttpClient(connections_per_origin=3) as client:
        await asyncio.gather(*(post(client, bureau.url) for _ in range(20)))

    assert len(bureau.requests) == 20
    assert bureau.most_open == 3


async def test_a_closed_client_refuses_new_requests() -> None:
    async with department(lambda n, _: ok()) as bureau:
        client = HttpClient()
        await post(client, bureau.url)
        await client.close()
        with pytest.raises(HttpConnectionError, match="closed"):
            await post(client, bureau.url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "not a url",
        "http://例子.中国/路径",
        "http://user:secret@example.org/x",
        "http://example.org:99999/x",
        "http://example.org:port/x",
    ],
)
async def test_a_url_the_client_cannot_send_to_is_refused(url: str) -> None:
    async with HttpClient() as client:
        with pytest.raises(HttpClientError) as refused:
            await post(client, url)

    assert type(refused.value) is HttpClientError  # refused before any connection was tried


async def test_a_method_with_no_body_in_its_answer_is_refused() -> None:
    async with department(lambda n, _: ok()) as bureau, HttpClient() as client:
        with pytest.raises(HttpClientError, match="not HEAD"):
            await ask(client, bureau.url, "HEAD", body=None)

    assert bureau.connections == 0


async def test_a_connection_idle_too_long_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_client, "IDLE_SECONDS", 0.0)
    async with department(lambda n, _: ok()) as bureau, HttpClient() as client:
        await post(client, bureau.url)
        await post(client, bureau.url)

    assert bureau.connections == 2


async def test_https_verifies_the_department_certificate(tmp_path: Path) -> None:
    server_tls, trusting = _tls_pair(tmp_path)
    async with department(lambda n, _: ok(b"secret"), tls=server_tls) as bureau:
        async with HttpClient(tls=trusting) as client:
            assert await post(client, bureau.url) == b"secret"
        async with HttpClient() as untrusting:  # the system's roots do not know this certificate
            with pytest.raises(HttpConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
                await post(untrusting, bureau.url)


def _tls_pair(directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for ``localhost``: the server's context and one trusting it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    return server, ssl.create_default_context(cafile=str(cert_file))


@pytest.mark.parametrize(
    "head",
    [
        b"X-Filler: " + b"x" * MAX_HEAD_BYTES,
        b"Via: a\r\n" * (MAX_HEADER_FIELDS + 2),  # a header is handed over when the next starts
    ],
    ids=["one-endless-header", "too-many-headers"],
)
async def test_an_oversized_head_is_refused(head: bytes) -> None:
    answer = b"HTTP/1.1 200 OK\r\n" + head
    async with department(lambda n, _: answer) as bureau, HttpClient() as client:
        with pytest.raises(HttpAnswerTooLarge, match=r"head is over|headers"):
            await post(client, bureau.url)


async def test_endless_trailers_count_against_the_bound() -> None:
    trailers = b"X-T: " + b"t" * (LIMIT // 2) + b"\r\n"
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailers * 3
    async with department(lambda n, _: answer) as bureau, HttpClient() as client:
        with pytest.raises(HttpAnswerTooLarge, match=r"^the answer is over"):
            await post(client, bureau.url)
