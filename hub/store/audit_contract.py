"""The audit log's part of the store contract: a queue that appends cheaply, a sequencer that
gives queued entries their place in the one log, and the reads that proofs and auditors need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hub.store.audit_records import (
    AuditQuery,
    AuditRow,
    CheckpointRow,
    Integration,
    Integrator,
    NodeKey,
    StoredEntry,
)


class AuditLogStore(Protocol):
    """Every method raises StoreError, and only StoreError, when the database fails it."""

    async def append_audit_entries(self, rows: Sequence[AuditRow]) -> None:
        """Queue the rows, all or none, in one transaction: once this returns they are durable.
        Appends from any number of hub processes never conflict; the rows of one call are
        sequenced in the order given."""

    async def integrate_audit(self, limit: int, integrate: Integrator) -> Integration | None:
        """Sequence up to ``limit`` queued entries, oldest first, under a lock that admits one
        sequencer at a time across processes. In one transaction: read the tree state, call
        ``integrate``, give the entries leaf indices from the old size on, store its nodes and
        checkpoint. None when nothing is queued. If ``integrate`` raises, its error propagates
        as it is (a ValueError if it grows the tree by other than the entries given), and
        nothing changes."""

    async def audit_checkpoint(self, size: int | None = None) -> CheckpointRow | None:
        """The checkpoint of the tree of ``size`` leaves; the latest when no size is given."""

    async def audit_checkpoints(
        self, after_size: int = 0, limit: int = 1000
    ) -> list[CheckpointRow]:
        """Checkpoints of trees larger than ``after_size``, smallest first."""

    async def audit_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        """The stored hashes among ``keys``, in one query: a proof's nodes at once."""

    async def audit_entry(self, leaf_index: int) -> StoredEntry | None: ...

    async def search_audit(
        self, query: AuditQuery, after: int | None, limit: int
    ) -> list[StoredEntry]:
        """Sequenced entries matching every filter, by leaf index, past the cursor ``after`` (the
        last index already seen). Queued entries are not found until sequenced: an entry is cited
        and proved by its index, which they do not have yet."""

    async def export_audit(self, start: int, limit: int) -> list[StoredEntry]:
        """Up to ``limit`` entries from leaf index ``start`` on, in order: a stretch of the log to
        verify against a checkpoint, as CT's get-entries serves it."""

    async def audit_backlog(self) -> int:
        """How many entries wait to be sequenced: readiness and lag at a glance."""
