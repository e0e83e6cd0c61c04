"""HTTP/JSON transport over one shared keep-alive aiohttp session.

The transport does what every department over HTTP shares: the POST, the deadline, the status and
the Ed25519 signature over the exact answer bytes (docs/wire-format.md). What the body looks like
is a ``Wire``'s business: the standard wire format (``connectors.answer``), a department's own
JSON described by a mapping (``connectors.json_mapping``), or GraphQL
(``connectors.graphql_transport``).

aiohttp rather than httpx: on this workload (thousands of small POSTs a second to four
loopback departments) httpx at default pool settings measured about 8× slower, mostly in
connection churn; ``bench/`` carries the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import aiohttp
import orjson

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
    def __init__(self, manifest: Manifest, session: aiohttp.ClientSession, wire: Wire) -> None:
        self._department = manifest.department
        self._wire = wire
        self._timeout = aiohttp.ClientTimeout(total=manifest.timeout_ms / 1000)
        self._session = session
        key = manifest.public_key_bytes
        self._verifier = None if key is None else SignatureVerifier(manifest.department, key)

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        body = self._wire.encode(items)
        status, answer, headers = await self._request(HttpCall("POST", self._wire.batch_url, body))
        if status != 200:
            raise SourceUnavailable(self._department, _describe_failure(status, answer))
        if self._verifier is None:
            return self._wire.decode(answer, body, items, None)
        self._verifier.verify(
            answer, headers.get("Tongban-Key-Id"), headers.get("Tongban-Signature")
        )
        return self._wire.decode(answer, body, items, self._verifier.key_id)

    async def health(self) -> None:
        status, answer, _ = await self._request(self._wire.health)
        if status != 200:
            raise SourceUnavailable(self._department, _describe_failure(status, answer))

    async def close(self) -> None:
        """Nothing of its own to release: the session is the hub's, closed when the hub stops."""

    async def _request(self, call: HttpCall) -> tuple[int, bytes, Mapping[str, str]]:
        try:
            async with self._session.request(
                call.method, call.url, data=call.body, headers=_JSON_HEADERS, timeout=self._timeout
            ) as response:
                return response.status, await self._body(response), response.headers.copy()
        except TimeoutError as exc:
            raise SourceTimeout(
                self._department, f"no answer within {self._timeout.total:g} s"
            ) from exc
        except (aiohttp.ClientConnectionError, OSError) as exc:
            raise SourceUnreachable(self._department, f"cannot reach {call.url}: {exc}") from exc
        except aiohttp.ClientError as exc:
            raise SourceUnavailable(self._department, f"broken answer: {exc}") from exc

    async def _body(self, response: aiohttp.ClientResponse) -> bytes:
        """The answer, read only while it stays under ``MAX_ANSWER_BYTES``: a department (or
        whatever answers in its place) must not make the hub hold any amount of memory."""
        if (response.content_length or 0) > MAX_ANSWER_BYTES:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_any():
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise self._too_large()
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> SourceBadResponse:
        return SourceBadResponse(self._department, f"the answer is over {MAX_ANSWER_BYTES:,} bytes")


def _describe_failure(status: int, answer: bytes) -> str:
    try:
        error = orjson.loads(answer)["error"]
        return f"answered HTTP {status} {error['code']}: {error['message']}"
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return f"answered HTTP {status}"
