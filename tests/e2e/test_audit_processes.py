"""The audit log across real hub processes on one PostgreSQL: a hub killed under load loses no
answered entry, and four hubs appending at once keep one log, in one order, that verifies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from hub.store import Store, open_store
from tests.e2e.conftest import Departments
from tests.e2e.hub_processes import Deployment, HubProcess, deploy, drive, sequenced, verified_log

pytestmark = pytest.mark.postgres


@pytest.fixture
async def store(postgres_url: str) -> AsyncIterator[Store]:
    opened = await open_store(postgres_url)
    yield opened
    await opened.close()


@pytest.fixture
async def deployment(
    store: Store, postgres_url: str, departments: Departments, tmp_path: Path
) -> Deployment:
    return await deploy(store, postgres_url, departments.urls, tmp_path)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as opened:
        yield opened


def subjects(departments: Departments) -> list[str]:
    return [person.id for person in departments.population.people]


async def test_every_answer_of_a_hub_killed_under_load_is_in_the_log_after_restart(
    store: Store,
    deployment: Deployment,
    departments: Departments,
    session: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    hub = HubProcess(deployment, tmp_path / "hub.log")
    await hub.start(session)
    answered: dict[str, int] = {}
    load = asyncio.create_task(
        drive(session, [hub], deployment.portal_key, subjects(departments), 20_000, 48, answered)
    )
    async with asyncio.timeout(30):
        while len(answered) < 1_500:  # noqa: ASYNC110 — the load task fills it
            await asyncio.sleep(0.01)
    await hub.kill()
    await load

    await hub.start(session)
    after: dict[str, int] = {}
    await drive(session, [hub], deployment.portal_key, subjects(departments), 50, 8, after, "after")
    await sequenced(store, len(answered) + len(after))
    await hub.stop()

    log, request_ids = await verified_log(store, deployment)
    assert set(answered.values()) == set(after.values()) == {200}
    assert len(answered) < 20_000, "the hub died under load"
    assert set(answered) | set(after) <= set(request_ids)
    assert len(after) == 50
    assert log.entries == len(request_ids) == len(set(request_ids))


async def test_four_hubs_appending_at_once_keep_one_log_that_verifies(
    store: Store,
    deployment: Deployment,
    departments: Departments,
    session: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    hubs = [HubProcess(deployment, tmp_path / f"hub-{n}.log") for n in range(4)]
    await asyncio.gather(*(hub.start(session) for hub in hubs))
    answered: dict[str, int] = {}

    await drive(session, hubs, deployment.portal_key, subjects(departments), 10_000, 64, answered)
    await sequenced(store, 10_000)
    await asyncio.gather(*(hub.stop() for hub in hubs))

    log, request_ids = await verified_log(store, deployment)
    assert set(answered.values()) == {200}
    assert log.entries == len(request_ids) == 10_000
    assert set(request_ids) == set(answered) == {f"load-{n}" for n in range(10_000)}
    assert log.checkpoints > 1
