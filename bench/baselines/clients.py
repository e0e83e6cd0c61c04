"""Calling a department for one subject's S1 fields, over aiohttp, httpx or the hub's own client.

Baselines skip signature verification (they only read ``results``): their numbers are a floor
for the transport and the framework, not for the hub's checks.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, Protocol

import aiohttp
import httpx
import orjson
from starlette.applications import Starlette
from starlette.types import StatefulLifespan

from bench.queries import department_fields
from connectors.http_client import HttpClient
from connectors.http_json import MAX_ANSWER_BYTES

_JSON_HEADERS = {"Content-Type": "application/json"}


class DepartmentClient(Protocol):
    async def fetch(self, department: str, subject: str) -> dict[str, Any]:
        """The S1 fields ``department`` holds on ``subject``."""
        ...

    async def aclose(self) -> None: ...


ClientFactory = Callable[[], DepartmentClient]


def client_lifespan(open_client: ClientFactory) -> StatefulLifespan[Starlette]:
    """Opens the client inside the server's event loop; requests find it as ``state.client``."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, DepartmentClient]]:
        client = open_client()
        try:
            yield {"client": client}
        finally:
            await client.aclose()

    return lifespan


class AiohttpClient:
    """One keep-alive session, pooled as the hub pools its own."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._urls = {department: f"{url}/v1/batch" for department, url in urls.items()}
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, limit_per_host=64, keepalive_timeout=60)
        )

    async def fetch(self, department: str, subject: str) -> dict[str, Any]:
        body = _batch_body(department, subject)
        async with self._session.post(
            self._urls[department], data=body, headers=_JSON_HEADERS
        ) as response:
            response.raise_for_status()
            return _fields(await response.read())

    async def aclose(self) -> None:
        await self._session.close()


class HttpxClient:
    """httpx at its default settings, as most code would use it: measuring its pool is the point."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._urls = {department: f"{url}/v1/batch" for department, url in urls.items()}
        self._client = httpx.AsyncClient()

    async def fetch(self, department: str, subject: str) -> dict[str, Any]:
        body = _batch_body(department, subject)
        response = await self._client.post(
            self._urls[department], content=body, headers=_JSON_HEADERS
        )
        response.raise_for_status()
        return _fields(response.content)

    async def aclose(self) -> None:
        await self._client.aclose()


class TongbanClient:
    """The hub's lean client (``connectors.http_client``) in the floor: what the client alone
    is worth, beside the same floor over aiohttp."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._urls = {department: f"{url}/v1/batch" for department, url in urls.items()}
        self._client = HttpClient()

    async def fetch(self, department: str, subject: str) -> dict[str, Any]:
        body = _batch_body(department, subject)
        answer = await self._client.request(
            "POST",
            self._urls[department],
            body=body,
            headers=_JSON_HEADERS,
            max_answer_bytes=MAX_ANSWER_BYTES,
        )
        if answer.status != 200:
            raise RuntimeError(f"{department} answered HTTP {answer.status}")
        return _fields(answer.body)

    async def aclose(self) -> None:
        await self._client.close()


def _batch_body(department: str, subject: str) -> bytes:
    return orjson.dumps({"items": [{"id": subject, "fields": department_fields(department)}]})


def _fields(answer: bytes) -> dict[str, Any]:
    (result,) = orjson.loads(answer)["results"]
    fields: dict[str, Any] = result["fields"]
    return fields
