"""Department calls are batched across concurrent requests (DESIGN.md, "Speed, by design")."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import Departments, HubClient


async def test_concurrent_profiles_share_department_calls(
    hub: HubClient, departments: Departments
) -> None:
    subjects = [person.id for person in departments.population.people[:40]]
    await departments.set_faults("police", latency_ms=100)
    before = await departments.batches("police")

    bodies = await asyncio.gather(*(hub.profile(subject) for subject in subjects))

    assert [body["data"]["citizen"]["id"] for body in bodies] == subjects
    assert all(body["data"]["citizen"]["identity"]["name"] for body in bodies)
    # The first request goes out alone at once; the others queue behind it and leave together.
    calls = await departments.batches("police") - before
    assert 1 <= calls <= 3, calls


async def test_idle_department_is_called_without_waiting_for_company(
    hub: HubClient, departments: Departments
) -> None:
    before = await departments.batches("housing")

    await hub.profile(departments.samples["ordinary"])

    assert await departments.batches("housing") - before == 1
