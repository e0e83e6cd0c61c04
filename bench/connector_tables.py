"""The table of the "departments register connectors at runtime" issue: how soon a department
approved through one hub process answers in another."""

from __future__ import annotations

from rich.table import Table

from bench.connector_join import PURPOSE, ConnectorJoin
from hub.registry_watch import POLL_SECONDS


def join_table(join: ConnectorJoin) -> Table:
    rounds = ", ".join(f"{delay:.0f}" for delay in join.delays_ms)
    table = Table(
        "rounds", "p50", "max", "min", "queries to hub B", "one every",
        title="Departments joining at runtime: approveConnector returned on hub A → the new field"
        " answering on hub B (two tongban serve on one PostgreSQL, a new department each round)",
        caption=f"Each round in ms: {rounds}. Hub B asked with {PURPOSE} until the field answered"
        " with the department's value, its signature verified; each hub polls the registry every"
        f" {POLL_SECONDS * 1000:.0f} ms.",
    )  # fmt: skip
    table.add_row(
        f"{join.rounds}",
        f"{join.p50_ms:.0f} ms",
        f"{join.max_ms:.0f} ms",
        f"{min(join.delays_ms):.0f} ms",
        f"{join.queries:,}",
        f"{join.query_gap_ms:.1f} ms",
    )
    return table
