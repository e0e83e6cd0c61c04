"""``python -m bench.run [--quick] [--duration S]``: S1 and S2, the hub beside its baselines.

The server under test runs alone on core 0; the mock departments, wrk and this process share
core 1. Each server is started afresh for each department latency, checked for a correct answer,
warmed up, then measured. Exits 1 when any measurement failed (the targets only print).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import uvloop
from rich.console import Console
from rich.markup import escape

from bench.departments import MockDepartments, running_mocks
from bench.errors import BenchFailed
from bench.hub_state import prepare_hub
from bench.processes import LOAD_CORE, SERVER_CORE
from bench.report import Failure, Outcome, print_report, write_json
from bench.s1 import ATTEMPTS, BUSY, NOISY_SHARE, WARM_UP_SECONDS, measure_s1
from bench.s2 import measure_s2
from bench.servers import BASELINES, HUB, Server, baseline, hub
from bench.subjects import subject_pool
from bench.targets import judge
from bench.wrk import ensure_wrk

POPULATION = 100_000
SUBJECTS = 1_000
LATENCIES_MS = (0.0, 5.0)
S2_LATENCY_MS = 0.0
MOCK_BASE_PORT = 18101
SERVER_PORT = 18100
FULL_SECONDS = 10.0
QUICK_SECONDS = 3.0

console = Console(width=None if sys.stdout.isatty() else 180)
"""Piped output keeps the table's width rather than rich's 80-column default."""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS:g} s per wrk run")
    parser.add_argument("--duration", type=float, help=f"seconds per wrk run ({FULL_SECONDS:g})")
    args = parser.parse_args()
    seconds = args.duration or (QUICK_SECONDS if args.quick else FULL_SECONDS)
    try:
        _pin_to_load_core()
        ensure_wrk()
        outcome = uvloop.run(_run(seconds))
    except BenchFailed as failure:
        sys.exit(f"bench: {failure}")
    verdicts = judge(LATENCIES_MS, outcome.s1, outcome.s2)
    print_report(console, outcome, verdicts)
    console.print(f"Results: {write_json(outcome, verdicts)}")
    if outcome.failures:
        sys.exit(1)


def _pin_to_load_core() -> None:
    """The harness itself must stay off the server's core."""
    cores = os.sched_getaffinity(0)
    if not {SERVER_CORE, LOAD_CORE} <= cores:
        raise BenchFailed(f"needs cores {SERVER_CORE} and {LOAD_CORE}; this process has {cores}")
    os.sched_setaffinity(0, {LOAD_CORE})


async def _run(seconds: float) -> Outcome:
    outcome = Outcome(
        settings={
            "seconds_per_run": seconds,
            "warm_up_seconds": WARM_UP_SECONDS,
            "noisy_share": NOISY_SHARE,
            "attempts_when_noisy": ATTEMPTS,
            "concurrency": [BUSY, 1],
            "population": POPULATION,
            "distinct_subjects": SUBJECTS,
            "latencies_ms": LATENCIES_MS,
        }
    )
    subjects = subject_pool(POPULATION, SUBJECTS)
    with tempfile.TemporaryDirectory(prefix="tongban-bench-") as data_dir:
        async with running_mocks(MOCK_BASE_PORT, POPULATION) as mocks:
            api_key = await prepare_hub(Path(data_dir), mocks.urls, subjects)
            servers = [
                *(baseline(name, SERVER_PORT, MOCK_BASE_PORT) for name in BASELINES),
                hub(SERVER_PORT, Path(data_dir), api_key),
            ]
            for latency in LATENCIES_MS:
                await mocks.set_latency(latency)
                for server in servers:
                    await _measure(outcome, server, subjects, mocks, latency, seconds)
    return outcome


async def _measure(
    outcome: Outcome,
    server: Server,
    subjects: list[str],
    mocks: MockDepartments,
    latency: float,
    seconds: float,
) -> None:
    """A failure is recorded and the run goes on: the other servers' numbers still count."""
    scenario = "S1"
    console.print(f"{scenario} {server.name} at {latency:g} ms department latency…")
    try:
        async with server.running() as process:
            result = await measure_s1(server, process.pid, subjects, mocks, latency, seconds)
            outcome.s1.append(result)
            if server.name == HUB and latency == S2_LATENCY_MS:
                scenario = "S2"
                console.print(f"S2 {server.name} with {len(subjects):,} ids…")
                outcome.s2 = await measure_s2(server, subjects, mocks)
    except BenchFailed as failure:
        outcome.failures.append(Failure(scenario, server.name, latency, str(failure)))
        console.print(
            f"[bold red]{scenario} {server.name} failed:[/] {escape(str(failure))}", highlight=False
        )


if __name__ == "__main__":
    main()
