"""Tree hashing and proof verification reproduce the published RFC 6962 vectors.

The probes that corrupt a good proof are those of transparency-dev/merkle proof/verify_test.go
(corruptInclusionProof, corruptConsistencyProof, TestVerifyInclusion*, TestVerifyConsistency).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hub.audit.merkle import (
    EMPTY_ROOT,
    leaf_hash,
    node_hash,
    tree_root,
    verify_consistency,
    verify_inclusion,
)
from hub.errors import AuditProofInvalid
from tests.hub.audit.tree_vectors import (
    CONSISTENCY_PROOFS,
    INCLUSION_PROOFS,
    LEAF_INPUTS,
    NODE_HASHES,
    ROOTS,
)

LEAVES = [leaf_hash(data) for data in LEAF_INPUTS]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_empty_tree_root_is_the_hash_of_nothing() -> None:
    assert tree_root([]) == EMPTY_ROOT == ROOTS[0]


def test_leaf_hashes_match_the_test_tree() -> None:
    assert [leaf_hash(data) for data in LEAF_INPUTS] == NODE_HASHES[0]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_node_hashes_match_the_test_tree(level: int) -> None:
    below = NODE_HASHES[level - 1]
    pairs = zip(below[::2], below[1::2], strict=True)
    assert [node_hash(left, right) for left, right in pairs] == NODE_HASHES[level]


@pytest.mark.parametrize("size", range(len(ROOTS)))
def test_root_of_every_prefix_matches_the_published_root(size: int) -> None:
    assert tree_root(LEAVES[:size]) == ROOTS[size]


def flip(proof: list[bytes], i: int, mask: int) -> list[bytes]:
    """The proof with the ``mask`` bits of element i's first byte flipped."""
    return [*proof[:i], bytes([proof[i][0] ^ mask]) + proof[i][1:], *proof[i + 1 :]]


