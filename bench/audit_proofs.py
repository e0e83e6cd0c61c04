"""Inclusion proofs as an auditor gets them: through the hub's ``AuditReader`` on a real store.

Each proof is the reader's whole path (latest checkpoint, plan, one ``audit_nodes`` query, build),
timed alone, then checked against the entry's leaf outside the clock: a fast wrong proof is no
result. Of a few rounds, each over other entries, the one with the lowest p99 is kept: other
processes on this machine only ever slow a round down.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from bench.errors import BenchFailed
from bench.synthetic_log import leaf
from hub.audit.merkle import leaf_hash, verify_inclusion
from hub.audit.reader import AuditReader
from hub.errors import TongbanError
from hub.store import Store

PROOFS = 1_000
"""Per round."""
ROUNDS = 3


@dataclass(frozen=True, slots=True)
class ProofTimes:
    backend: str
    tree_size: int
    proofs: int
    p50_ms: float
    p99_ms: float
    max_ms: float


async def time_inclusion_proofs(backend: str, store: Store) -> ProofTimes:
    """Proofs of entries drawn at random from a log built by ``synthetic_log``."""
    reader = AuditReader(store)
    try:
        size = (await reader.checkpoint()).size
        rounds = [
            await _round(reader, random.Random(n).sample(range(size), PROOFS))
            for n in range(ROUNDS)
        ]
    except TongbanError as error:
        raise BenchFailed(f"{backend} inclusion proof: {error.code}: {error.message}") from error
    timings = min(rounds, key=_p99)
    return ProofTimes(
        backend=backend,
        tree_size=size,
        proofs=len(timings),
        p50_ms=statistics.median(timings),
        p99_ms=_p99(timings),
        max_ms=max(timings),
    )


async def _round(reader: AuditReader, indices: list[int]) -> list[float]:
    """Milliseconds per proof."""
    timings = []
    for index in indices:
        started = time.perf_counter()
        proof = await reader.inclusion(index)
        timings.append((time.perf_counter() - started) * 1000)
        head = proof.checkpoint
        verify_inclusion(index, head.size, leaf_hash(leaf(index)), proof.hashes, head.root)
    return timings


def _p99(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[98]
