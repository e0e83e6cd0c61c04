"""A tax bureau that runs its own GraphQL service (strawberry), with its own names, signing the
exact bytes of each answer and echoing the request's SHA-256 in ``extensions``. It imports nothing
from the hub; the hub's manifest maps the bureau's names onto its own.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.connectors.departments import Signer, full_facts

Mode = Literal["honest", "garbage", "refusing"]


@strawberry.type
class Income:
    taxable: float
    paid: float


@strawberry.type
class Dependant:
    name: str
    relation: str


@strawberry.type
class Person:
    id_no: str
    income: Income
    dependants: list[Dependant]
    assessed_on: str


@strawberry.type
class Query:
    @strawberry.field
    def persons(self, info: strawberry.Info, ids: list[strawberry.ID]) -> list[Person | None]:
        bureau: GraphQLBureau = info.context
        if bureau.mode == "refusing":
            raise PermissionError("the register is closed for maintenance")
        return [None if subject in bureau.unknown else _person(subject) for subject in ids]


def _person(subject: str) -> Person:
    facts = full_facts(subject)
    return Person(
        id_no=subject,
        income=Income(taxable=facts["annualTaxableIncome"], paid=facts["taxPaidLastYear"]),
        dependants=[Dependant(**dependant) for dependant in facts["dependants"]],
        assessed_on=facts["assessedOn"],
    )


SCHEMA = strawberry.Schema(query=Query)


class GraphQLBureau:
    def __init__(self) -> None:
        self.signer = Signer()
        self.mode: Mode = "honest"
        self.unknown: set[str] = set()
        self.documents: list[tuple[str, dict[str, Any]]] = []
        """Each document the bureau was sent, with its variables."""

    def transport(self, url: str) -> dict[str, Any]:
        return {
            "kind": "graphql",
            "endpoint": f"{url}/graphql",
            "query_field": "persons",
            "id_field": "idNo",
            "fields": {"annualTaxableIncome": "income.taxable", "taxPaidLastYear": "income.paid"},
            "binding": {
                "request_sha256": "extensions.requestSha256",
                "department": "extensions.department",
                "issued_at": "extensions.issuedAt",
            },
        }

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/graphql", self._graphql, methods=["POST"])])

    async def _graphql(self, request: Request) -> Response:
        if self.mode == "garbage":
            return Response(b"<html><body>502 Bad Gateway</body></html>", media_type="text/html")
        body = await request.body()
        asked = orjson.loads(body)
        self.documents.append((asked["query"], asked.get("variables", {})))
        result = await SCHEMA.execute(
            asked["query"], variable_values=asked.get("variables"), context_value=self
        )
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [{"message": error.message} for error in result.errors]
        answer["extensions"] = {
            "requestSha256": hashlib.sha256(body).hexdigest(),
            "department": "tax",
            "issuedAt": datetime.now(UTC).isoformat(),
        }
        encoded = orjson.dumps(answer)
        return Response(
            encoded, media_type="application/json", headers=self.signer.headers(encoded)
        )
