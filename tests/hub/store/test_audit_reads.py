"""Reading the log back for proofs and exports: entries by index, checkpoints, tree nodes."""

from __future__ import annotations

from hub.store import Store
from hub.store.audit_records import CheckpointRow, Integration, PendingEntry, TreeState
from tests.hub.store.auditing import T0, audit_row, hash_bodies


async def log_in_batches(store: Store, *sizes: int) -> list[CheckpointRow]:
    """Appends and sequences batches of these sizes: one checkpoint each."""
    checkpoints: list[CheckpointRow] = []
    for size in sizes:
        first = checkpoints[-1].size if checkpoints else 0
        await store.append_audit_entries([audit_row(n) for n in range(first, first + size)])
        integration = await store.integrate_audit(100, hash_bodies)
        assert integration is not None
        checkpoints.append(integration.checkpoint)
    return checkpoints


async def test_an_export_is_a_stretch_of_the_log_in_index_order(store: Store) -> None:
    await log_in_batches(store, 4, 6)

    stretch = await store.export_audit(3, 5)

    assert [entry.leaf_index for entry in stretch] == [3, 4, 5, 6, 7]
    assert [entry.body for entry in stretch] == [audit_row(n).body for n in range(3, 8)]
    assert [entry.leaf_index for entry in await store.export_audit(8, 5)] == [8, 9]
    assert await store.export_audit(10, 5) == []


async def test_an_entry_is_found_by_its_index_once_sequenced(store: Store) -> None:
    await log_in_batches(store, 2)
    await store.append_audit_entries([audit_row(2)])

    found = await store.audit_entry(1)

    assert found is not None
    assert (found.leaf_index, found.body) == (1, audit_row(1).body)
    assert await store.audit_entry(2) is None


async def test_checkpoints_are_found_by_size_and_listed_after_one(store: Store) -> None:
    checkpoints = await log_in_batches(store, 1, 2, 3, 4)

    assert await store.audit_checkpoint() == checkpoints[-1]
    assert await store.audit_checkpoint(3) == checkpoints[1]
    assert await store.audit_checkpoint(4) is None
    assert await store.audit_checkpoints() == checkpoints
    assert await store.audit_checkpoints(after_size=1, limit=2) == checkpoints[1:3]


async def test_a_checkpoint_keeps_its_note_root_and_time(store: Store) -> None:
    def signed(state: TreeState, pending: list[PendingEntry]) -> Integration:
        size = state.size + len(pending)
        note = f"tongban.example/audit\n{size}\nroot\n\n— tongban.example/audit sig\n"
        return Integration(size, {}, CheckpointRow(size, bytes(range(32)), note, T0))

    await store.append_audit_entries([audit_row(0)])
    integration = await store.integrate_audit(100, signed)

    assert integration is not None
    assert await store.audit_checkpoint(1) == integration.checkpoint


async def test_nodes_are_read_back_by_key_and_missing_ones_left_out(store: Store) -> None:
    nodes = {(0, 0): b"leaf 0", (0, 1): b"leaf 1", (1, 0): b"both"}

    def integrate(state: TreeState, pending: list[PendingEntry]) -> Integration:
        return Integration(2, nodes, CheckpointRow(2, b"root", "test\n", T0))

    await store.append_audit_entries([audit_row(0), audit_row(1)])
    await store.integrate_audit(100, integrate)

    assert await store.audit_nodes([(1, 0), (0, 1), (2, 0), (0, 2)]) == {
        (1, 0): b"both",
        (0, 1): b"leaf 1",
    }
    assert await store.audit_nodes([]) == {}
