"""Sequencing: queued entries get contiguous leaf indices, once, with the tree state to extend."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from hashlib import sha256

import pytest

from hub.audit.frontier import Frontier, frontier_nodes
from hub.audit.merkle import leaf_hash, tree_root
from hub.store import Store, open_store
from hub.store.audit_records import (
    CheckpointRow,
    Integration,
    NodeKey,
    PendingEntry,
    TreeState,
)
from tests.hub.store.auditing import T0, audit_row, hash_bodies, sequence_all


async def test_entries_are_indexed_from_the_old_size_in_append_order(store: Store) -> None:
    await store.append_audit_entries([audit_row(n) for n in range(3)])
    await sequence_all(store)
    await store.append_audit_entries([audit_row(n) for n in (3, 4)])
    await store.append_audit_entries([audit_row(5)])
    seen: list[tuple[TreeState, list[PendingEntry]]] = []

    def integrate(state: TreeState, pending: list[PendingEntry]) -> Integration:
        seen.append((state, pending))
        return hash_bodies(state, pending)

    integration = await store.integrate_audit(100, integrate)

    [(state, pending)] = seen
    assert state.size == 3
    assert [entry.body for entry in pending] == [audit_row(n).body for n in (3, 4, 5)]
    assert sorted({entry.id for entry in pending}) == [entry.id for entry in pending]
    assert integration is not None
    assert await store.audit_checkpoint() == integration.checkpoint
    exported = await store.export_audit(0, 100)
    assert [entry.body for entry in exported] == [audit_row(n).body for n in range(6)]
    assert [entry.leaf_index for entry in exported] == list(range(6))
    assert await store.audit_backlog() == 0


async def test_integrating_with_nothing_queued_writes_nothing(store: Store) -> None:
    assert await store.integrate_audit(100, hash_bodies) is None
    assert await store.audit_checkpoint() is None


async def test_one_integration_takes_at_most_limit_entries(store: Store) -> None:
    await store.append_audit_entries([audit_row(n) for n in range(10)])

    sizes = []
    while (integration := await store.integrate_audit(4, hash_bodies)) is not None:
        sizes.append(integration.new_size)

    assert sizes == [4, 8, 10]
    assert [checkpoint.size for checkpoint in await store.audit_checkpoints()] == sizes


async def test_each_integration_sees_the_last_checkpoint(store: Store) -> None:
    heads: list[CheckpointRow | None] = []

    def integrate(state: TreeState, pending: list[PendingEntry]) -> Integration:
        heads.append(state.last_checkpoint)
        return hash_bodies(state, pending)

    for n in range(3):
        await store.append_audit_entries([audit_row(n)])
        await store.integrate_audit(100, integrate)

    assert heads[0] is None
    assert heads[1:] == [await store.audit_checkpoint(1), await store.audit_checkpoint(2)]


def label(node: NodeKey) -> bytes:
    return sha256(repr(node).encode()).digest()


def label_completed_subtrees(state: TreeState, pending: list[PendingEntry]) -> Integration:
    """Stores, for every perfect subtree the new leaves complete, a hash naming the subtree."""
    old, new = state.size, state.size + len(pending)
    nodes = {
        (level, index): label((level, index))
        for level in range(new.bit_length())
        for index in range(old >> level, new >> level)
    }
    return Integration(new, nodes, CheckpointRow(new, label((new, 0)), "test\n", T0))


async def test_the_frontier_is_the_stored_right_edge_of_every_size(store: Store) -> None:
    frontiers = {}

    def integrate(state: TreeState, pending: list[PendingEntry]) -> Integration:
        frontiers[state.size] = state.frontier
        return label_completed_subtrees(state, pending)

    for n in range(21):
        await store.append_audit_entries([audit_row(n)])
        await store.integrate_audit(100, integrate)

    assert list(frontiers) == list(range(21))
    for size, frontier in frontiers.items():
        assert frontier == {node: label(node) for node in frontier_nodes(size)}


async def test_integrating_with_the_merkle_frontier_gives_the_rfc_9162_root(store: Store) -> None:
    """The store keeps all the real sequencer needs between batches, and no more."""

    def integrate(state: TreeState, pending: list[PendingEntry]) -> Integration:
        edge = tuple(state.frontier[node] for node in frontier_nodes(state.size))
        grown, nodes = Frontier(state.size, edge).extend(leaf_hash(e.body) for e in pending)
        checkpoint = CheckpointRow(grown.size, grown.root, "test\n", T0)
        return Integration(grown.size, nodes, checkpoint)

    rows = [audit_row(n) for n in range(37)]
    for first in range(0, 37, 5):
        await store.append_audit_entries(rows[first : first + 5])
        await store.integrate_audit(3 + first % 4, integrate)
    while await store.integrate_audit(6, integrate) is not None:
        pass

    head = await store.audit_checkpoint()
    assert head is not None
    assert (head.size, head.root) == (37, tree_root([leaf_hash(row.body) for row in rows]))


async def test_a_failing_integration_changes_nothing(store: Store) -> None:
    await store.append_audit_entries([audit_row(n) for n in range(3)])

    def fail(state: TreeState, pending: list[PendingEntry]) -> Integration:
        raise RuntimeError("signing key unavailable")

    with pytest.raises(RuntimeError, match="signing key unavailable"):
        await store.integrate_audit(100, fail)

    assert await store.audit_backlog() == 3
    assert await store.audit_checkpoint() is None
    assert await store.export_audit(0, 100) == []
    integration = await store.integrate_audit(100, label_completed_subtrees)
    assert integration is not None
    assert await store.audit_nodes(list(integration.nodes)) == integration.nodes


async def test_an_integration_of_the_wrong_size_is_refused_unwritten(store: Store) -> None:
    await store.append_audit_entries([audit_row(n) for n in range(3)])

    def miscount(state: TreeState, pending: list[PendingEntry]) -> Integration:
        return hash_bodies(state, pending[1:])

    with pytest.raises(ValueError, match="gives 3 leaves, not 2"):
        await store.integrate_audit(100, miscount)

    assert await store.audit_backlog() == 3
    assert await store.audit_checkpoint() is None


async def test_sequencers_in_two_hub_processes_never_sequence_an_entry_twice(
    store: Store, store_url: str
) -> None:
    other = await open_store(store_url)
    calls: dict[str, tuple[int, list[int]]] = {}

    def integrate(state: TreeState, pending: list[PendingEntry]) -> Integration:
        """Notes which tree and entries each call saw, under a name its checkpoint carries."""
        integration = hash_bodies(state, pending)
        name = f"call {len(calls)}\n"
        calls[name] = (state.size, [entry.id for entry in pending])
        return replace(integration, checkpoint=replace(integration.checkpoint, note=name))

    rows = [audit_row(n) for n in range(240)]
    try:
        for round_ in range(30):
            batch = rows[8 * round_ : 8 * round_ + 8]
            await asyncio.gather(
                store.append_audit_entries(batch[:4]),
                other.append_audit_entries(batch[4:]),
                store.integrate_audit(3, integrate),
                other.integrate_audit(5, integrate),
            )
        while await other.integrate_audit(5, integrate) is not None:
            pass
        exported = await store.export_audit(0, 1000)
        checkpoints = await other.audit_checkpoints()
    finally:
        await other.close()

    committed = [calls[checkpoint.note] for checkpoint in checkpoints]
    sizes = [checkpoint.size for checkpoint in checkpoints]
    assert [size for size, _ in committed] == [0, *sizes[:-1]]
    sequenced = [entry_id for _, ids in committed for entry_id in ids]
    assert len(sequenced) == len(set(sequenced)) == 240
    assert [entry.leaf_index for entry in exported] == list(range(240))
    assert sorted(entry.body for entry in exported) == sorted(row.body for row in rows)
