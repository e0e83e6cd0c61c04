"""The floor: a hand-written JSON endpoint making the four S1 department calls concurrently.

``POST /profile {"id": ...}`` answers the six S1 fields by domain. Nothing a GraphQL server does
(parsing, validation, execution, policy) happens here, so no server doing S1 can be faster.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.baselines.clients import ClientFactory, DepartmentClient, client_lifespan
from bench.queries import S1_FIELDS


def create_app(open_client: ClientFactory) -> Starlette:
    return Starlette(
        routes=[Route("/profile", _profile, methods=["POST"])],
        lifespan=client_lifespan(open_client),
    )


async def _profile(request: Request) -> Response:
    client: DepartmentClient = request.state.client
    subject = orjson.loads(await request.body())["id"]
    records = await asyncio.gather(*(client.fetch(name, subject) for name in S1_FIELDS))
    profile: dict[str, Any] = {}
    for record, domains in zip(records, S1_FIELDS.values(), strict=True):
        for domain, fields in domains.items():
            profile[domain] = {field: record[field] for field in fields}
    return Response(orjson.dumps(profile), media_type="application/json")