def rejected(verify: Callable[..., None], *args: object) -> bool:
    try:
        verify(*args)
    except AuditProofInvalid:
        return True
    return False


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_PROOFS)
def test_published_inclusion_proof_verifies_and_no_corruption_of_it_does(
    index: int, size: int, proof: list[bytes]
) -> None:
    root, leaf = ROOTS[size], LEAVES[index]
    verify_inclusion(index, size, leaf, proof, root)

    probes: dict[str, tuple[int, int, bytes, list[bytes], bytes]] = {
        "index - 1": (index - 1, size, leaf, proof, root),
        "index + 1": (index + 1, size, leaf, proof, root),
        "index ^ 2": (index ^ 2, size, leaf, proof, root),
        "size * 2": (index, size * 2, leaf, proof, root),
        "size // 2": (index, size // 2, leaf, proof, root),
        "wrong leaf": (index, size, b"WrongLeaf", proof, root),
        "empty root": (index, size, leaf, proof, EMPTY_ROOT),
        "random root": (index, size, leaf, proof, SOME_HASH),
        "trailing garbage": (index, size, leaf, [*proof, b""], root),
        "trailing root": (index, size, leaf, [*proof, root], root),
        "preceding garbage": (index, size, leaf, [b"", *proof], root),
        "preceding root": (index, size, leaf, [root, *proof], root),
    }
    for i in range(len(proof)):
        probes[f"proof[{i}] bit 3"] = (index, size, leaf, flip(proof, i, 8), root)
    if proof:
        probes["removed component"] = (index, size, leaf, proof[:-1], root)
    if len(proof) > 1:
        probes["inserted component"] = (index, size, leaf, [proof[0], SOME_HASH, *proof[1:]], root)

    assert [desc for desc, args in probes.items() if not rejected(verify_inclusion, *args)] == []


def test_single_entry_tree_proves_its_leaf_with_an_empty_proof() -> None:
    leaf = leaf_hash(b"data")
    verify_inclusion(0, 1, leaf, [], leaf)
    assert rejected(verify_inclusion, 0, 1, b"", [], leaf)
    assert rejected(verify_inclusion, 0, 1, leaf, [], b"")
    assert rejected(verify_inclusion, 0, 1, b"", [], b"")


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_inclusion_rejects_an_unrelated_or_malformed_leaf_and_root(index: int, size: int) -> None:
    assert rejected(verify_inclusion, index, size, SOME_HASH, [], b"")
    assert rejected(verify_inclusion, index, size, b"", [], EMPTY_ROOT)
    assert rejected(verify_inclusion, index, size, SOME_HASH, [], EMPTY_ROOT)


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY_PROOFS)
def test_published_consistency_proof_verifies_and_no_corruption_of_it_does(
    size1: int, size2: int, proof: list[bytes]
) -> None:
    root1, root2 = ROOTS[size1], ROOTS[size2]
    verify_consistency(size1, size2, proof, root1, root2)
    if not proof:
        return

    probes: dict[str, tuple[int, int, list[bytes], bytes, bytes]] = {
        "size1 - 1": (size1 - 1, size2, proof, root1, root2),
        "size1 + 1": (size1 + 1, size2, proof, root1, root2),
        "size1 ^ 2": (size1 ^ 2, size2, proof, root1, root2),
        "size2 * 2": (size1, size2 * 2, proof, root1, root2),
        "size2 // 2": (size1, size2 // 2, proof, root1, root2),
        "wrong root1": (size1, size2, proof, b"WrongRoot", root2),
        "wrong root2": (size1, size2, proof, root1, b"WrongRoot"),
        "swapped roots": (size1, size2, proof, root2, root1),
        "empty proof": (size1, size2, [], root1, root2),
        "trailing garbage": (size1, size2, [*proof, b""], root1, root2),
        "trailing root1": (size1, size2, [*proof, root1], root1, root2),
        "trailing root2": (size1, size2, [*proof, root2], root1, root2),
        "preceding garbage": (size1, size2, [b"", *proof], root1, root2),
        "preceding root1": (size1, size2, [root1, *proof], root1, root2),
        "preceding root2": (size1, size2, [root2, *proof], root1, root2),
        "preceding proof[0]": (size1, size2, [proof[0], *proof], root1, root2),
        "truncated proof": (size1, size2, proof[:-1], root1, root2),
    }
    for i in range(len(proof)):
        probes[f"proof[{i}] bit 4"] = (size1, size2, flip(proof, i, 16), root1, root2)

    assert [desc for desc, args in probes.items() if not rejected(verify_consistency, *args)] == []


# verify_test.go's "don't care" roots, padded: a hash of another length is refused outright here.
ROOT1, ROOT2 = b"don't care 1".ljust(32), b"don't care 2".ljust(32)


@pytest.mark.parametrize(
    ("size1", "size2", "root1", "root2", "proof", "valid"),
    [
        pytest.param(0, 0, ROOT1, ROOT2, [], False, id="empty trees, two roots"),
        pytest.param(1, 1, ROOT1, ROOT2, [], False, id="same size, two roots"),
        pytest.param(0, 0, ROOT1, ROOT1, [], True, id="empty trees, one root"),
        pytest.param(0, 1, ROOT1, ROOT2, [], True, id="anything extends the empty tree"),
        pytest.param(1, 1, ROOT2, ROOT2, [], True, id="same size, one root"),
        pytest.param(1, 0, ROOT1, ROOT2, [], False, id="back to the empty tree"),
        pytest.param(2, 1, ROOT1, ROOT2, [], False, id="back in time"),
        pytest.param(1, 2, ROOT1, ROOT2, [], False, id="growth without a proof"),
        pytest.param(0, 0, EMPTY_ROOT, ROOT2, [], False, id="empty trees, roots differ"),
        pytest.param(1, 1, EMPTY_ROOT, ROOT2, [], False, id="same size, roots differ"),
        pytest.param(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False, id="empty, a proof"),
        pytest.param(0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False, id="from empty, a proof"),
        pytest.param(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False, id="same size, a proof"),
    ],
)
def test_trivial_consistency_needs_no_proof_and_agreeing_roots(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes], valid: bool
) -> None:
    assert rejected(verify_consistency, size1, size2, proof, root1, root2) is not valid
