"""The "departments register connectors at runtime" issue's targets, judged within one run.

- Approval to answering in a second process ≤ 1 s: every round's delay, so the max is judged
  (p50 is shown beside it).
- No measurable slow-down of S1 with 12 connectors registered instead of 4: the 12-connector hub
  is judged against the mean of the 4-connector hub's two measurements in this run (before and
  after it), and may fall behind by no more than those two differ by — the run's own noise — or
  than a fixed floor (5% rps@32, 0.2 ms p50@1) below which a quick run cannot tell two hubs
  apart. The floor is a choice, not a measurement; the noise shows beside it.

A target whose numbers are missing is judged failed, never skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.connector_join import ConnectorJoin
from bench.s1 import S1Result
from bench.servers import HUB, HUB_AGAIN, TWELVE_CONNECTORS
from bench.targets import Verdict, noise_note

JOIN_MAX_MS = 1_000.0
RPS_SHARE_FLOOR = 0.05
P50_MARGIN_FLOOR_MS = 0.2


def judge_connectors(
    latency_ms: float, s1: Sequence[S1Result], join: ConnectorJoin | None
) -> list[Verdict]:
    rows = {row.server: row for row in s1 if row.latency_ms == latency_ms}
    return [_join(join), *_twelve(latency_ms, rows)]


def _join(join: ConnectorJoin | None) -> Verdict:
    target = (
        f"Connectors: approval on one hub process → the field answering in another"
        f" ≤ {JOIN_MAX_MS / 1000:g} s (max of the rounds)"
    )
    if join is None:
        return Verdict(target, "not measured", passed=False)
    return Verdict(
        target,
        f"max {join.max_ms:.0f} ms, p50 {join.p50_ms:.0f} ms over {join.rounds} rounds"
        f" (hub B asked every {join.query_gap_ms:.1f} ms)",
        join.max_ms <= JOIN_MAX_MS,
    )


def _twelve(latency_ms: float, rows: dict[str, S1Result]) -> list[Verdict]:
    scenario = f"Connectors at {latency_ms:g} ms: 12 registered vs 4"
    targets = (
        f"{scenario}: rps@32 no lower than the 4-connector hub's by more than its own spread"
        f" (at least {RPS_SHARE_FLOOR:.0%})",
        f"{scenario}: p50@1 no higher than the 4-connector hub's by more than its own spread"
        f" (at least {P50_MARGIN_FLOOR_MS:g} ms)",
    )
    four, again, twelve = rows.get(HUB), rows.get(HUB_AGAIN), rows.get(TWELVE_CONNECTORS)
    if four is None or again is None or twelve is None:
        return [Verdict(target, "not measured", passed=False) for target in targets]
    noise = noise_note(four, again, twelve)
    rps = (four.rps_32 + again.rps_32) / 2
    rps_allowed = max(RPS_SHARE_FLOOR, abs(four.rps_32 - again.rps_32) / rps)
    rps_change = twelve.rps_32 / rps - 1
    p50 = (four.p50_1_ms + again.p50_1_ms) / 2
    p50_allowed = max(P50_MARGIN_FLOOR_MS, abs(four.p50_1_ms - again.p50_1_ms))
    p50_change = twelve.p50_1_ms - p50
    return [
        Verdict(
            targets[0],
            f"{rps_change:+.1%}, allowed −{rps_allowed:.1%} ({twelve.rps_32:,.0f} vs"
            f" {four.rps_32:,.0f} and {again.rps_32:,.0f} rps){noise}",
            rps_change >= -rps_allowed,
        ),
        Verdict(
            targets[1],
            f"{p50_change:+.2f} ms, allowed +{p50_allowed:.2f} ms ({twelve.p50_1_ms:.2f} vs"
            f" {four.p50_1_ms:.2f} and {again.p50_1_ms:.2f} ms){noise}",
            p50_change <= p50_allowed,
        ),
    ]
