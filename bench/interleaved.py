"""S1's p50 at concurrency 1, servers interleaved: the figure the 0.5 ms target is judged on.

This machine's speed drifts: on a shared host the floor's own p50@1 moved between 1.9 and 3.4 ms
across one day's runs, and one hub measured twice in a run moved by up to 1.8 ms. Half a
millisecond cannot be judged from two measurements minutes apart. Here every server runs at once,
all on the server core (each idle while another is measured), and short runs at concurrency 1
take turns, the order rotating each round; a gap is the median over rounds of the two servers'
difference within a round, whose runs are seconds apart.
"""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.s1 import ready_for_load
from bench.servers import Server
from bench.wrk import run_wrk

ROUNDS = 9


def turn_seconds(seconds_per_run: float) -> int:
    """A turn's length for a run of ``seconds_per_run`` elsewhere: a fifth of it, whole (wrk
    takes no fraction), at least one."""
    return max(1, round(seconds_per_run / 5))


@dataclass(frozen=True, slots=True)
class Interleaved:
    latency_ms: float
    seconds_per_run: float
    p50_1_ms: dict[str, list[float]]
    """Server → its p50 at concurrency 1 in each round, in round order."""

    def median(self, server: str) -> float:
        return statistics.median(self.p50_1_ms[server])

    def gap_ms(self, server: str, baseline: str) -> float:
        """The median over rounds of ``server``'s p50@1 minus ``baseline``'s in that round."""
        pairs = zip(self.p50_1_ms[server], self.p50_1_ms[baseline], strict=True)
        return statistics.median(ours - theirs for ours, theirs in pairs)


async def measure_interleaved(
    servers: Sequence[Server],
    subjects: Sequence[str],
    latency_ms: float,
    seconds: float,
    rounds: int = ROUNDS,
) -> Interleaved:
    """``servers`` must listen on distinct ports; each is checked and warmed up first."""
    async with contextlib.AsyncExitStack() as running:
        for server in servers:
            await running.enter_async_context(server.running())
        bodies = {server.name: await ready_for_load(server, subjects) for server in servers}
        p50s: dict[str, list[float]] = {server.name: [] for server in servers}
        for round_ in range(rounds):
            shift = round_ % len(servers)
            for server in [*servers[shift:], *servers[:shift]]:
                load = await run_wrk(server.url, bodies[server.name], server.headers, 1, seconds)
                p50s[server.name].append(load.p50_ms)
    return Interleaved(latency_ms, seconds, p50s)
