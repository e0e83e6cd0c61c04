"""``python -m bench.run [--quick] [--duration S] [--audit-1m]``: S1 and S2, the hub beside its
baselines and beside itself with policy or audit switched off or with 12 connectors registered;
policy decisions and audit appends per second; departments joining two hub processes at runtime;
with ``--audit-1m``, verifying and proving the audit log at 1,000,000 entries.

The server under test runs alone on core 0; the mock departments, wrk and this process share
core 1. Each server is started afresh for each department latency, checked for a correct answer,
warmed up, then measured. The in-process measurements run first, on core 1, before any department
starts; the departments joining run last. Exits 1 when any measurement failed (the targets only
print).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import uvloop
from rich.console import Console
from rich.markup import escape

from bench.audit_entries import s1_entries
from bench.audit_million import measure_million
from bench.audit_throughput import measure_audit_throughput
from bench.connector_join import ROUNDS, measure_join
from bench.connector_targets import judge_connectors
from bench.cost_targets import AUDIT_RATE_CALLERS, judge_costs, judge_million
from bench.departments import MockDepartments, running_mocks
from bench.errors import BenchFailed
from bench.hub_state import prepare_hub
from bench.interleaved import ROUNDS as INTERLEAVED_ROUNDS
from bench.interleaved import measure_interleaved, turn_seconds
from bench.policy_speed import measure_policy
from bench.processes import LOAD_CORE, SERVER_CORE
from bench.report import RESULTS_DIR, Failure, Outcome, print_report, write_json
from bench.s1 import ATTEMPTS, BUSY, NOISY_SHARE, WARM_UP_SECONDS, measure_s1
from bench.s2 import measure_s2
from bench.servers import (
    BASELINES,
    FLOOR,
    FLOOR_TONGBAN_CLIENT,
    HUB,
    HUB_AGAIN,
    HUB_VARIANTS,
    TWELVE_CONNECTORS,
    Server,
    baseline,
    hub,
    hub_variant,
)
from bench.stores import POSTGRESQL, SQLITE
from bench.subjects import subject_pool
from bench.targets import judge
from bench.unused_connectors import UNUSED_CONNECTORS, unused_manifests
from bench.wrk import ensure_wrk

POPULATION = 100_000
SUBJECTS = 1_000
LATENCIES_MS = (0.0, 5.0)
S2_LATENCY_MS = 0.0
VARIANTS_LATENCY_MS = 0.0
"""Where policy's and audit's share of the hub's time is largest."""
AUDIT_ENTRIES = 50_000
QUICK_AUDIT_ENTRIES = 10_000
AUDIT_CALLERS = (AUDIT_RATE_CALLERS, 256)
"""The rate is judged at the first; the second shows how group commit grows with concurrency."""
MOCK_BASE_PORT = 18101
SERVER_PORT = 18100
REGISTRY_PORT = 18105
"""The fifth department, joining at runtime (the mocks take 18101 to 18104)."""
SECOND_HUB_PORT = 18106
INTERLEAVED_PORTS = (18107, 18108)
"""The floors' ports while they run beside the hub for the interleaved p50@1."""
UNUSED_ENDPOINT = "http://127.0.0.1:18109"
"""Where the 12-connector hub's eight unused connectors point: nothing listens there."""
FULL_SECONDS = 10.0
QUICK_SECONDS = 3.0

MILLION_CACHE = RESULTS_DIR / "audit-1m"

Measured = TypeVar("Measured")

console = Console(width=None if sys.stdout.isatty() else 180)
"""Piped output keeps the table's width rather than rich's 80-column default."""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS:g} s per wrk run")
    parser.add_argument("--duration", type=float, help=f"seconds per wrk run ({FULL_SECONDS:g})")
    parser.add_argument(
        "--audit-1m",
        action="store_true",
        help="also verify and prove a 1,000,000-entry audit log (about 3 min the first time, its"
        f" SQLite log then kept in {MILLION_CACHE}; about 75 s after)",
    )
    args = parser.parse_args()
    seconds = args.duration or (QUICK_SECONDS if args.quick else FULL_SECONDS)
    entries = QUICK_AUDIT_ENTRIES if args.quick else AUDIT_ENTRIES
    try:
        pin_to_load_core()
        ensure_wrk()
        outcome = uvloop.run(_run(seconds, entries, args.audit_1m))
    except BenchFailed as failure:
        sys.exit(f"bench: {failure}")
    verdicts = judge(LATENCIES_MS, outcome.s1, outcome.interleaved, outcome.s2)
    verdicts += judge_costs(VARIANTS_LATENCY_MS, outcome.s1, outcome.audit)
    verdicts += judge_connectors(VARIANTS_LATENCY_MS, outcome.s1, outcome.join)
    verdicts += judge_million(outcome.audit_1m) if args.audit_1m else []
    print_report(console, outcome, verdicts)
    console.print(f"Results: {write_json(outcome, verdicts)}")
    if outcome.failures:
        sys.exit(1)


