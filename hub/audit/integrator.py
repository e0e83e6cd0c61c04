"""Sequencing queued entries into the Merkle tree and signing a checkpoint of each new size.

One step runs inside the store's sequencing lock, so across every hub process sharing the
database there is one order and one signer at a time; the signer starts from the last stored
checkpoint and checks the new tree's consistency with it before it signs, so no two checkpoints
it ever signs are inconsistent. An appended entry is under a signed checkpoint within two
intervals (one when this process appended it), and a checkpoint is signed at most once per
``interval``: a step costs about the same for one entry as for thousands (a signature, the
previous checkpoint's check, a transaction), and at concurrency 1 steps of a few entries each
took a tenth of the hub's core.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from hub.audit.checkpoint import Checkpoint, CheckpointSigner, open_checkpoint
from hub.audit.frontier import Frontier, frontier_nodes
from hub.audit.merkle import leaf_hash
from hub.audit.note import NoteSigner
from hub.audit.proofs import consistency_plan
from hub.errors import StoreError
from hub.store import Store
from hub.store.audit_records import CheckpointRow, Integration, PendingEntry, TreeState

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 0.25
DEFAULT_BATCH = 5_000


class AuditIntegrator:
    def __init__(
        self,
        store: Store,
        signer: NoteSigner,
        interval: float = DEFAULT_INTERVAL_SECONDS,
        batch: int = DEFAULT_BATCH,
    ) -> None:
        self._store = store
        self._signer = signer
        self._interval = interval
        self._batch = batch
        self._wake = asyncio.Event()

    def poke(self) -> None:
        """Entries were appended: integrate soon rather than at the next tick."""
        self._wake.set()

    async def run(self) -> None:
        """Integrate until cancelled; a store failure is logged and retried, never fatal."""
        while True:
            try:
                while await self.integrate_once() is not None:
                    pass
            except StoreError as error:
                log.warning("audit integration failed, will retry: %s", error.message)
            self._wake.clear()
            try:
                async with asyncio.timeout(self._interval):
                    await self._wake.wait()
            except TimeoutError:
                pass
            await asyncio.sleep(self._interval)  # let appends gather: one checkpoint per interval

    async def integrate_once(self) -> Integration | None:
        return await self._store.integrate_audit(self._batch, self._extend)

    def _extend(self, state: TreeState, pending: list[PendingEntry]) -> Integration:
        """Pure and quick: it runs inside the transaction that holds the sequencing lock."""
        edge = tuple(state.frontier[key] for key in frontier_nodes(state.size))
        grown, nodes = Frontier(state.size, edge).extend(leaf_hash(e.body) for e in pending)
        signer = CheckpointSigner(self._signer, last=self._last(state.last_checkpoint))
        proof: list[bytes] = []
        if signer.last is not None and signer.last.size > 0:
            known = {**state.frontier, **nodes}
            proof = consistency_plan(signer.last.size, grown.size).build(known)
        note = signer.sign_next(grown.size, grown.root, proof)
        checkpoint = CheckpointRow(
            size=grown.size, root=grown.root, note=note.decode(), time=datetime.now(UTC)
        )
        return Integration(new_size=grown.size, nodes=nodes, checkpoint=checkpoint)

    def _last(self, row: CheckpointRow | None) -> Checkpoint | None:
        return None if row is None else open_checkpoint(row.note.encode(), self._signer.verifier)
