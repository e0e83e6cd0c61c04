"""S2: ``citizens`` with 1,000 ids, one query at a time, at 0 ms department latency."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
import orjson

from bench.answers import post_checked
from bench.departments import MockDepartments
from bench.errors import BenchFailed
from bench.queries import S2_QUERY
from bench.servers import Server

RUNS = 20


@dataclass(frozen=True, slots=True)
class S2Result:
    ids: int
    runs: int
    p50_ms: float
    max_ms: float
    requests_per_department: dict[str, float]
    """Batch calls each department answered, per query."""


async def measure_s2(server: Server, subjects: Sequence[str], mocks: MockDepartments) -> S2Result:
    body = orjson.dumps({"query": S2_QUERY, "variables": {"ids": list(subjects)}})
    timings: list[float] = []
    async with aiohttp.ClientSession() as session:
        await _ask(session, server, body, len(subjects))  # warm-up, not counted
        await mocks.reset_stats()
        for _ in range(RUNS):
            started = time.perf_counter()
            await _ask(session, server, body, len(subjects))
            timings.append((time.perf_counter() - started) * 1000)
    calls = await mocks.batches()
    return S2Result(
        ids=len(subjects),
        runs=RUNS,
        p50_ms=statistics.median(timings),
        max_ms=max(timings),
        requests_per_department={name: count / RUNS for name, count in calls.items()},
    )


async def _ask(session: aiohttp.ClientSession, server: Server, body: bytes, expected: int) -> None:
    answer = await post_checked(session, server.url, server.headers, body)
    profiles = answer["data"]["citizens"]
    if len(profiles) != expected:
        raise BenchFailed(f"citizens answered {len(profiles)} profiles for {expected} ids")