def pin_to_load_core() -> None:
    """The harness itself must stay off the server's core."""
    cores = os.sched_getaffinity(0)
    if not {SERVER_CORE, LOAD_CORE} <= cores:
        raise BenchFailed(f"needs cores {SERVER_CORE} and {LOAD_CORE}; this process has {cores}")
    os.sched_setaffinity(0, {LOAD_CORE})


async def _run(seconds: float, audit_entries: int, audit_1m: bool) -> Outcome:
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
            "variants_latency_ms": VARIANTS_LATENCY_MS,
            "audit_entries": audit_entries,
            "audit_callers": AUDIT_CALLERS,
            "audit_1m": audit_1m,
            "join_rounds": ROUNDS,
            "interleaved_rounds": INTERLEAVED_ROUNDS,
            "unused_connectors": UNUSED_CONNECTORS,
            "unused_endpoint": UNUSED_ENDPOINT,
        }
    )
    subjects = subject_pool(POPULATION, SUBJECTS)
    await _in_process(outcome, subjects, audit_entries, audit_1m)
    with (
        tempfile.TemporaryDirectory(prefix="tongban-bench-") as directory,
        tempfile.TemporaryDirectory(prefix="tongban-bench-12-") as crowded_directory,
    ):
        data_dir, crowded_dir = Path(directory), Path(crowded_directory)
        async with running_mocks(MOCK_BASE_PORT, POPULATION) as mocks:
            api_key = await prepare_hub(data_dir, mocks.urls, subjects)
            unused = unused_manifests(UNUSED_ENDPOINT)
            crowded_key = await prepare_hub(crowded_dir, mocks.urls, subjects, unused)
            servers = [
                *(baseline(name, SERVER_PORT, MOCK_BASE_PORT) for name in BASELINES),
                hub(SERVER_PORT, data_dir, api_key),
            ]
            variants = [  # the 12-connector hub between the hub's two measurements
                hub(SERVER_PORT, crowded_dir, crowded_key, TWELVE_CONNECTORS),
                hub(SERVER_PORT, data_dir, api_key, HUB_AGAIN),
                *(hub_variant(name, SERVER_PORT, data_dir, api_key) for name in HUB_VARIANTS),
            ]
            for latency in LATENCIES_MS:
                await mocks.set_latency(latency)
                for server in servers + (variants if latency == VARIANTS_LATENCY_MS else []):
                    await _measure(outcome, server, subjects, mocks, latency, seconds)
                side_by_side = [hub(SERVER_PORT, data_dir, api_key), *floors_beside_the_hub()]
                turn = turn_seconds(seconds)
                interleaving = measure_interleaved(side_by_side, subjects, latency, turn)
                scenario = f"S1 p50@1 at {latency:g} ms"
                interleaved = await _attempted(outcome, scenario, "interleaved", interleaving)
                outcome.interleaved += [] if interleaved is None else [interleaved]
            joining = measure_join(mocks.urls, (SERVER_PORT, SECOND_HUB_PORT), REGISTRY_PORT)
            outcome.join = await _attempted(outcome, "connector joins", "two hubs", joining)
    return outcome


def floors_beside_the_hub() -> list[Server]:
    floors = (FLOOR, FLOOR_TONGBAN_CLIENT)
    ports = INTERLEAVED_PORTS
    return [baseline(name, port, MOCK_BASE_PORT) for name, port in zip(floors, ports, strict=True)]


async def _in_process(
    outcome: Outcome, subjects: list[str], audit_entries: int, audit_1m: bool
) -> None:
    """Policy decisions and the audit log's own speed; none of them calls a department."""
    outcome.policy = await _attempted(outcome, "policy decisions", "in process", measure_policy())
    entries = s1_entries(subjects, 0, audit_entries)
    for backend in (SQLITE, POSTGRESQL):
        for callers in AUDIT_CALLERS:
            measuring = measure_audit_throughput(backend, entries, callers)
            throughput = await _attempted(outcome, "audit appends", backend, measuring)
            outcome.audit += [] if throughput is None else [throughput]
    if audit_1m:
        measuring_1m = measure_million(MILLION_CACHE)
        outcome.audit_1m = await _attempted(outcome, "audit log at 1M", "both stores", measuring_1m)


async def _attempted(
    outcome: Outcome, scenario: str, subject: str, measuring: Coroutine[Any, Any, Measured]
) -> Measured | None:
    """A failure is recorded and the run goes on, as for servers."""
    console.print(f"{scenario} ({subject})…")
    try:
        return await measuring
    except BenchFailed as failure:
        _failed(outcome, Failure(scenario, subject, None, str(failure)))
        return None


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
        _failed(outcome, Failure(scenario, server.name, latency, str(failure)))


def _failed(outcome: Outcome, failure: Failure) -> None:
    outcome.failures.append(failure)
    console.print(
        f"[bold red]{escape(failure.text)} failed:[/] {escape(failure.error)}", highlight=False
    )


if __name__ == "__main__":
    main()
