"""S1: one citizen's profile, six fields from four departments, at concurrency 32 and 1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp

from bench.answers import post_checked
from bench.cpu import CpuShares, cpu_sample, cpu_shares
from bench.departments import MockDepartments
from bench.servers import Server
from bench.wrk import Load, run_wrk

BUSY = 32
WARM_UP_SECONDS = 1.0
NOISY_SHARE = 0.10
"""Other processes taking more of the server's core than this make a measurement untrustworthy."""
ATTEMPTS = 3
"""A noisy measurement is repeated, up to this many in all; the quietest is kept."""


@dataclass(frozen=True, slots=True)
class S1Result:
    server: str
    latency_ms: float
    rps_32: float
    p50_32_ms: float
    p99_32_ms: float
    p50_1_ms: float
    calls_per_query: float
    """Department batch calls (all four departments) per completed query, at concurrency 32."""
    cpu_32: CpuShares
    cpu_1: CpuShares
    verifies_signatures: bool

    @property
    def noisy(self) -> bool:
        return max(self.cpu_32.others, self.cpu_1.others) > NOISY_SHARE


@dataclass(frozen=True, slots=True)
class _Run:
    load: Load
    cpu: CpuShares
    calls_per_query: float


async def ready_for_load(server: Server, subjects: Sequence[str]) -> list[bytes]:
    """Checks one answer of the running ``server``, then warms it up; the bodies to load it with."""
    bodies = [server.body(subject) for subject in subjects]
    async with aiohttp.ClientSession() as session:
        await post_checked(session, server.url, server.headers, bodies[0])
    await run_wrk(server.url, bodies, server.headers, BUSY, WARM_UP_SECONDS)
    return bodies


async def measure_s1(
    server: Server,
    server_pid: int,
    subjects: Sequence[str],
    mocks: MockDepartments,
    latency_ms: float,
    seconds: float,
) -> S1Result:
    """Expects the server running; checks one answer first, then warms it up, then measures."""
    bodies = await ready_for_load(server, subjects)

    async def run(connections: int, duration: float) -> _Run:
        await mocks.reset_stats()
        before = cpu_sample(server_pid)
        load = await run_wrk(server.url, bodies, server.headers, connections, duration)
        cpu = cpu_shares(before, cpu_sample(server_pid))
        calls = sum((await mocks.batches()).values())
        return _Run(load, cpu, calls / load.requests)

    async def quietest(connections: int) -> _Run:
        runs = [await run(connections, seconds)]
        while runs[-1].cpu.others > NOISY_SHARE and len(runs) < ATTEMPTS:
            runs.append(await run(connections, seconds))
        return min(runs, key=lambda attempt: attempt.cpu.others)

    busy = await quietest(BUSY)
    idle = await quietest(1)
    return S1Result(
        server=server.name,
        latency_ms=latency_ms,
        rps_32=busy.load.rps,
        p50_32_ms=busy.load.p50_ms,
        p99_32_ms=busy.load.p99_ms,
        p50_1_ms=idle.load.p50_ms,
        calls_per_query=busy.calls_per_query,
        cpu_32=busy.cpu,
        cpu_1=idle.cpu,
        verifies_signatures=server.verifies_signatures,
    )
