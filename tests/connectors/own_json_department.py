"""A tax bureau with a JSON API of its own, which it does not reshape for the hub: the hub's
manifest describes it with a mapping (docs/transports.md). It imports nothing from the hub.

Request:  {"query": {"persons": [{"sfzh": "…", "want": ["income.taxable", …]}]}}
Answer:   {"meta": {"issuer": "tax", "requestDigest": "…", "issuedAt": "…"},
           "data": {"records": [{"person": {"sfzh": "…"}, "income": {"taxable": …}}]}}

Each value lies where its name says; a person the bureau does not know is left out.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.connectors.departments import Signer, full_facts

Mode = Literal["honest", "generous", "misshapen", "replayed"]

TRANSPORT_MAPPING = {
    "batch_path": "/api/persons/query",
    "health_path": "/ping",
    "request": {"items": "query.persons", "id": "sfzh", "fields": "want"},
    "response": {"results": "data.records", "id": "person.sfzh"},
    "fields": {
        "annualTaxableIncome": "income.taxable",
        "taxPaidLastYear": "income.paid",
        "dependants": "family.dependants",
    },
    "binding": {
        "request_sha256": "meta.requestDigest",
        "department": "meta.issuer",
        "issued_at": "meta.issuedAt",
    },
}


class OwnJsonBureau:
    def __init__(self) -> None:
        self.signer = Signer()
        self.mode: Mode = "honest"
        self.unknown: set[str] = set()
        self.requests: list[Any] = []
        self.pings = 0

    def transport(self, url: str) -> dict[str, Any]:
        return {"kind": "http-json", "endpoint": url, "mapping": TRANSPORT_MAPPING}

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/persons/query", self._query, methods=["POST"]),
                Route("/ping", self._ping),
            ]
        )

    async def _ping(self, request: Request) -> Response:
        self.pings += 1
        return Response(b"pong")

    async def _query(self, request: Request) -> Response:
        body = await request.body()
        asked = orjson.loads(body)
        self.requests.append(asked)
        records = [
            self._record(person["sfzh"], person["want"])
            for person in asked["query"]["persons"]
            if person["sfzh"] not in self.unknown
        ]
        digest = hashlib.sha256(b"another request" if self.mode == "replayed" else body)
        meta = {
            "issuer": "tax",
            "requestDigest": digest.hexdigest(),
            "issuedAt": datetime.now(UTC).isoformat(),
        }
        data = {"rows": records} if self.mode == "misshapen" else {"records": records}
        answer = orjson.dumps({"meta": meta, "data": data})
        return Response(answer, media_type="application/json", headers=self.signer.headers(answer))

    def _record(self, subject: str, want: list[str]) -> dict[str, Any]:
        facts = full_facts(subject)
        values = {
            "income.taxable": facts["annualTaxableIncome"],
            "income.paid": facts["taxPaidLastYear"],
            "family.dependants": facts["dependants"],
            "assessedOn": facts["assessedOn"],
        }
        record: dict[str, Any] = {"person": {"sfzh": subject}}
        for name in values if self.mode == "generous" else want:
            group, _, key = name.rpartition(".")
            (record.setdefault(group, {}) if group else record)[key] = values[name]
        return record
