"""HTTP/JSON transport over the hub's one keep-alive HTTP client.

The transport does what every department over HTTP shares: the POST, the deadline, the status and
the Ed25519 signature over the exact answer bytes (docs/wire-format.md). What the body looks like
is a ``Wire``'s business: the standard wire format (``connectors.answer``), a department's own
JSON described by a mapping (``connectors.json_mapping``), or GraphQL
(``connectors.graphql_transport``).

The client is ``connectors.http_client``, not httpx or aiohttp: on this workload (thousands of
small POSTs a second to four loopback departments) httpx at default pool settings measured about
8× slower than aiohttp, mostly in connection churn, and aiohttp about three times the CPU per call
of the lean client; ``bench/`` carries both comparisons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import orjson

from connectors.http_client import (
    HttpAnswer,
    HttpAnswerTooLarge,
    HttpClient,
    HttpClientError,
    HttpConnectionError,
)
from connectors.manifest import Manifest
from connectors.records import FetchItem, ResidentId, SubjectRecord
from connectors.signing import SignatureVerifier
from hub.errors import SourceBadResponse, SourceTimeout, SourceUnavailable, SourceUnreachable

_JSON_HEADERS = {"Content-Type": "application/json"}
MAX_ANSWER_BYTES = 64 * 1024 * 1024
"""Far above a full batch of records (500 subjects × ~2 KB), far below trouble."""


@dataclass(frozen=True, slots=True)
class HttpCall:
    method: str
    url: str
    body: bytes | None = None


class Wire(Protocol):
    """The shape of one department's calls: where they go, what is sent, how the answer reads."""

    @property
    def batch_url(self) -> str: ...

    @property
    def health(self) -> HttpCall: ...

    def encode(self, items: Sequence[FetchItem]) -> bytes:
        """The body of the batch call: each subject with the fields asked for it alone."""
        ...

    def decode(
        self, answer: bytes, sent: bytes, items: Sequence[FetchItem], key_id: str | None
    ) -> dict[ResidentId, SubjectRecord]:
        """The records in a ``200`` answer to ``sent``, with only the fields asked per subject;
        ``key_id`` names the key its signature verified with (``None``: unsigned department)."""
        ...


class HttpJsonTransport:
    def __init__(self, manifest: Manifest, client: HttpClient, wire: Wire) -> None:
        self._department = manifest.department
        self._wire = wire
        self._seconds = manifest.timeout_ms / 1000
        self._client = client
        key = manifest.public_key_bytes
        self._verifier = None if key is None else SignatureVerifier(manifest.department, key)

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        body = self._wire.encode(items)
        answer = await self._request(HttpCall("POST", self._wire.batch_url, body))
        if self._verifier is None:
            return self._wire.decode(answer.body, body, items, None)
        headers = answer.headers
        self._verifier.verify(
            answer.body, headers.get("tongban-key-id"), headers.get("tongban-signature")
        )
        return self._wire.decode(answer.body, body, items, self._verifier.key_id)

    async def health(self) -> None:
        await self._request(self._wire.health)

    async def close(self) -> None:
        """Nothing of its own to release: the client is the hub's, closed when the hub stops."""

    async def _request(self, call: HttpCall) -> HttpAnswer:
        """A ``200`` answer, read only while it stays under ``MAX_ANSWER_BYTES``: a department
        (or whatever answers in its place) must not make the hub hold any amount of memory."""
        try:
            async with asyncio.timeout(self._seconds):
                answer = await self._client.request(
                    call.method,
                    call.url,
                    body=call.body,
                    headers=_JSON_HEADERS,
                    max_answer_bytes=MAX_ANSWER_BYTES,
                )
        except TimeoutError as exc:
            raise SourceTimeout(self._department, f"no answer within {self._seconds:g} s") from exc
        except HttpConnectionError as exc:
            raise SourceUnreachable(self._department, f"cannot reach {call.url}: {exc}") from exc
        except HttpAnswerTooLarge as exc:
            message = f"the answer is over {MAX_ANSWER_BYTES:,} bytes ({exc})"
            raise SourceBadResponse(self._department, message) from exc
        except HttpClientError as exc:
            raise SourceUnavailable(self._department, f"broken answer: {exc}") from exc
        if answer.status != 200:
            raise SourceUnavailable(self._department, _describe_failure(answer))
        return answer


def _describe_failure(answer: HttpAnswer) -> str:
    status = answer.status
    try:
        error = orjson.loads(answer.body)["error"]
        return f"answered HTTP {status} {error['code']}: {error['message']}"
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return f"answered HTTP {status}"
