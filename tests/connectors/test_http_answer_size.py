"""An HTTP department's answer is read only up to a bound, declared length or not: whatever
answers in a department's place cannot make the hub hold any amount of memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from connectors import http_json
from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.records import FetchItem
from connectors.registry import build_connector
from hub.errors import SourceBadResponse
from tests.connectors.departments import full_manifest
from tests.support.servers import serving

LIMIT = 1_000
SUBJECT = "110101199003074518"


async def _declared(request: Request) -> Response:
    return Response(b"x" * (LIMIT + 1), media_type="application/json")


async def _streamed(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * (LIMIT // 2)

    return StreamingResponse(chunks(), media_type="application/json")


@pytest.mark.parametrize("route", [_declared, _streamed])
async def test_an_answer_past_the_bound_is_a_bad_response(
    route: Callable[[Request], Awaitable[Response]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_json, "MAX_ANSWER_BYTES", LIMIT)
    app = Starlette(routes=[Route("/v1/batch", route, methods=["POST"])])
    async with serving(app) as url, HttpClient() as client:
        manifest = parse_manifest(full_manifest({"kind": "http-json", "endpoint": url}, None), "t")
        connector = build_connector(manifest, client)

        outcomes = await connector.fetch([FetchItem(SUBJECT, frozenset({"annualTaxableIncome"}))])

    outcome = outcomes[SUBJECT]
    assert isinstance(outcome, SourceBadResponse)
    assert f"over {LIMIT:,} bytes" in outcome.message
