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
"""Other processes taking more of the server's core than this make a row untrustworthy."""


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


async def measure_s1(
    server: Server,
    server_pid: int,
    subjects: Sequence[str],
    mocks: MockDepartments,
    latency_ms: float,
    seconds: float,
) -> S1Result:
    """Expects the server running; checks one answer first, then warms it up, then measures."""
    async with aiohttp.ClientSession() as session:
        await post_checked(session, server.url, server.headers, server.body(subjects[0]))
    bodies = [server.body(subject) for subject in subjects]

    async def load(connections: int, seconds: float) -> tuple[Load, CpuShares]:
        before = cpu_sample(server_pid)
        result = await run_wrk(server.url, bodies, server.headers, connections, seconds)
        return result, cpu_shares(before, cpu_sample(server_pid))

    await load(BUSY, WARM_UP_SECONDS)
    await mocks.reset_stats()
    busy, cpu_32 = await load(BUSY, seconds)
    calls = sum((await mocks.batches()).values())
    idle, cpu_1 = await load(1, seconds)
    return S1Result(
        server=server.name,
        latency_ms=latency_ms,
        rps_32=busy.rps,
        p50_32_ms=busy.p50_ms,
        p99_32_ms=busy.p99_ms,
        p50_1_ms=idle.p50_ms,
        calls_per_query=calls / busy.requests,
        cpu_32=cpu_32,
        cpu_1=cpu_1,
        verifies_signatures=server.verifies_signatures,
    )
