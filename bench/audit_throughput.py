"""Audit entries appended and integrated per second, end to end, on a fresh store.

Many concurrent callers each record one entry at a time through the hub's own ``AuditWriter``,
as requests do, so appends are group-committed exactly as when serving; the hub's own
``AuditIntegrator`` sequences them and signs checkpoints meanwhile. The clock stops when every
entry is durable (appended) and when every entry is under a signed checkpoint (integrated).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.audit_entries import Tagged
from bench.errors import BenchFailed
from bench.stores import fresh_store
from hub.audit.integrator import AuditIntegrator
from hub.audit.note import NoteSigner
from hub.audit.writer import AuditWriter, audit_row
from hub.errors import TongbanError
from hub.store import Store

LOG_ORIGIN = "bench.tongban.local/audit"
_POLL_SECONDS = 0.005
_INTEGRATION_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class AuditThroughput:
    backend: str
    entries: int
    callers: int
    appended_per_s: float
    """Entries durable per second, from the first record() to the last one's return."""
    integrated_per_s: float
    """Entries under a signed checkpoint per second, from the same start."""
    commits: int
    """Group commits: transactions the writer's appends took."""
    checkpoints: int


async def measure_audit_throughput(
    backend: str, entries: Sequence[Tagged], callers: int
) -> AuditThroughput:
    async with fresh_store(backend) as store:
        try:
            return await _drive(backend, store, entries, callers)
        except TongbanError as error:
            raise BenchFailed(f"{backend} audit log: {error.code}: {error.message}") from error


async def _drive(
    backend: str, store: Store, entries: Sequence[Tagged], callers: int
) -> AuditThroughput:
    integrator = AuditIntegrator(store, NoteSigner(LOG_ORIGIN, Ed25519PrivateKey.generate()))
    commits = 0

    def committed() -> None:
        nonlocal commits
        commits += 1
        integrator.poke()

    writer = AuditWriter(store, committed)
    queue = iter(entries)

    async def request() -> None:
        for entry in queue:  # shared: each caller takes the next entry when its last is durable
            await writer.record([audit_row(*entry)])

    integrating = asyncio.create_task(integrator.run())
    try:
        started = time.perf_counter()
        await asyncio.gather(*(request() for _ in range(callers)))
        appended = time.perf_counter() - started
        await _integrated(store, len(entries))
        integrated = time.perf_counter() - started
    finally:
        integrating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await integrating
    return AuditThroughput(
        backend=backend,
        entries=len(entries),
        callers=callers,
        appended_per_s=len(entries) / appended,
        integrated_per_s=len(entries) / integrated,
        commits=commits,
        checkpoints=len(await store.audit_checkpoints(0, len(entries))),
    )


async def _integrated(store: Store, size: int) -> None:
    """Returns once a checkpoint covers ``size`` entries: the store is the only witness, as the
    integrator runs on its own."""
    try:
        async with asyncio.timeout(_INTEGRATION_TIMEOUT_SECONDS):
            while True:
                head = await store.audit_checkpoint()
                if head is not None and head.size >= size:
                    return
                await asyncio.sleep(_POLL_SECONDS)
    except TimeoutError:
        raise BenchFailed(
            f"{size:,} entries were not all under a checkpoint after"
            f" {_INTEGRATION_TIMEOUT_SECONDS:g} s (warnings above may say why)"
        ) from None
