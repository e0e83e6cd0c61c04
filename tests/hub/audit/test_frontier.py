"""The frontier extends the tree in batches to the same roots and nodes as building it whole.

The right-edge hashes for sizes 0 to 8 are transparency-dev/merkle testonly/constants.go's
CompactTrees; the roots and stored nodes are checked against the RFC's own definitions.
"""

from __future__ import annotations

import random
from hashlib import sha256

import pytest

from hub.audit.frontier import Frontier, frontier_nodes
from hub.audit.merkle import leaf_hash
from hub.audit.proofs import NodeId
from tests.hub.audit import reference
from tests.hub.audit.tree_vectors import COMPACT_TREES, LEAF_INPUTS, NODE_HASHES, ROOTS

TEST_LEAVES = [leaf_hash(data) for data in LEAF_INPUTS]
LEAVES = [leaf_hash(sha256(i.to_bytes(4, "big")).digest()) for i in range(1000)]


@pytest.mark.parametrize("size", range(len(COMPACT_TREES)))
def test_frontier_of_the_test_tree_is_the_published_compact_range(size: int) -> None:
    frontier, _ = Frontier().extend(TEST_LEAVES[:size])

    assert list(frontier.hashes) == COMPACT_TREES[size]
    nodes = [NODE_HASHES[level][index] for level, index in frontier_nodes(size)]
    assert nodes == COMPACT_TREES[size]
    assert frontier.root == ROOTS[size]


def test_leaves_one_at_a_time_give_the_root_of_every_size() -> None:
    frontier = Frontier()
    for size in range(1, 130):
        frontier, _ = frontier.extend([LEAVES[size - 1]])
        assert (frontier.size, frontier.root) == (size, reference.mth(LEAVES[:size]))


@pytest.mark.parametrize("seed", range(5))
def test_random_batches_store_every_perfect_subtree_exactly_once(seed: int) -> None:
    rng = random.Random(seed)
    frontier, stored, batches = Frontier(), dict[NodeId, bytes](), 0
    while frontier.size < len(LEAVES):
        batch = LEAVES[frontier.size : frontier.size + rng.randint(0, 70)]
        frontier, completed = frontier.extend(batch)
        assert stored.keys().isdisjoint(completed)
        stored |= completed
        batches += 1
        assert frontier.root == reference.mth(LEAVES[: frontier.size])

    assert batches > 10
    assert stored == reference.perfect_subtrees(LEAVES)


def test_frontier_resumes_from_stored_nodes() -> None:
    whole, stored = Frontier().extend(LEAVES[:777])
    resumed = Frontier(777, tuple(stored[node] for node in frontier_nodes(777)))

    assert resumed == whole
    assert resumed.extend(LEAVES[777:]) == whole.extend(LEAVES[777:])


def test_extending_leaves_the_old_frontier_in_force() -> None:
    before, _ = Frontier().extend(LEAVES[:5])
    before.extend(LEAVES[5:9])

    assert (before.size, before.root) == (5, reference.mth(LEAVES[:5]))


@pytest.mark.parametrize(("size", "count"), [(3, 1), (4, 2), (0, 1), (-1, 0)])
def test_frontier_needs_one_hash_per_set_bit_of_its_size(size: int, count: int) -> None:
    with pytest.raises(ValueError, match="edge nodes"):
        Frontier(size, tuple(LEAVES[:count]))
