"""The mock departments during a run: started on the load core, steered over their underscore
routes (latency fault, call counters)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Mapping

import aiohttp

from bench.processes import LOAD_CORE, pinned
from mocks.departments import DEPARTMENTS


def department_urls(base_port: int) -> dict[str, str]:
    """``python -m mocks`` serves the departments on consecutive ports, in DEPARTMENTS order."""
    return {name: f"http://127.0.0.1:{base_port + index}" for index, name in enumerate(DEPARTMENTS)}


class MockDepartments:
    def __init__(self, urls: Mapping[str, str], session: aiohttp.ClientSession) -> None:
        self.urls = urls
        self._session = session

    async def set_latency(self, latency_ms: float) -> None:
        """Replaces every fault knob: only the latency is on."""
        for url in self.urls.values():
            async with self._session.put(f"{url}/_faults", json={"latency_ms": latency_ms}) as r:
                r.raise_for_status()

    async def reset_stats(self) -> None:
        for url in self.urls.values():
            async with self._session.post(f"{url}/_stats/reset") as answer:
                answer.raise_for_status()

    async def batches(self) -> dict[str, int]:
        """Batch calls each department has answered since the last reset."""
        counts: dict[str, int] = {}
        for name, url in self.urls.items():
            async with self._session.get(f"{url}/_stats") as answer:
                answer.raise_for_status()
                counts[name] = (await answer.json())["batches"]
        return counts


@contextlib.asynccontextmanager
async def running_mocks(base_port: int, population: int) -> AsyncIterator[MockDepartments]:
    urls = department_urls(base_port)
    command = [sys.executable, "-m", "mocks", "--base-port", str(base_port)]
    ports = [base_port + index for index in range(len(urls))]
    async with (
        pinned(LOAD_CORE, [*command, "--population", str(population)], ports),
        aiohttp.ClientSession() as session,
    ):
        yield MockDepartments(urls, session)
