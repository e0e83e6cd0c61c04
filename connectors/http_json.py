"""HTTP/JSON transport over one shared keep-alive aiohttp session.

aiohttp rather than httpx: on this workload (thousands of small POSTs a second to four
loopback departments) httpx at default pool settings measured about 8× slower, mostly in
connection churn; ``bench/`` carries the comparison.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import aiohttp
import orjson

from connectors.answer import decode_answer
from connectors.manifest import Manifest
from connectors.records import FetchItem, ResidentId, SubjectRecord
from connectors.signing import SignatureVerifier
from hub.errors import SourceTimeout, SourceUnavailable, SourceUnreachable

_JSON_HEADERS = {"Content-Type": "application/json"}


class HttpJsonTransport:
    def __init__(self, manifest: Manifest, session: aiohttp.ClientSession) -> None:
        self._department = manifest.department
        self._base = manifest.transport.endpoint.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=manifest.timeout_ms / 1000)
        self._session = session
        key = manifest.public_key_bytes
        self._verifier = None if key is None else SignatureVerifier(manifest.department, key)

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        body = orjson.dumps(
            {"items": [{"id": item.subject, "fields": sorted(item.fields)} for item in items]}
        )
        status, answer, headers = await self._request("POST", "/v1/batch", body)
        if status != 200:
            raise SourceUnavailable(self._department, _describe_failure(status, answer))
        if self._verifier is not None:
            self._verifier.verify(
                answer, headers.get("Tongban-Key-Id"), headers.get("Tongban-Signature")
            )
        return decode_answer(
            self._department,
            answer,
            hashlib.sha256(body).hexdigest(),
            {item.subject: item.fields for item in items},
            signature_verified=self._verifier is not None,
            key_id=None if self._verifier is None else self._verifier.key_id,
        )

    async def health(self) -> None:
        status, answer, _ = await self._request("GET", "/healthz", None)
        if status != 200:
            raise SourceUnavailable(self._department, _describe_failure(status, answer))

    async def _request(
        self, method: str, path: str, body: bytes | None
    ) -> tuple[int, bytes, Mapping[str, str]]:
        try:
            async with self._session.request(
                method, self._base + path, data=body, headers=_JSON_HEADERS, timeout=self._timeout
            ) as response:
                return response.status, await response.read(), response.headers.copy()
        except TimeoutError as exc:
            raise SourceTimeout(
                self._department, f"no answer within {self._timeout.total:g} s"
            ) from exc
        except (aiohttp.ClientConnectionError, OSError) as exc:
            raise SourceUnreachable(self._department, f"cannot reach {self._base}: {exc}") from exc
        except aiohttp.ClientError as exc:
            raise SourceUnavailable(self._department, f"broken answer: {exc}") from exc


def _describe_failure(status: int, answer: bytes) -> str:
    try:
        error = orjson.loads(answer)["error"]
        return f"answered HTTP {status} {error['code']}: {error['message']}"
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return f"answered HTTP {status}"
