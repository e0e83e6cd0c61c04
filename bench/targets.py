"""The issue's targets for S1 and S2, judged against the floor measured in the same run.

p50@1 is judged on the interleaved measurement (``bench.interleaved``), rps and calls on the
servers' own runs. A target whose numbers are missing (a server failed) is judged failed, never
skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.interleaved import Interleaved
from bench.s1 import S1Result
from bench.s2 import S2Result
from bench.servers import FLOOR, HUB

RPS_RATIO_MIN = 0.65
P50_MARGIN_MS = 0.5
CALLS_PER_QUERY_MAX = 0.5
S2_REQUESTS_MAX = 2.0
S2_P50_MAX_MS = 250.0


@dataclass(frozen=True, slots=True)
class Verdict:
    target: str
    measured: str
    passed: bool


def judge(
    latencies_ms: Sequence[float],
    s1: Sequence[S1Result],
    interleaved: Sequence[Interleaved],
    s2: S2Result | None,
) -> list[Verdict]:
    verdicts: list[Verdict] = []
    for latency in latencies_ms:
        rows = {row.server: row for row in s1 if row.latency_ms == latency}
        turns = next((run for run in interleaved if run.latency_ms == latency), None)
        verdicts += _s1(_scenario(latency), rows.get(HUB), rows.get(FLOOR), turns)
    return verdicts + _s2(s2)


def judge_interleaved(interleaved: Sequence[Interleaved]) -> list[Verdict]:
    """The p50@1 targets alone, for interleaved runs measured without S1's other rows."""
    return [_interleaved_gap(_p50_target(_scenario(run.latency_ms)), run) for run in interleaved]


def _scenario(latency_ms: float) -> str:
    return f"S1 at {latency_ms:g} ms"


def _s1(
    scenario: str, hub: S1Result | None, floor: S1Result | None, turns: Interleaved | None
) -> list[Verdict]:
    targets = (
        f"{scenario}: rps@32 ≥ {RPS_RATIO_MIN}× floor",
        _p50_target(scenario),
        f"{scenario}: department calls per query @32 ≤ {CALLS_PER_QUERY_MAX}",
    )
    if hub is None or floor is None:
        return [Verdict(target, "not measured", passed=False) for target in targets]
    ratio = hub.rps_32 / floor.rps_32
    noise = noise_note(hub, floor)
    return [
        Verdict(
            targets[0],
            f"{ratio:.2f}× ({hub.rps_32:,.0f} vs {floor.rps_32:,.0f} rps){noise}",
            ratio >= RPS_RATIO_MIN,
        ),
        _p50(targets[1], hub, floor, turns),
        Verdict(
            targets[2], f"{hub.calls_per_query:.3f}", hub.calls_per_query <= CALLS_PER_QUERY_MAX
        ),
    ]


def _p50(target: str, hub: S1Result, floor: S1Result, turns: Interleaved | None) -> Verdict:
    alone = f"apart: {hub.p50_1_ms:.2f} vs {floor.p50_1_ms:.2f} ms"
    if turns is None:
        return Verdict(target, f"interleaved runs not measured ({alone})", passed=False)
    return _interleaved_gap(target, turns, f"; {alone}")


def _interleaved_gap(target: str, turns: Interleaved, aside: str = "") -> Verdict:
    """The p50@1 target, judged on the hub's gap to the floor within interleaved rounds."""
    gap = turns.gap_ms(HUB, FLOOR)
    rounds = len(turns.p50_1_ms[HUB])
    medians = f"{turns.median(HUB):.2f} vs {turns.median(FLOOR):.2f} ms"
    measured = f"{gap:+.2f} ms, median of {rounds} interleaved rounds ({medians}{aside})"
    return Verdict(target, measured, gap <= P50_MARGIN_MS)


def _p50_target(scenario: str) -> str:
    return f"{scenario}: p50@1 within {P50_MARGIN_MS} ms of floor"


def noise_note(*rows: S1Result) -> str:
    """Said beside a verdict comparing rows that other processes may have slowed down."""
    return (
        " (noisy: other processes shared the server's core)" if any(r.noisy for r in rows) else ""
    )


def _s2(s2: S2Result | None) -> list[Verdict]:
    targets = (
        f"S2: ≤ {S2_REQUESTS_MAX:g} requests per department",
        f"S2: ≤ {S2_P50_MAX_MS:g} ms at 0 ms latency (p50)",
    )
    if s2 is None:
        return [Verdict(target, "not measured", passed=False) for target in targets]
    busiest = max(s2.requests_per_department.values())
    return [
        Verdict(targets[0], f"{busiest:g} (busiest department)", busiest <= S2_REQUESTS_MAX),
        Verdict(
            targets[1],
            f"p50 {s2.p50_ms:.0f} ms, max {s2.max_ms:.0f} ms over {s2.runs} queries",
            s2.p50_ms <= S2_P50_MAX_MS,
        ),
    ]
