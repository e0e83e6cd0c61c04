"""Audit rows and a stand-in sequencer for the store's audit tests.

The stand-in builds no Merkle tree: what these tests prove is the store's bookkeeping (queue,
indices, nodes, checkpoints), which must not depend on what the bytes mean.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from hashlib import sha256

from hub.store import Store
from hub.store.audit_records import (
    AuditRow,
    CheckpointRow,
    Integration,
    PendingEntry,
    TreeState,
)

T0 = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


def audit_row(
    n: int,
    *,
    subject: str = "110101199003074518",
    client_id: str = "cl_portal",
    purpose: str = "LOW_INCOME_REVIEW",
    tags: frozenset[str] = frozenset(),
    time: datetime | None = None,
) -> AuditRow:
    """Row ``n``: its body names it, and by default it is logged ``n`` seconds after T0."""
    return AuditRow(
        body=f'{{"entry":{n}}}'.encode(),
        time=T0 + timedelta(seconds=n) if time is None else time,
        request_id=f"req-{n}",
        subject=subject,
        client_id=client_id,
        purpose=purpose,
        tags=tags,
    )


def hash_bodies(state: TreeState, pending: list[PendingEntry]) -> Integration:
    """Heads the grown tree with a hash chaining the last head to the new bodies."""
    previous = b"" if state.last_checkpoint is None else state.last_checkpoint.root
    root = sha256(previous + b"".join(entry.body for entry in pending)).digest()
    size = state.size + len(pending)
    return Integration(size, {}, CheckpointRow(size, root, f"test\n{size}\n", T0))


async def sequence_all(store: Store) -> None:
    while await store.integrate_audit(1000, hash_bodies) is not None:
        pass
