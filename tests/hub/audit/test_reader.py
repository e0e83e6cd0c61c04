"""Proofs read from the store verify against the signed checkpoints they come with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from hub.audit.checkpoint import open_checkpoint
from hub.audit.leaf import encode_leaf
from hub.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from hub.audit.reader import AuditReader
from hub.errors import AuditNotFound
from hub.store import Store
from tests.hub.audit.real_log import SIGNER, write_log

BATCHES = (1, 2, 5, 8, 3)
SIZES = (1, 3, 8, 16, 19)


async def test_every_entry_is_proved_in_every_checkpointed_tree_that_holds_it(
    store: Store,
) -> None:
    entries = await write_log(store, BATCHES)
    reader = AuditReader(store)

    for size in SIZES:
        for index in range(size):
            proof = await reader.inclusion(index, size)
            head = open_checkpoint(proof.checkpoint.note.encode(), SIGNER.verifier)
            leaf = leaf_hash(encode_leaf(entries[index]))
            verify_inclusion(index, head.size, leaf, proof.hashes, head.root)
    latest = await reader.inclusion(0)
    assert latest.checkpoint.size == SIZES[-1]


async def test_every_checkpoint_is_proved_consistent_with_every_later_one(store: Store) -> None:
    await write_log(store, BATCHES)
    reader = AuditReader(store)

    for old_size in SIZES:
        for new_size in SIZES[SIZES.index(old_size) :]:
            proof = await reader.consistency(old_size, new_size)
            old = open_checkpoint(proof.old.note.encode(), SIGNER.verifier)
            new = open_checkpoint(proof.new.note.encode(), SIGNER.verifier)
            verify_consistency(old.size, new.size, proof.hashes, old.root, new.root)


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        (lambda r: r.inclusion(3, 8), "no checkpoint of tree size 8"),
        (lambda r: r.inclusion(3, 3), "tree of size 3 has no entry 3"),
        (lambda r: r.inclusion(-1), "has no entry -1"),
        (lambda r: r.consistency(1, 4), "no checkpoint of tree size 4"),
        (lambda r: r.consistency(3, 1), "no tree of size 1 extends one of size 3"),
        (lambda r: r.checkpoint(0), "no checkpoint of tree size 0"),
    ],
)
async def test_sizes_and_indices_without_a_checkpoint_are_not_found(
    store: Store, ask: Callable[[AuditReader], Awaitable[object]], message: str
) -> None:
    await write_log(store, (1, 2))

    with pytest.raises(AuditNotFound, match=message):
        await ask(AuditReader(store))


async def test_an_empty_log_has_no_checkpoint(store: Store) -> None:
    with pytest.raises(AuditNotFound, match="no checkpoint yet"):
        await AuditReader(store).inclusion(0)
