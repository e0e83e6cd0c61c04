"""Which stored nodes an inclusion or consistency proof needs, and how to assemble them.

The store keeps only the hashes of *perfect* subtrees, keyed ``(level, index)``: the hash of leaves
``[index * 2**level, (index + 1) * 2**level)``. They never change once written, unlike nodes on the
right edge of the tree, so they can be stored as the tree grows and read back for any past size.
A proof element over a non-perfect right-edge subtree is composed from the perfect subtrees that
tile it. Planning is pure arithmetic, so the store fetches a proof's O(log n) nodes in one query.
The layout is that of transparency-dev/merkle's ``proof.Inclusion`` and ``proof.Consistency``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from hub.audit.merkle import node_hash

NodeId: TypeAlias = tuple[int, int]
"""``(level, index)`` of a perfect subtree; level 0 holds the leaf hashes."""


@dataclass(frozen=True, slots=True)
class ProofPlan:
    """A proof as stored nodes: one step per proof hash, in proof order.

    A step of several nodes is an ephemeral right-edge subtree; its nodes are listed from the
    lowest (rightmost) to the highest, and fold into ``node_hash(higher, lower)``.
    """

    steps: tuple[tuple[NodeId, ...], ...]

    @property
    def nodes(self) -> tuple[NodeId, ...]:
        """Every node the proof reads, each once, for a single store query."""
        return tuple(node for step in self.steps for node in step)

    def build(self, hashes: Mapping[NodeId, bytes]) -> list[bytes]:
        """The proof from the fetched hashes; a missing node raises ``KeyError``."""
        proof = []
        for first, *higher in self.steps:
            h = hashes[first]
            for node in higher:
                h = node_hash(hashes[node], h)
            proof.append(h)
        return proof


def inclusion_plan(index: int, size: int) -> ProofPlan:
    """Nodes proving leaf ``index`` is in the tree of ``size``; needs ``0 <= index < size``."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    return _path(0, index, size)


def consistency_plan(size1: int, size2: int) -> ProofPlan:
    """Nodes proving the tree of ``size2`` extends that of ``size1``; needs ``size1 <= size2``.

    The proof is the inclusion path of the largest perfect subtree ending at ``size1``, preceded
    by that subtree's own hash unless it is the whole old tree, which the verifier already has.
    """
    if not 0 <= size1 <= size2:
        raise ValueError(f"a tree of size {size2} cannot extend one of size {size1}")
    if size1 == 0 or size1 == size2:
        return ProofPlan(())
    level = (size1 & -size1).bit_length() - 1
    index = (size1 - 1) >> level
    path = _path(level, index, size2)
    if size1 == 1 << level:
        return path
    return ProofPlan((((level, index),), *path.steps))


def _path(level: int, index: int, size: int) -> ProofPlan:
    """Siblings up from node ``(level, index)`` to the root of the tree of ``size``.

    Below the ``fork``, where the path parts from the right edge, every sibling is perfect. The
    fork's right sibling is ephemeral: it is composed from the perfect subtrees tiling it. Above
    the fork every sibling is a perfect subtree to the left, one per set bit of its start.
    """
    inner = (index ^ (size >> level)).bit_length() - 1
    fork_start = (index >> inner) << (level + inner)
    fork_end = fork_start + (1 << (level + inner))
    steps: list[tuple[NodeId, ...]] = [((level + i, (index >> i) ^ 1),) for i in range(inner)]
    if ephemeral := tiles(fork_end, size):
        steps.append(ephemeral[::-1])
    steps.extend((node,) for node in reversed(tiles(0, fork_start)))
    return ProofPlan(tuple(steps))


def tiles(start: int, end: int) -> tuple[NodeId, ...]:
    """Perfect subtrees tiling ``[start, end)``, largest first; ``start`` is aligned to them all."""
    nodes = []
    for level in reversed(range((end - start).bit_length())):
        if (end - start) >> level & 1:
            nodes.append((level, start >> level))
            start += 1 << level
    return tuple(nodes)
