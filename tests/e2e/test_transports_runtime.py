"""A tax bureau joins a running hub over each new transport — its own GraphQL service, its own
JSON, a PostgreSQL view, a plugin — through ``registerConnector`` and an admin's approval, and is
queried through the hub beside the built-in departments. A broken one costs only its own domain."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from hub.store import open_store
from tests.connectors.departments import Bureau, full_facts, full_manifest
from tests.connectors.graphql_department import GraphQLBureau
from tests.connectors.ledger_plugin import install
from tests.connectors.own_json_department import OwnJsonBureau
from tests.connectors.tax_view import COLUMNS, create_tax_view
from tests.e2e.conftest import Departments, HubClient, serve_hub
from tests.e2e.joining import DECIDE, REGISTER, data, department_key, eventually, has_tax
from tests.support.servers import serving
from tests.support.yaml_bomb import yaml_bomb

PROFILE = """
query Profile($id: ID!) {
  citizen(id: $id, purpose: "CITIZEN_PROFILE") {
    identity { name }
    tax { annualTaxableIncome taxPaidLastYear dependants { name relation } assessedOn
          provenance { department signatureVerified keyId } }
  }
}
"""


@pytest.fixture
async def hub(departments: Departments, tmp_path: Path) -> AsyncIterator[HubClient]:
    """A hub of its own (the bureau changes its schema), with a key for the tax bureau."""
    store = await open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    async for client in serve_hub(store, departments.urls, [departments.samples["ordinary"]]):
        keys = {**client.keys, "tax": await department_key(store, "tax")}
        yield HubClient(client.url, client.session, keys, store)


@pytest.fixture
def subject(departments: Departments) -> str:
    return departments.samples["ordinary"]


async def _join(hub: HubClient, document: dict[str, Any]) -> None:
    manifest = json.dumps(document, ensure_ascii=False)
    registered = await data(hub, REGISTER, {"manifest": manifest}, "tax")
    assert registered["registerConnector"]["status"] == "PENDING"
    await data(hub, DECIDE.format(action="approveConnector"), {}, "admin")
    await eventually(lambda: has_tax(hub))


async def _profile(hub: HubClient, subject: str) -> dict[str, Any]:
    status, body = await hub.post(PROFILE, {"id": subject})
    assert status == 200, body
    assert body["data"]["citizen"]["identity"]["name"], body  # the rest of the profile answers
    return body


def _answered_tax(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    tax: dict[str, Any] = body["data"]["citizen"]["tax"]
    return tax


def _failed_tax(body: dict[str, Any]) -> tuple[str, str]:
    assert body["data"]["citizen"]["tax"] is None
    (error,) = body["errors"]
    assert error["path"] == ["citizen", "tax"]
    return error["extensions"]["code"], error["message"]


def _signed_by(bureau: Bureau) -> dict[str, Any]:
    return {"department": "tax", "signatureVerified": True, "keyId": bureau.signer.key_id}


@pytest.mark.parametrize("kind", [GraphQLBureau, OwnJsonBureau], ids=["graphql", "own-json"])
async def test_a_department_over_its_own_api_joins_at_runtime_and_answers_signed(
    hub: HubClient, subject: str, kind: type[GraphQLBureau | OwnJsonBureau]
) -> None:
    bureau = kind()
    async with serving(bureau.app()) as url:
        await _join(hub, full_manifest(bureau.transport(url), bureau.signer.public_key))
        tax = _answered_tax(await _profile(hub, subject))

    assert tax == {**full_facts(subject), "provenance": _signed_by(bureau)}


async def test_a_department_answering_garbage_costs_only_its_own_domain(
    hub: HubClient, subject: str
) -> None:
    bureau = GraphQLBureau()
    async with serving(bureau.app()) as url:
        await _join(hub, full_manifest(bureau.transport(url), bureau.signer.public_key))
        bureau.mode = "garbage"
        code, message = _failed_tax(await _profile(hub, subject))

    assert code == "SOURCE_BAD_RESPONSE"
    assert "tax" in message


def _view_transport(dsn: str, **changes: Any) -> dict[str, Any]:
    transport = {"kind": "postgres", "dsn": dsn, "view": "tax.citizen_income"}
    return transport | {"id_column": "id_no", "columns": COLUMNS, **changes}


@pytest.fixture
async def view_dsn(postgres_url: str, subject: str) -> str:
    """The tax views in a fresh database; asked first, so the hub (and its pool) goes first."""
    database = await asyncpg.connect(postgres_url)
    try:
        await create_tax_view(database, [subject])
    finally:
        await database.close()
    return postgres_url


@pytest.mark.postgres
async def test_a_postgres_view_joins_at_runtime_and_answers_unsigned(
    view_dsn: str, hub: HubClient, subject: str
) -> None:
    await _join(hub, full_manifest(_view_transport(view_dsn), None))

    tax = _answered_tax(await _profile(hub, subject))

    unsigned = {"department": "tax", "signatureVerified": False, "keyId": None}
    assert tax == {**full_facts(subject), "provenance": unsigned}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("broken", "code", "reason"),
    [
        ("missing column", "SOURCE_BAD_RESPONSE", "paid_total"),
        ("unreachable", "SOURCE_UNAVAILABLE", "cannot reach"),
    ],
)
async def test_a_broken_view_costs_only_its_own_domain(
    view_dsn: str, hub: HubClient, subject: str, broken: str, code: str, reason: str
) -> None:
    if broken == "missing column":
        transport = _view_transport(view_dsn, columns={**COLUMNS, "taxPaidLastYear": "paid_total"})
    else:
        transport = _view_transport(f"postgresql://postgres@127.0.0.1:{_closed_port()}/tax")
    await _join(hub, full_manifest(transport, None))

    failed = _failed_tax(await _profile(hub, subject))

    assert failed[0] == code
    assert reason in failed[1]


async def test_a_plugin_joins_at_runtime_through_its_entry_point(
    hub: HubClient, subject: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(install(tmp_path))
    transport = {"kind": "plugin", "name": "ledger", "options": {"incomes": {subject: 52_000.0}}}
    await _join(hub, full_manifest(transport, None))

    tax = _answered_tax(await _profile(hub, subject))

    assert tax["annualTaxableIncome"] == 52_000.0
    assert tax["provenance"] == {"department": "tax", "signatureVerified": False, "keyId": None}


async def test_registering_an_unknown_plugin_is_refused_at_its_place(hub: HubClient) -> None:
    transport = {"kind": "plugin", "name": "abacus"}
    manifest = json.dumps(full_manifest(transport, None))

    status, body = await hub.post(REGISTER, {"manifest": manifest}, role="tax")

    assert status == 200
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "MANIFEST_INVALID"
    assert "transport.name: plugin 'abacus' is not installed" in error["message"]
    assert not await has_tax(hub)


async def test_a_yaml_bomb_is_refused_and_the_schema_stays_as_it_was(hub: HubClient) -> None:
    status, body = await hub.post(REGISTER, {"manifest": yaml_bomb()}, role="tax")

    assert status == 200
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "MANIFEST_INVALID"
    assert "aliases" in error["message"]
    assert not await has_tax(hub)
