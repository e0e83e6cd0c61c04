"""What auditors read from the log: entries, signed checkpoints, and proofs against them.

A proof is worth something only beside a signed tree head, so proofs are given for tree sizes
that have a stored checkpoint, and come with it. Each proof's nodes are read in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.audit.proofs import ProofPlan, consistency_plan, inclusion_plan
from hub.errors import AuditNotFound, StoreError
from hub.store import Store
from hub.store.audit_records import AuditQuery, CheckpointRow, StoredEntry


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """RFC 9162 inclusion proof of entry ``leaf_index`` in the tree ``checkpoint`` heads."""

    leaf_index: int
    checkpoint: CheckpointRow
    hashes: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    """RFC 9162 consistency proof that the tree ``new`` heads extends the one ``old`` heads."""

    old: CheckpointRow
    new: CheckpointRow
    hashes: tuple[bytes, ...]


class AuditReader:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def search(self, query: AuditQuery, after: int | None, limit: int) -> list[StoredEntry]:
        return await self._store.search_audit(query, after, limit)

    async def checkpoint(self, size: int | None = None) -> CheckpointRow:
        """The checkpoint of the tree of ``size`` leaves; the latest when no size is given."""
        row = await self._store.audit_checkpoint(size)
        if row is None:
            raise AuditNotFound(
                "the audit log has no checkpoint yet"
                if size is None
                else f"the audit log has no checkpoint of tree size {size}"
            )
        return row

    async def inclusion(self, leaf_index: int, size: int | None = None) -> InclusionProof:
        checkpoint = await self.checkpoint(size)
        if not 0 <= leaf_index < checkpoint.size:
            raise AuditNotFound(f"the tree of size {checkpoint.size} has no entry {leaf_index}")
        plan = inclusion_plan(leaf_index, checkpoint.size)
        return InclusionProof(leaf_index, checkpoint, await self._hashes(plan))

    async def consistency(self, old_size: int, new_size: int) -> ConsistencyProof:
        if old_size > new_size:
            raise AuditNotFound(f"no tree of size {new_size} extends one of size {old_size}")
        old, new = await self.checkpoint(old_size), await self.checkpoint(new_size)
        plan = consistency_plan(old_size, new_size)
        return ConsistencyProof(old, new, await self._hashes(plan))

    async def client_names(self) -> dict[str, str]:
        """Client id → name: who read the data, in words a citizen recognises."""
        return {client.id: client.name for client in await self._store.list_clients()}

    async def _hashes(self, plan: ProofPlan) -> tuple[bytes, ...]:
        nodes = await self._store.audit_nodes(plan.nodes)
        try:
            return tuple(plan.build(nodes))
        except KeyError as exc:  # every node below a checkpoint is stored with it
            raise StoreError(f"the audit log has lost tree node {exc.args[0]}") from exc
