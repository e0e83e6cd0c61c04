"""A fifth department joins at runtime: registered over HTTP, approved, answering in a second
hub process on the same PostgreSQL, updated with a new key and disabled, while queries keep
running across every swap."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from connectors.signing import key_id
from hub.store import Store, open_store
from tests.e2e.conftest import Departments, HubClient, serve_hub
from tests.e2e.joining import DECIDE, REGISTER, data, department_key, eventually, has_tax
from tests.e2e.tax_department import TaxBureau, expected_income, manifest
from tests.support.servers import serving

pytestmark = pytest.mark.postgres

TAX_QUERY = """
query Tax($id: ID!) {
  citizen(id: $id, purpose: "CITIZEN_PROFILE") {
    tax { annualTaxableIncome provenance { department keyId } }
  }
}
"""
IDENTITY_QUERY = """
query Identity($id: ID!) { citizen(id: $id, purpose: "CITIZEN_PROFILE") { identity { name } } }
"""


@dataclass(frozen=True)
class Deployment:
    first: HubClient
    second: HubClient
    bureau: TaxBureau
    bureau_url: str
    subject: str


@pytest.fixture
async def deployment(departments: Departments, postgres_url: str) -> AsyncIterator[Deployment]:
    subject = departments.samples["ordinary"]
    bureau = TaxBureau()
    async with contextlib.AsyncExitStack() as stack:
        stores = [await open_store(postgres_url) for _ in range(2)]
        first = await stack.enter_async_context(_hub(stores[0], departments, [subject]))
        keys = {**first.keys, "tax": await department_key(stores[0], "tax")}
        first = HubClient(first.url, first.session, keys, first.store)
        second = await stack.enter_async_context(_hub(stores[1], departments, [], keys))
        bureau_url = await stack.enter_async_context(serving(bureau.app()))
        yield Deployment(first, second, bureau, bureau_url, subject)


@contextlib.asynccontextmanager
async def _hub(
    store: Store,
    departments: Departments,
    consenting: list[str],
    keys: dict[str, str] | None = None,
) -> AsyncIterator[HubClient]:
    async for client in serve_hub(store, departments.urls, consenting, keys):
        yield client


async def _tax_key_id(hub: HubClient, subject: str) -> str | None:
    _, body = await hub.post(TAX_QUERY, {"id": subject})
    if "errors" in body:
        return None
    key: str = body["data"]["citizen"]["tax"]["provenance"]["keyId"]
    return key


def _raw_key(bureau: TaxBureau) -> bytes:
    return base64.b64decode(bureau.public_key)


class Traffic:
    """Queries running on both hubs throughout: every answer must be whole, or refused with a
    stable code — never a server error, never a blank profile."""

    def __init__(self, deployment: Deployment) -> None:
        self._deployment = deployment
        self.answers = 0
        self.failures: list[Any] = []
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        deployment = self._deployment
        while True:
            for hub in (deployment.first, deployment.second):
                for query in (IDENTITY_QUERY, TAX_QUERY):
                    status, body = await hub.post(query, {"id": deployment.subject})
                    self.answers += 1
                    if status != 200 or not _acceptable(query, body):
                        self.failures.append(body)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def _acceptable(query: str, body: dict[str, Any]) -> bool:
    errors = body.get("errors", [])
    if query is IDENTITY_QUERY:
        return not errors and body["data"]["citizen"]["identity"]["name"]
    codes = {error.get("extensions", {}).get("code") for error in errors}
    refused_by_schema = codes == {"GRAPHQL_VALIDATION_FAILED"}  # no tax field right now
    disabled = codes == {"SOURCE_DISABLED"}
    return not errors or refused_by_schema or disabled


async def test_a_fifth_department_joins_rotates_its_key_and_leaves_across_hub_processes(
    deployment: Deployment,
) -> None:
    first, second, bureau = deployment.first, deployment.second, deployment.bureau
    traffic = Traffic(deployment)

    registered = await data(
        first, REGISTER, {"manifest": manifest(deployment.bureau_url, bureau.public_key)}, "tax"
    )
    assert registered["registerConnector"]["status"] == "PENDING"
    assert not await has_tax(second)

    await data(first, DECIDE.format(action="approveConnector"), {}, "admin")
    await eventually(lambda: has_tax(second))
    answered = await data(second, TAX_QUERY, {"id": deployment.subject}, "portal")
    tax = answered["citizen"]["tax"]
    assert tax["annualTaxableIncome"] == expected_income(deployment.subject)
    assert tax["provenance"] == {"department": "tax", "keyId": key_id(_raw_key(bureau))}

    # One key per manifest: the bureau switches keys while its update waits for approval, when
    # no hub process asks it anything.
    next_key = bureau.next_key()
    rotated = manifest(deployment.bureau_url, next_key)
    updated = await data(first, REGISTER, {"manifest": rotated}, "tax")
    assert updated["registerConnector"] == {"department": "tax", "status": "PENDING", "version": 3}
    await eventually(lambda: _lacks_tax(second))
    await eventually(lambda: _lacks_tax(first))
    bureau.rotate_key()
    await data(first, DECIDE.format(action="approveConnector"), {}, "admin")
    new_key = key_id(_raw_key(bureau))
    await eventually(lambda: _key_is(second, deployment.subject, new_key))

    await data(first, DECIDE.format(action="disableConnector"), {}, "tax")
    await eventually(lambda: _lacks_tax(second))
    await eventually(lambda: _lacks_tax(first))

    await traffic.stop()
    assert traffic.failures == [], {str(f)[:300] for f in traffic.failures}
    assert traffic.answers > 0


async def _key_is(hub: HubClient, subject: str, expected: str) -> bool:
    return await _tax_key_id(hub, subject) == expected


async def _lacks_tax(hub: HubClient) -> bool:
    return not await has_tax(hub)
