"""What the transport tests' departments share: a tax bureau's facts, a fuller manifest of its
domain (with a list of objects and a date), how a department signs what it answers, and a
department served on a real socket with the hub's connector pointed at it.

Like the mocks, the departments themselves import nothing from the hub.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.applications import Starlette

from connectors.connector import Connector
from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.records import FetchItem, SubjectOutcome
from connectors.registry import build_connector
from tests.e2e.tax_department import facts, manifest_document
from tests.support.servers import serving

ASSESSED_ON = "2026-03-31"
FIELDS = frozenset({"annualTaxableIncome", "taxPaidLastYear", "dependants", "assessedOn"})


class Signer:
    """A department's Ed25519 key, signing the exact bytes of each answer (docs/wire-format.md)."""

    def __init__(self) -> None:
        self._key = Ed25519PrivateKey.generate()
        self._raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_key(self) -> str:
        return base64.b64encode(self._raw).decode()

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self._raw).digest()[:8].hex()

    def headers(self, body: bytes) -> dict[str, str]:
        signature = base64.b64encode(self._key.sign(body)).decode()
        return {"Tongban-Key-Id": self.key_id, "Tongban-Signature": signature}


def full_facts(subject: str) -> dict[str, Any]:
    """Every field of the fuller manifest, as the hub should hand it on."""
    return {
        **facts(subject),
        "dependants": [{"name": "王小明", "relation": "child"}],
        "assessedOn": ASSESSED_ON,
    }


def full_manifest(transport: dict[str, Any], public_key: str | None) -> dict[str, Any]:
    """The tax bureau's manifest with two more fields: a list of objects and a date."""
    document = manifest_document(transport, public_key)
    document["types"] = {
        "Dependant": {
            "description": {"en": "A dependant for tax relief", "zh": "赡养或抚养对象"},
            "fields": {
                "name": {"type": "String!", "description": {"en": "Name", "zh": "姓名"}},
                "relation": {"type": "String!", "description": {"en": "Relation", "zh": "关系"}},
            },
        }
    }
    document["domains"]["tax"]["fields"] |= {
        "dependants": {
            "type": "[Dependant!]",
            "category": "income",
            "description": {"en": "Dependants claimed", "zh": "申报的赡养抚养对象"},
        },
        "assessedOn": {
            "type": "String",
            "category": "income",
            "description": {"en": "Date of the last assessment", "zh": "最近核定日期"},
        },
    }
    return document


class Bureau(Protocol):
    """A department served over HTTP, with the manifest transport that reaches it."""

    @property
    def signer(self) -> Signer: ...

    def app(self) -> Starlette: ...

    def transport(self, url: str) -> dict[str, Any]: ...


B = TypeVar("B", bound=Bureau)


@dataclass(frozen=True)
class Served(Generic[B]):
    bureau: B
    connector: Connector

    async def fetch(self, *items: FetchItem) -> dict[str, SubjectOutcome]:
        return await self.connector.fetch(items)


@asynccontextmanager
async def served(bureau: B) -> AsyncIterator[Served[B]]:
    """``bureau`` on a real socket, and a connector built from its full manifest."""
    async with serving(bureau.app()) as url, HttpClient() as client:
        document = full_manifest(bureau.transport(url), bureau.signer.public_key)
        yield Served(bureau, build_connector(parse_manifest(document, "tax"), client))
