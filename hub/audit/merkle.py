"""The RFC 9162 (RFC 6962) Merkle tree: hashing and proof verification.

This module is all an offline verifier needs besides the leaf format and the signed checkpoint, so
it stays free of anything the hub itself does (storing nodes, generating proofs). Verification
follows the algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2 step by step, so a reader can
check one against the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from hub.errors import AuditProofInvalid

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()
"""The root of the empty tree: the hash of the empty string (RFC 9162 section 2.1.1)."""


def leaf_hash(data: bytes) -> bytes:
    """The 0x00 prefix keeps a leaf from ever hashing like an interior node (second preimages)."""
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def tree_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The tree hash of all the leaves, one level at a time rather than by recursion.

    Carrying an unpaired last node up unchanged gives RFC 9162's split at the largest power of two
    below the size, because every left-hand split is then a perfect subtree.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Prove that ``leaf`` (a leaf hash) is entry ``index`` of the tree ``root`` of ``size``."""
    if not 0 <= index < size:
        raise AuditProofInvalid(f"leaf index {index} is outside a tree of size {size}")
    _check_hashes(leaf, root, *proof)
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise AuditProofInvalid("inclusion proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise AuditProofInvalid("inclusion proof is shorter than the tree is high")
    if r != root:
        raise AuditProofInvalid(f"leaf {index} is not in the tree of size {size} with this root")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Prove that the tree ``root2`` of ``size2`` extends the tree ``root1`` of ``size1``.

    Every tree extends the empty one, and a tree extends itself, with an empty proof; RFC 9162
    leaves those cases to the caller, and a log must still answer them.
    """
    if not 0 <= size1 <= size2:
        raise AuditProofInvalid(f"a tree of size {size2} cannot extend one of size {size1}")
    _check_hashes(root1, root2, *proof)
    if size1 == 0 or size1 == size2:
        if proof:
            raise AuditProofInvalid(f"consistency of sizes {size1} and {size2} needs no proof")
        if size1 == size2 and root1 != root2:
            raise AuditProofInvalid(f"two different roots for the tree of size {size1}")
        return
    if not proof:
        raise AuditProofInvalid(f"consistency of sizes {size1} and {size2} needs a proof")
    path = [root1, *proof] if size1 & (size1 - 1) == 0 else list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise AuditProofInvalid("consistency proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != root1 or sr != root2:
        raise AuditProofInvalid(f"the tree of size {size2} does not extend that of size {size1}")


def _check_hashes(*hashes: bytes) -> None:
    if any(len(h) != HASH_SIZE for h in hashes):
        raise AuditProofInvalid(f"every hash in a proof must be {HASH_SIZE} bytes")
