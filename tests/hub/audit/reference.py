"""RFC 6962 section 2.1 transcribed literally, as an oracle for the fast code under test.

Recursive and slow on purpose: each function is the RFC's definition, line for line (MTH in 2.1,
PATH in 2.1.1, PROOF and SUBPROOF in 2.1.2), so agreement means agreement with the RFC.
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.audit.merkle import EMPTY_ROOT, node_hash

Leaves = Sequence[bytes]  # leaf hashes


def split(n: int) -> int:
    """The largest power of two smaller than n."""
    return 1 << ((n - 1).bit_length() - 1)


def mth(d: Leaves) -> bytes:
    if not d:
        return EMPTY_ROOT
    if len(d) == 1:
        return d[0]
    k = split(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: Leaves) -> list[bytes]:
    if len(d) == 1:
        return []
    k = split(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def proof(m: int, d: Leaves) -> list[bytes]:
    return subproof(m, d, True)


def subproof(m: int, d: Leaves, b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = split(n)
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def perfect_subtrees(d: Leaves) -> dict[tuple[int, int], bytes]:
    """Every perfect subtree's hash by ``(level, index)``: what the store holds for the tree d."""
    nodes = {}
    for level in range(len(d).bit_length()):
        width = 1 << level
        for index in range(len(d) // width):
            nodes[level, index] = mth(d[index * width : (index + 1) * width])
    return nodes
