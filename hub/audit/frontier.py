"""The right edge of the tree, enough to append leaves without reading the tree back.

A tree of size n is tiled by one perfect subtree per set bit of n, largest first (a "compact range"
in transparency-dev/merkle's words). Those few hashes give the root, and appending a leaf only ever
merges it with the smallest of them, so integrating a batch touches nothing else in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.audit.merkle import EMPTY_ROOT, node_hash
from hub.audit.proofs import NodeId, tiles


def frontier_nodes(size: int) -> tuple[NodeId, ...]:
    """The perfect subtrees tiling ``[0, size)``, largest first: what to load to resume."""
    return tiles(0, size)


@dataclass(frozen=True, slots=True)
class Frontier:
    """The hashes of ``frontier_nodes(size)``, in that order.

    Immutable, so the integrator can swap in the extended frontier only once the new nodes are
    durably stored, and a failed commit leaves the old one in force.
    """

    size: int = 0
    hashes: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        if self.size < 0 or len(self.hashes) != self.size.bit_count():
            raise ValueError(f"a tree of size {self.size} has {self.size.bit_count()} edge nodes")

    @property
    def root(self) -> bytes:
        """The tree hash: the edge subtrees folded together from the smallest up."""
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def extend(self, leaf_hashes: Iterable[bytes]) -> tuple[Frontier, dict[NodeId, bytes]]:
        """The frontier after appending the leaves, and every perfect subtree they completed.

        The new nodes include the leaves themselves at level 0; storing all of them is what makes
        any later proof a handful of lookups.
        """
        edge = list(self.hashes)
        size = self.size
        completed: dict[NodeId, bytes] = {}
        for h in leaf_hashes:
            level, index = 0, size
            completed[0, index] = h
            while index & 1:
                h = node_hash(edge.pop(), h)
                level, index = level + 1, index >> 1
                completed[level, index] = h
            edge.append(h)
            size += 1
        return Frontier(size, tuple(edge)), completed
