"""Plain Strawberry: hand-written S1 types, Strawberry's own ASGI view, one resolver per domain.

What a careful team would write without the hub's endpoint: bounded parser and validation caches,
and one call per department per citizen (two domains of a department share it), so it makes the
floor's four calls and the comparison isolates the framework's cost.
"""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

from bench.baselines.clients import ClientFactory, DepartmentClient, client_lifespan

CACHE_SIZE = 1_000


class DepartmentRecords:
    """A citizen's record at each department, fetched at most once per request."""

    def __init__(self, client: DepartmentClient, subject: str) -> None:
        self._client = client
        self._subject = subject
        self._calls: dict[str, asyncio.Task[dict[str, Any]]] = {}

    async def of(self, department: str) -> dict[str, Any]:
        if department not in self._calls:
            self._calls[department] = asyncio.ensure_future(
                self._client.fetch(department, self._subject)
            )
        return await self._calls[department]


@strawberry.type
class Identity:
    name: str


@strawberry.type
class Household:
    size: int


@strawberry.type
class Employment:
    monthly_wage: float | None


@strawberry.type
class SocialInsurance:
    pension_insured: bool


@strawberry.type
class Property:
    property_count: int


@strawberry.type
class Health:
    chronic_conditions: list[str]


@strawberry.type
class Citizen:
    id: strawberry.ID
    records: strawberry.Private[DepartmentRecords]

    @strawberry.field
    async def identity(self) -> Identity:
        return Identity(name=(await self.records.of("police"))["name"])

    @strawberry.field
    async def household(self) -> Household:
        return Household(size=(await self.records.of("police"))["size"])

    @strawberry.field
    async def employment(self) -> Employment:
        return Employment(monthly_wage=(await self.records.of("hrss"))["monthlyWage"])

    @strawberry.field
    async def social_insurance(self) -> SocialInsurance:
        record = await self.records.of("hrss")
        return SocialInsurance(pension_insured=record["pensionInsured"])

    @strawberry.field
    async def property(self) -> Property:
        return Property(property_count=(await self.records.of("housing"))["propertyCount"])

    @strawberry.field
    async def health(self) -> Health:
        record = await self.records.of("health")
        return Health(chronic_conditions=record["chronicConditions"])


@strawberry.type
class Query:
    @strawberry.field
    def citizen(self, info: strawberry.Info, id: strawberry.ID, purpose: str) -> Citizen:
        """``purpose`` is accepted and ignored: the query text is the hub's, byte for byte."""
        return Citizen(id=id, records=DepartmentRecords(info.context["client"], id))


SCHEMA = strawberry.Schema(
    Query,
    extensions=[
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
    ],
)
"""Strawberry's caches are shared per ``maxsize``, so a fresh extension per request keeps them."""


class _View(GraphQL[dict[str, Any], None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> dict[str, Any]:
        return {"client": request.state.client}


def create_app(open_client: ClientFactory) -> Starlette:
    return Starlette(
        routes=[Route("/graphql", _View(SCHEMA, graphql_ide=None), methods=["POST"])],
        lifespan=client_lifespan(open_client),
    )
