"""One failing department never sinks the others: its domains carry a coded error."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from hub.store import open_store
from tests.e2e.conftest import DEPARTMENT_TIMEOUT_MS, Departments, HubClient, serve_hub

POLICE_DOMAINS = ("identity", "household")
OTHER_DOMAINS = ("employment", "socialInsurance", "property", "health")


def _errors_by_domain(body: dict[str, Any]) -> dict[str, str]:
    return {error["path"][-1]: error["extensions"]["code"] for error in body.get("errors", [])}


@pytest.mark.parametrize(
    ("knobs", "code"),
    [
        ({"error_rate": 1.0}, "SOURCE_UNAVAILABLE"),
        ({"garbage": True}, "SOURCE_BAD_RESPONSE"),
        ({"bad_signature": True}, "SOURCE_SIGNATURE_INVALID"),
        ({"hang": True}, "SOURCE_TIMEOUT"),
    ],
)
async def test_failing_department_gives_coded_error_and_the_rest_answers(
    hub: HubClient, departments: Departments, knobs: dict[str, float | bool], code: str
) -> None:
    await departments.set_faults("police", **knobs)

    body = await hub.profile(departments.samples["ordinary"])

    citizen = body["data"]["citizen"]
    assert _errors_by_domain(body) == dict.fromkeys(POLICE_DOMAINS, code)
    assert all(citizen[domain] is None for domain in POLICE_DOMAINS)
    assert all(citizen[domain] is not None for domain in OTHER_DOMAINS)
    assert all(e["extensions"]["department"] == "police" for e in body["errors"])


async def test_hanging_department_costs_about_one_timeout(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("housing", hang=True)

    started = time.monotonic()
    body = await hub.profile(departments.samples["ordinary"])
    elapsed = time.monotonic() - started

    assert _errors_by_domain(body) == {"property": "SOURCE_TIMEOUT"}
    # Bounds, not a benchmark: the answer waits for the timeout, and not much longer.
    assert DEPARTMENT_TIMEOUT_MS / 1000 <= elapsed < 3 * DEPARTMENT_TIMEOUT_MS / 1000


async def test_unreachable_department_is_source_unavailable(
    departments: Departments, tmp_path: Path
) -> None:
    urls = {**departments.urls, "hrss": "http://127.0.0.1:9"}  # nothing listens on discard
    store = await open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    async for hub in serve_hub(store, urls, departments.samples.values()):
        body = await hub.profile(departments.samples["ordinary"])

        assert _errors_by_domain(body) == dict.fromkeys(
            ("employment", "socialInsurance"), "SOURCE_UNAVAILABLE"
        )
        assert body["data"]["citizen"]["identity"]["name"]


async def test_requests_queued_behind_a_hung_call_wait_no_second_timeout(
    hub: HubClient, departments: Departments
) -> None:
    await departments.set_faults("police", hang=True)

    async def profile_after(delay: float) -> float:
        await asyncio.sleep(delay)
        started = time.monotonic()
        body = await hub.profile(departments.samples["ordinary"])
        assert _errors_by_domain(body)["identity"] == "SOURCE_TIMEOUT"
        return time.monotonic() - started

    timeout = DEPARTMENT_TIMEOUT_MS / 1000
    waits = await asyncio.gather(*(profile_after(timeout * i / 4) for i in range(4)))

    # Without failing the queue with the hung call, the later ones would wait ~2 timeouts.
    assert max(waits) < 1.5 * timeout, waits
