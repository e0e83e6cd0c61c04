"""The hub and four mock departments on real loopback sockets, shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub import demo
from hub.app import GraphiQLDefaults, create_app, start_hub
from hub.roles import Role
from hub.store import Store, open_store
from mocks.app import create_app as create_department
from mocks.population import Population, build_population
from mocks.samples import find_samples
from tests.support.servers import serving

LOG_ORIGIN = "tongban.test/audit"
HUB_KEY = Ed25519PrivateKey.generate()
DEPARTMENT_TIMEOUT_MS = 2_000
"""Short, so that a hanging department costs a test a couple of seconds; long enough that a
batch of 500 subjects answers within it on a loaded machine (at 1 s, one did not, with a
benchmark running beside the suite)."""

S1_QUERY = """
query Profile($id: ID!, $purpose: String!) {
  citizen(id: $id, purpose: $purpose) {
    id
    identity { name birthDate provenance { department signatureVerified keyId } }
    household { size members { id name } }
    employment { employed monthlyWage provenance { department } }
    socialInsurance { pensionInsured }
    property { propertyCount provenance { department } }
    health { chronicConditions outOfPocketLastYear provenance { department } }
  }
}
"""


@dataclass(frozen=True)
class Departments:
    urls: Mapping[str, str]
    population: Population
    samples: Mapping[str, str]
    session: aiohttp.ClientSession

    async def set_faults(self, department: str, **knobs: float | bool) -> None:
        async with self.session.put(f"{self.urls[department]}/_faults", json=knobs) as answer:
            assert answer.status == 200, await answer.text()

    async def stats(self, department: str) -> dict[str, Any]:
        async with self.session.get(f"{self.urls[department]}/_stats") as answer:
            stats: dict[str, Any] = await answer.json()
            return stats

    async def batches(self, department: str) -> int:
        batches: int = (await self.stats(department))["batches"]
        return batches

    async def reset_stats(self) -> None:
        for url in self.urls.values():
            async with self.session.post(f"{url}/_stats/reset") as answer:
                assert answer.status == 200


@dataclass(frozen=True)
class HubClient:
    url: str
    session: aiohttp.ClientSession
    keys: Mapping[str, str]
    store: Store

    async def post(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        role: str = "portal",
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.keys[role]}", **(headers or {})}
        payload = {"query": query, "variables": variables or {}}
        async with self.session.post(f"{self.url}/graphql", json=payload, headers=headers) as r:
            body: dict[str, Any] = await r.json()
            return r.status, body

    async def profile(self, subject: str, purpose: str = "CITIZEN_PROFILE") -> dict[str, Any]:
        status, body = await self.post(S1_QUERY, {"id": subject, "purpose": purpose})
        assert status == 200, body
        return body


@pytest.fixture(scope="session")
async def departments() -> AsyncIterator[Departments]:
    population = build_population(2_000, seed=0)
    async with AsyncExitStack() as stack:
        urls = {
            name: await stack.enter_async_context(serving(create_department(name, population)))
            for name in demo.DEPARTMENTS
        }
        session = await stack.enter_async_context(aiohttp.ClientSession())
        yield Departments(urls, population, find_samples(population), session)


@pytest.fixture(autouse=True)
async def _faults_cleared(departments: Departments) -> AsyncIterator[None]:
    yield
    for name in departments.urls:
        await departments.set_faults(name)


async def serve_hub(
    store: Store,
    urls: Mapping[str, str],
    consenting: Iterable[str] = (),
    keys: Mapping[str, str] | None = None,
) -> AsyncIterator[HubClient]:
    """The hub on ``store``, its connectors pointed at ``urls``, served on a real socket; the
    ``consenting`` subjects have given the portal client their CITIZEN_PROFILE consents. With
    ``keys``, the store is already set up: this is a second hub process on the same database."""
    if keys is None:
        await demo.register_mock_connectors(store, dict(urls), DEPARTMENT_TIMEOUT_MS)
        keys = await demo.issue_demo_keys(store)
        portal = await demo.demo_client_id(store, Role.PORTAL)
        for subject in consenting:
            await demo.grant_profile_consent(store, portal, subject, health=True)
    hub = await start_hub(store, HUB_KEY, LOG_ORIGIN)
    app = create_app(hub, GraphiQLDefaults(query="{ __typename }", headers="{}"))
    async with serving(app, lifespan="on") as url, aiohttp.ClientSession() as session:
        yield HubClient(url, session, keys, store)


@pytest.fixture(scope="session")
async def hub(
    departments: Departments, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[HubClient]:
    """The hub on embedded SQLite, as the demo runs it."""
    path: Path = tmp_path_factory.mktemp("hub") / "hub.db"
    everyone = [person.id for person in departments.population.people]
    store = await open_store(f"sqlite:///{path}")
    async for client in serve_hub(store, departments.urls, everyone):
        yield client


@pytest.fixture
async def hub_on_postgres(departments: Departments, postgres_url: str) -> AsyncIterator[HubClient]:
    """The hub on PostgreSQL, as production runs it."""
    store = await open_store(postgres_url)
    async for client in serve_hub(store, departments.urls, departments.samples.values()):
        yield client
