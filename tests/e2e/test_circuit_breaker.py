"""A department that keeps failing is not asked again until a probe: its domains fail fast with
SOURCE_CIRCUIT_OPEN, the rest of the profile answers, and admins see the circuit's state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from hub import demo
from hub.roles import Role
from hub.store import ConnectorStatus, Store, open_store
from tests.e2e.conftest import DEPARTMENT_TIMEOUT_MS, Departments, HubClient, serve_hub

THRESHOLD = 3
COOLDOWN_MS = 500
"""Long enough that a test's next query comes well inside it, short enough to wait out."""
PROBE_WAIT_SECONDS = 10.0
"""How long a test waits for the probe before failing: generous, as speed is bench/'s."""

CIRCUITS = "{ connectors { department circuit { state consecutiveFailures lastFailure } } }"


async def _register_departments(store: Store, departments: Departments) -> None:
    for department, url in departments.urls.items():
        manifest = load_manifest_file(BUILTIN_MANIFESTS / f"{department}.yaml")
        document: dict[str, Any] = manifest.model_dump(mode="json")
        document["transport"]["endpoint"] = url
        document["timeout_ms"] = DEPARTMENT_TIMEOUT_MS
        document["circuit"] = {"failure_threshold": THRESHOLD, "cooldown_ms": COOLDOWN_MS}
        await store.put_connector(department, document, ConnectorStatus.APPROVED)


@pytest.fixture
async def hub(departments: Departments, tmp_path: Path) -> AsyncIterator[HubClient]:
    """A hub of its own: circuits opened here must not leak into other tests' hub."""
    store = await open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    await _register_departments(store, departments)
    keys = await demo.issue_demo_keys(store)
    portal = await demo.demo_client_id(store, Role.PORTAL)
    await demo.grant_profile_consent(store, portal, departments.samples["ordinary"], health=True)
    async for client in serve_hub(store, departments.urls, keys=keys):
        yield client


async def _identity_code(hub: HubClient, departments: Departments) -> str | None:
    """The error code of the police's identity domain, None if it answered; the departments
    that did not fail must answer every time."""
    body = await hub.profile(departments.samples["ordinary"])
    citizen = body["data"]["citizen"]
    assert citizen["employment"] is not None, body
    assert citizen["property"] is not None, body
    codes = {e["extensions"]["code"] for e in body.get("errors", []) if e["path"][-1] == "identity"}
    return codes.pop() if codes else None


async def _open_circuit(hub: HubClient, departments: Departments, code: str) -> None:
    for _ in range(THRESHOLD):
        assert await _identity_code(hub, departments) == code


async def _circuit(hub: HubClient, department: str) -> dict[str, Any]:
    status, body = await hub.post(CIRCUITS, role="admin")
    assert status == 200, body
    (listed,) = (c for c in body["data"]["connectors"] if c["department"] == department)
    circuit: dict[str, Any] = listed["circuit"]
    return circuit


async def _probe_outcome(hub: HubClient, departments: Departments) -> str | None:
    """Query until the probe goes out after the cool-down; its outcome's code."""
    async with asyncio.timeout(PROBE_WAIT_SECONDS):
        while (code := await _identity_code(hub, departments)) == "SOURCE_CIRCUIT_OPEN":  # noqa: ASYNC110 — the cool-down runs in the hub
            await asyncio.sleep(0.05)
    return code


async def test_department_failing_n_times_is_not_asked_until_the_probe(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", error_rate=1.0)
    await _open_circuit(hub, departments, "SOURCE_UNAVAILABLE")
    asked = await departments.batches("police")

    assert await _identity_code(hub, departments) == "SOURCE_CIRCUIT_OPEN"
    assert await _identity_code(hub, departments) == "SOURCE_CIRCUIT_OPEN"
    assert await departments.batches("police") == asked


async def test_timeouts_open_the_circuit_and_then_nothing_waits_for_the_department(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", hang=True)
    await _open_circuit(hub, departments, "SOURCE_TIMEOUT")
    asked = await departments.batches("police")

    assert await _identity_code(hub, departments) == "SOURCE_CIRCUIT_OPEN"
    assert await departments.batches("police") == asked


async def test_probe_after_the_cooldown_closes_the_circuit_when_the_department_is_back(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", error_rate=1.0)
    await _open_circuit(hub, departments, "SOURCE_UNAVAILABLE")
    await departments.set_faults("police")
    asked = await departments.batches("police")

    assert await _probe_outcome(hub, departments) is None

    assert await departments.batches("police") == asked + 1, "one probe, and it answered"
    assert await _identity_code(hub, departments) is None
    assert (await _circuit(hub, "police"))["state"] == "CLOSED"


async def test_failed_probe_opens_the_circuit_for_another_cooldown(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", error_rate=1.0)
    await _open_circuit(hub, departments, "SOURCE_UNAVAILABLE")
    asked = await departments.batches("police")

    assert await _probe_outcome(hub, departments) == "SOURCE_UNAVAILABLE"

    assert await _identity_code(hub, departments) == "SOURCE_CIRCUIT_OPEN"
    assert await departments.batches("police") == asked + 1
    assert (await _circuit(hub, "police"))["consecutiveFailures"] == THRESHOLD + 1


async def test_wrong_answers_do_not_open_the_circuit(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", bad_signature=True)

    for _ in range(THRESHOLD + 1):
        assert await _identity_code(hub, departments) == "SOURCE_SIGNATURE_INVALID"
    assert (await _circuit(hub, "police"))["state"] == "CLOSED"


async def test_admins_and_readyz_see_the_open_circuit(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", error_rate=1.0)
    await _open_circuit(hub, departments, "SOURCE_UNAVAILABLE")

    police = await _circuit(hub, "police")
    async with hub.session.get(f"{hub.url}/readyz") as answer:
        ready = await answer.json()

    assert police["state"] == "OPEN"
    assert police["consecutiveFailures"] == THRESHOLD
    assert "injected fault" in police["lastFailure"]
    assert (await _circuit(hub, "hrss"))["state"] == "CLOSED"
    assert ready["ready"] is True
    assert ready["connectors"]["police"]["circuit"]["state"] == "open"
    assert ready["connectors"]["hrss"]["circuit"]["state"] == "closed"
