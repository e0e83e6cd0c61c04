"""The run's results: a table and verdicts on the console, every number in a JSON file."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from bench.audit_million import AuditMillion
from bench.audit_throughput import AuditThroughput
from bench.connector_join import ConnectorJoin
from bench.connector_tables import join_table
from bench.cost_tables import audit_table, million_table, policy_table
from bench.interleaved import Interleaved
from bench.policy_speed import PolicySpeed
from bench.s1 import NOISY_SHARE, S1Result
from bench.s2 import S2Result
from bench.servers import (
    AUDIT_OFF,
    BARE,
    FLOOR,
    HUB,
    HUB_AGAIN,
    POLICY_OFF,
    TWELVE_CONNECTORS,
)
from bench.targets import Verdict
from bench.unused_connectors import UNUSED_CONNECTORS

RESULTS_DIR = Path(__file__).with_name("results")


@dataclass(frozen=True, slots=True)
class Failure:
    scenario: str
    server: str
    """The server, or the store, that was measured."""
    latency_ms: float | None
    """The departments' latency, for scenarios that call them."""
    error: str

    @property
    def text(self) -> str:
        at = "" if self.latency_ms is None else f" at {self.latency_ms:g} ms"
        return f"{self.scenario} {self.server}{at}"


@dataclass(slots=True)
class Outcome:
    settings: dict[str, Any]
    s1: list[S1Result] = field(default_factory=list)
    interleaved: list[Interleaved] = field(default_factory=list)
    s2: S2Result | None = None
    policy: PolicySpeed | None = None
    audit: list[AuditThroughput] = field(default_factory=list)
    audit_1m: AuditMillion | None = None
    join: ConnectorJoin | None = None
    failures: list[Failure] = field(default_factory=list)


def print_report(console: Console, outcome: Outcome, verdicts: Sequence[Verdict]) -> None:
    console.print(_table(outcome))
    if outcome.interleaved:
        console.print(interleaved_table(outcome.interleaved))
    console.print(
        "calls/query: department batch calls per query at c=32, all departments together.\n"
        "Baselines do not verify department signatures; tongban verifies every batch.\n"
        f"{POLICY_OFF}: the hub with S1's purpose releasing everything on statutory duty (no"
        f" consent read); {AUDIT_OFF}: the hub recording no audit entry; {BARE}: both.\n"
        f"{TWELVE_CONNECTORS}: tongban serve on a store with {UNUSED_CONNECTORS} more approved"
        " connectors (the built-in four renamed, pointed at a port nothing listens on: S1 never"
        f" asks them); {HUB_AGAIN}: {HUB} measured again after it, to show how far one hub's"
        " numbers move within a run.\n"
        "core0 server: the server's share of its core at c=32. core0 others: other processes' "
        f"share of it at c=32 / c=1 (rows in yellow: above {NOISY_SHARE:.0%}, noisy).\n"
        "core1: busy share of the departments' + wrk's core at c=32.\n"
        f"S1's rps@32 line judges {HUB} with policy and audit on: issues 3 and 4's floor target."
    )
    if outcome.policy is not None:
        console.print(policy_table(outcome.policy))
    if outcome.audit:
        console.print(audit_table(outcome.audit))
    if outcome.audit_1m is not None:
        console.print(million_table(outcome.audit_1m))
    if outcome.join is not None:
        console.print(join_table(outcome.join))
    for failure in outcome.failures:
        console.print(
            f"[bold red]FAILED[/] {escape(failure.text)}: {escape(failure.error)}", highlight=False
        )
    print_verdicts(console, verdicts)


def print_verdicts(console: Console, verdicts: Sequence[Verdict]) -> None:
    for verdict in verdicts:
        mark = "[green]PASS[/]" if verdict.passed else "[bold red]FAIL[/]"
        console.print(f"{mark} {verdict.target}: {verdict.measured}", highlight=False)


def write_json(outcome: Outcome, verdicts: Sequence[Verdict]) -> Path:
    """bench/results/<UTC timestamp>.json."""
    now = datetime.now(UTC)
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{now:%Y%m%dT%H%M%SZ}.json"
    document = {
        "machine": _machine(now),
        "settings": outcome.settings,
        "s1": outcome.s1,
        "s1_interleaved": outcome.interleaved,
        "s2": outcome.s2,
        "policy": outcome.policy,
        "audit": outcome.audit,
        "audit_1m": outcome.audit_1m,
        "connector_join": outcome.join,
        "failures": outcome.failures,
        "verdicts": verdicts,
    }
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
    return path


def _table(outcome: Outcome) -> Table:
    table = Table(
        "scenario", "latency", Column("server", no_wrap=True), "rps@32", "p50@32", "p99@32",
        "p50@1", "calls/query", "× floor", "core0 server", "core0 others", "core1", "signatures",
        title="S1: one profile, six fields from four departments; S2: citizens with 1,000 ids",
    )  # fmt: skip
    floors = {row.latency_ms: row.rps_32 for row in outcome.s1 if row.server == FLOOR}
    for row in outcome.s1:
        floor = floors.get(row.latency_ms)
        table.add_row(
            "S1",
            f"{row.latency_ms:g} ms",
            row.server,
            f"{row.rps_32:,.0f}",
            f"{row.p50_32_ms:.2f} ms",
            f"{row.p99_32_ms:.2f} ms",
            f"{row.p50_1_ms:.2f} ms",
            f"{row.calls_per_query:.3f}",
            "—" if floor is None else f"{row.rps_32 / floor:.2f}×",
            f"{row.cpu_32.server:.0%}",
            f"{row.cpu_32.others:.0%} / {row.cpu_1.others:.0%}",
            f"{row.cpu_32.load_core:.0%}",
            "verified" if row.verifies_signatures else "skipped",
            style="yellow" if row.noisy else None,
        )
    if outcome.s2 is not None:
        s2 = outcome.s2
        calls = s2.requests_per_department.values()
        table.add_row(
            f"S2 ({s2.ids:,} ids)", "0 ms", HUB, "—", "—", "—",
            f"{s2.p50_ms:.0f} ms (max {s2.max_ms:.0f})",
            f"{sum(calls):g} (≤ {max(calls):g} per dept)", "—", "—", "—", "—", "verified",
        )  # fmt: skip
    return table


def interleaved_table(measured: Sequence[Interleaved]) -> Table:
    table = Table(
        "latency", Column("server", no_wrap=True), "p50@1 median", "vs floor (median of rounds)",
        "p50@1 per round",
        title="S1 p50 at concurrency 1, servers interleaved (all running, runs taking turns)",
    )  # fmt: skip
    for run in measured:
        for server, rounds in run.p50_1_ms.items():
            gap = "—" if server == FLOOR else f"{run.gap_ms(server, FLOOR):+.2f} ms"
            table.add_row(
                f"{run.latency_ms:g} ms",
                server,
                f"{run.median(server):.2f} ms",
                gap,
                " ".join(f"{p50:.2f}" for p50 in rounds),
            )
    return table


def _machine(now: datetime) -> dict[str, Any]:
    return {
        "date": now.isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor()
