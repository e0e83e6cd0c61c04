"""Issues 3 and 4's targets: what policy and the audit log may cost, judged within one run.

S1's own "rps@32 ≥ 0.65× floor" line already judges the hub with both parts on; these judge each
part against the hub without it, and the audit log's own speed. A target whose numbers are
missing is judged failed, never skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.audit_million import SIZE, AuditMillion
from bench.audit_throughput import AuditThroughput
from bench.s1 import S1Result
from bench.servers import AUDIT_OFF, HUB, POLICY_OFF
from bench.stores import POSTGRESQL, SQLITE
from bench.targets import Verdict, noise_note

POLICY_P50_SHARE_MAX = 0.05
AUDIT_P50_MARGIN_MS = 1.0
AUDIT_RATE_MIN = 10_000.0
AUDIT_RATE_CALLERS = 64
VERIFY_SECONDS_MAX = 30.0
PROOF_P99_MS_MAX = 5.0


def judge_costs(
    latency_ms: float, s1: Sequence[S1Result], audit: Sequence[AuditThroughput]
) -> list[Verdict]:
    """The hub against its variants at ``latency_ms``, and the audit log's append rate."""
    rows = {row.server: row for row in s1 if row.latency_ms == latency_ms}
    hub = rows.get(HUB)
    return [
        _policy_p50(latency_ms, hub, rows.get(POLICY_OFF)),
        _audit_p50(latency_ms, hub, rows.get(AUDIT_OFF)),
        _audit_rate(audit),
    ]


def judge_million(million: AuditMillion | None) -> list[Verdict]:
    verify = f"Audit: tongban audit verify of a {SIZE:,}-entry export ≤ {VERIFY_SECONDS_MAX:g} s"
    if million is None:
        targets = (verify, *map(_proof_target, (SQLITE, POSTGRESQL)))
        return [Verdict(target, "not measured", passed=False) for target in targets]
    return [
        Verdict(
            verify,
            f"{million.verify_s:.1f} s, process start to exit",
            million.verify_s <= VERIFY_SECONDS_MAX,
        ),
        *(
            Verdict(
                _proof_target(p.backend),
                f"p99 {p.p99_ms:.2f} ms (p50 {p.p50_ms:.2f}, max {p.max_ms:.2f}) over {p.proofs:,}",
                p.p99_ms <= PROOF_P99_MS_MAX,
            )
            for p in million.proofs
        ),
    ]


def _proof_target(backend: str) -> str:
    return (
        f"Audit: inclusion proof at {SIZE:,} entries on {backend} ≤ {PROOF_P99_MS_MAX:g} ms (p99)"
    )


def _policy_p50(latency_ms: float, on: S1Result | None, off: S1Result | None) -> Verdict:
    target = (
        f"Policy at {latency_ms:g} ms: p50@1 with policy ≤ {POLICY_P50_SHARE_MAX:.0%} above without"
    )
    if on is None or off is None:
        return Verdict(target, "not measured", passed=False)
    share = on.p50_1_ms / off.p50_1_ms - 1
    return Verdict(target, f"{share:+.1%} {_compared(on, off)}", share <= POLICY_P50_SHARE_MAX)


def _audit_p50(latency_ms: float, on: S1Result | None, off: S1Result | None) -> Verdict:
    target = (
        f"Audit at {latency_ms:g} ms: p50@1 with audit ≤ {AUDIT_P50_MARGIN_MS:g} ms above without"
    )
    if on is None or off is None:
        return Verdict(target, "not measured", passed=False)
    gap = on.p50_1_ms - off.p50_1_ms
    return Verdict(target, f"{gap:+.2f} ms {_compared(on, off)}", gap <= AUDIT_P50_MARGIN_MS)


def _compared(on: S1Result, off: S1Result) -> str:
    return (
        f"(p50@1 {on.p50_1_ms:.2f} vs {off.p50_1_ms:.2f} ms;"
        f" rps@32 {on.rps_32:,.0f} vs {off.rps_32:,.0f}){noise_note(on, off)}"
    )


def _audit_rate(audit: Sequence[AuditThroughput]) -> Verdict:
    target = (
        f"Audit: ≥ {AUDIT_RATE_MIN:,.0f} entries/s appended and integrated on {POSTGRESQL}"
        f" ({AUDIT_RATE_CALLERS} callers)"
    )
    row = next(
        (r for r in audit if r.backend == POSTGRESQL and r.callers == AUDIT_RATE_CALLERS), None
    )
    if row is None:
        return Verdict(target, "not measured", passed=False)
    return Verdict(
        target,
        f"{row.integrated_per_s:,.0f}/s integrated ({row.appended_per_s:,.0f}/s appended)",
        row.integrated_per_s >= AUDIT_RATE_MIN,
    )
