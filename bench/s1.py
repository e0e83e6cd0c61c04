"""S1: one citizen's profile, six fields from four departments, at concurrency 32 and 1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp

from bench.answers import post_checked
from bench.cpu import busy_fraction, core_times
from bench.departments import MockDepartments
from bench.processes import LOAD_CORE, SERVER_CORE
from bench.servers import Server
from bench.wrk import run_wrk

BUSY = 32
WARM_UP_SECONDS = 1.0


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
    server_core_busy: float
    load_core_busy: float
    verifies_signatures: bool


async def measure_s1(
    server: Server,
    subjects: Sequence[str],
    mocks: MockDepartments,
    latency_ms: float,
    seconds: float,
) -> S1Result:
    """Expects the server running; checks one answer first, then warms it up, then measures."""
    async with aiohttp.ClientSession() as session:
        await post_checked(session, server.url, server.headers, server.body(subjects[0]))
    bodies = [server.body(subject) for subject in subjects]
    await run_wrk(server.url, bodies, server.headers, BUSY, WARM_UP_SECONDS)
    await mocks.reset_stats()
    before = core_times()
    busy = await run_wrk(server.url, bodies, server.headers, BUSY, seconds)
    after = core_times()
    calls = sum((await mocks.batches()).values())
    idle = await run_wrk(server.url, bodies, server.headers, 1, seconds)
    return S1Result(
        server=server.name,
        latency_ms=latency_ms,
        rps_32=busy.rps,
        p50_32_ms=busy.p50_ms,
        p99_32_ms=busy.p99_ms,
        p50_1_ms=idle.p50_ms,
        calls_per_query=calls / busy.requests,
        server_core_busy=busy_fraction(before, after, SERVER_CORE),
        load_core_busy=busy_fraction(before, after, LOAD_CORE),
        verifies_signatures=server.verifies_signatures,
    )
