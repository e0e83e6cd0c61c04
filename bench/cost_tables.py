"""The tables of issues 3 and 4: policy decisions, audit appends, the audit log at 1,000,000."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from bench.audit_million import AuditMillion
from bench.audit_throughput import AuditThroughput
from bench.policy_speed import PolicySpeed
from bench.stores import POSTGRESQL, SQLITE

_MB = 1_000_000


def policy_table(speed: PolicySpeed) -> Table:
    table = Table(
        "operation", "subjects/call", "µs/call", "calls/s", "subjects/s",
        title=f"Policy decisions in process ({speed.categories} categories a subject, consents"
        " from memory; best of repeats)",
    )  # fmt: skip
    for rate in speed.rates:
        table.add_row(
            rate.operation,
            f"{rate.subjects_per_call:,}",
            f"{1e6 / rate.calls_per_s:,.2f}",
            f"{rate.calls_per_s:,.0f}",
            f"{rate.subjects_per_s:,.0f}",
        )
    return table


def audit_table(rows: Sequence[AuditThroughput]) -> Table:
    table = Table(
        "store", "callers", "entries", "appended/s", "integrated/s", "entries/commit",
        "checkpoints",
        title="Audit appends: concurrent callers recording one S1 entry at a time, group-committed;"
        " integrated = under a signed checkpoint, end to end",
    )  # fmt: skip
    for row in rows:
        table.add_row(
            row.backend,
            f"{row.callers}",
            f"{row.entries:,}",
            f"{row.appended_per_s:,.0f}",
            f"{row.integrated_per_s:,.0f}",
            f"{row.entries / row.commits:.1f}",
            f"{row.checkpoints:,}",
        )
    return table


def million_table(million: AuditMillion) -> Table:
    sqlite = million.sqlite
    cached = " (cached: an earlier run's)" if million.cached else ""
    built = {
        SQLITE: f"{sqlite.build_s:.0f} s{cached}",
        POSTGRESQL: f"{million.postgres_build_s:.0f} s",
    }
    table = Table(
        "store", "log built in", "proof p50", "proof p99", "proof max",
        title=f"The audit log at {million.entries:,} entries (S1 entries, appended and"
        " integrated by the hub's own writer and integrator)",
        caption=f"Its export: {sqlite.export_bytes / _MB:,.0f} MB, written by tongban audit"
        f" export in {sqlite.export_s:.0f} s{cached}; tongban audit verify took"
        f" {million.verify_s:.1f} s. Proofs: AuditReader.inclusion, whole path, random entries.",
    )  # fmt: skip
    for proofs in million.proofs:
        table.add_row(
            proofs.backend,
            built[proofs.backend],
            f"{proofs.p50_ms:.2f} ms",
            f"{proofs.p99_ms:.2f} ms",
            f"{proofs.max_ms:.2f} ms",
        )
    return table
