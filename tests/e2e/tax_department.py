"""A fifth department, written only for the tests: a tax bureau that joins at runtime.

It imports nothing from the hub or the mocks: docs/wire-format.md is all it was built from. Its
answers can be held back (``hold``) so that a test can keep a call in flight across a swap.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


class TaxBureau:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.open = asyncio.Event()
        self.open.set()
        self.received = 0

        self._next = Ed25519PrivateKey.generate()

    @property
    def public_key(self) -> str:
        return _public(self.key)

    def next_key(self) -> str:
        """The public key the bureau will sign with after ``rotate_key``."""
        return _public(self._next)

    def rotate_key(self) -> None:
        self.key, self._next = self._next, Ed25519PrivateKey.generate()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/batch", self._batch, methods=["POST"]),
                Route("/healthz", self._healthz),
            ]
        )

    async def _healthz(self, request: Request) -> Response:
        return Response(b'{"status": "ok"}', media_type="application/json")

    async def _batch(self, request: Request) -> Response:
        body = await request.body()
        self.received += 1
        await self.open.wait()
        results = [
            {"id": item["id"], "found": True, "fields": _facts(item["id"], item["fields"])}
            for item in orjson.loads(body)["items"]
        ]
        answer = orjson.dumps(
            {
                "department": "tax",
                "request_sha256": hashlib.sha256(body).hexdigest(),
                "issued_at": datetime.now(UTC).isoformat(),
                "results": results,
            }
        )
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        headers = {
            "Tongban-Key-Id": hashlib.sha256(raw).digest()[:8].hex(),
            "Tongban-Signature": base64.b64encode(self.key.sign(answer)).decode(),
        }
        return Response(answer, media_type="application/json", headers=headers)


def _public(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def expected_income(subject: str) -> float:
    """Deterministic, so a test can check what came through."""
    return float(int(hashlib.sha256(subject.encode()).hexdigest()[:6], 16) % 200_000)


def facts(subject: str) -> dict[str, float]:
    """Everything the bureau knows of ``subject``."""
    income = expected_income(subject)
    return {"annualTaxableIncome": income, "taxPaidLastYear": round(income * 0.03, 2)}


def _facts(subject: str, fields: list[str]) -> dict[str, float]:
    known = facts(subject)
    return {name: known[name] for name in fields if name in known}


def manifest(endpoint: str, public_key: str, timeout_ms: int = 2_000) -> str:
    """The bureau's manifest, as the text it hands in (JSON, which is YAML)."""
    transport = {"kind": "http-json", "endpoint": endpoint}
    return json.dumps(manifest_document(transport, public_key, timeout_ms), ensure_ascii=False)


def manifest_document(
    transport: dict[str, Any], public_key: str | None, timeout_ms: int = 2_000
) -> dict[str, Any]:
    """A tax bureau's manifest over any transport: the same domain, reached another way."""
    return {
        "department": "tax",
        "name": {"en": "Tax Bureau", "zh": "税务局"},
        "transport": transport,
        "batch_limit": 200,
        "timeout_ms": timeout_ms,
        "public_key": public_key,
        "domains": {
            "tax": {
                "description": {"en": "Income tax records", "zh": "个人所得税记录"},
                "fields": {
                    "annualTaxableIncome": _income_field(
                        "Taxable income last year", "上年度应纳税所得额"
                    ),
                    "taxPaidLastYear": _income_field("Income tax paid last year", "上年度已缴个税"),
                },
            }
        },
    }


def _income_field(en: str, zh: str) -> dict[str, Any]:
    return {"type": "Float", "category": "income", "description": {"en": en, "zh": zh}}
