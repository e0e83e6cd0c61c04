"""Proofs planned over stored perfect subtrees are the RFC's proofs, and verify.

The node layouts are transparency-dev/merkle proof/proof_test.go's (TestInclusion, TestConsistency):
there a proof is a list of node IDs ``(level, index)`` with one range ``[begin, end)`` rehashed into
the ephemeral node; here that range is one step.
"""

from __future__ import annotations

from hashlib import sha256

import pytest

from hub.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from hub.audit.proofs import NodeId, ProofPlan, consistency_plan, inclusion_plan
from hub.errors import AuditProofInvalid
from tests.hub.audit import reference
from tests.hub.audit.tree_vectors import (
    CONSISTENCY_PROOFS,
    INCLUSION_PROOFS,
    LEAF_INPUTS,
    NODE_HASHES,
)

MAX_SIZE = 64
LEAVES = [leaf_hash(sha256(i.to_bytes(2, "big")).digest()) for i in range(MAX_SIZE)]
STORED = reference.perfect_subtrees(LEAVES)
ROOTS = [reference.mth(LEAVES[:size]) for size in range(MAX_SIZE + 1)]


def layout(ids: list[NodeId], begin: int = 0, end: int = 0) -> ProofPlan:
    """transparency-dev's ``Nodes{IDs, begin, end}`` as a plan."""
    singles = [(node,) for node in ids]
    if begin == end:
        return ProofPlan(tuple(singles))
    return ProofPlan((*singles[:begin], tuple(ids[begin:end]), *singles[end:]))


@pytest.mark.parametrize(
    ("index", "size", "want"),
    [
        (0, 1, layout([])),
        (0, 2, layout([(0, 1)])),
        (1, 2, layout([(0, 0)])),
        (1, 3, layout([(0, 0), (0, 2)])),
        (0, 7, layout([(0, 1), (1, 1), (0, 6), (1, 2)], 2, 4)),
        (1, 7, layout([(0, 0), (1, 1), (0, 6), (1, 2)], 2, 4)),
        (2, 7, layout([(0, 3), (1, 0), (0, 6), (1, 2)], 2, 4)),
        (3, 7, layout([(0, 2), (1, 0), (0, 6), (1, 2)], 2, 4)),
        (4, 7, layout([(0, 5), (0, 6), (2, 0)])),
        (5, 7, layout([(0, 4), (0, 6), (2, 0)])),
        (6, 7, layout([(1, 2), (2, 0)])),
        (2, 4, layout([(0, 3), (1, 0)])),
        (3, 5, layout([(0, 2), (1, 0), (0, 4)])),
        (3, 6, layout([(0, 2), (1, 0), (1, 2)])),
        (4, 6, layout([(0, 5), (2, 0)])),
        (10, 15, layout([(0, 11), (1, 4), (0, 14), (1, 6), (3, 0)], 2, 4)),
        (24, 31, layout([(0, 25), (1, 13), (0, 30), (1, 14), (3, 2), (4, 0)], 2, 4)),
        (
            81,
            95,
            layout([(0, 80), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)], 3, 6),
        ),
    ],
)
def test_inclusion_plan_reads_the_published_nodes(index: int, size: int, want: ProofPlan) -> None:
    assert inclusion_plan(index, size) == want


@pytest.mark.parametrize(
    ("size1", "size2", "want"),
    [
        (1, 2, layout([(0, 1)])),
        (1, 4, layout([(0, 1), (1, 1)])),
        (1, 6, layout([(0, 1), (1, 1), (1, 2)])),
        (2, 3, layout([(0, 2)])),
        (2, 8, layout([(1, 1), (2, 1)])),
        (3, 7, layout([(0, 2), (0, 3), (1, 0), (0, 6), (1, 2)], 3, 5)),
        (4, 7, layout([(0, 6), (1, 2)], 0, 2)),
        (5, 7, layout([(0, 4), (0, 5), (0, 6), (2, 0)])),
        (6, 7, layout([(1, 2), (0, 6), (2, 0)])),
        (7, 8, layout([(0, 6), (0, 7), (1, 2), (2, 0)])),
        *((size, size, layout([])) for size in (1, 2, 3, 4, 5, 7, 8)),
        (2, 4, layout([(1, 1)])),
        (3, 5, layout([(0, 2), (0, 3), (1, 0), (0, 4)])),
        (3, 6, layout([(0, 2), (0, 3), (1, 0), (1, 2)])),
        (4, 6, layout([(1, 2)])),
        (1, 7, layout([(0, 1), (1, 1), (0, 6), (1, 2)], 2, 4)),
        (10, 15, layout([(1, 4), (1, 5), (0, 14), (1, 6), (3, 0)], 2, 4)),
        (24, 31, layout([(3, 2), (0, 30), (1, 14), (2, 6), (4, 0)], 1, 4)),
        (
            81,
            95,
            layout(
                [(0, 80), (0, 81), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)],
                4,
                7,
            ),
        ),
    ],
)
def test_consistency_plan_reads_the_published_nodes(
    size1: int, size2: int, want: ProofPlan
) -> None:
    assert consistency_plan(size1, size2) == want


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (2, 1), (3, 0), (8, 7), (-1, 3)])
def test_inclusion_plan_refuses_a_leaf_outside_the_tree(index: int, size: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        inclusion_plan(index, size)


@pytest.mark.parametrize(("size1", "size2"), [(5, 0), (9, 8), (-1, 3)])
def test_consistency_plan_refuses_a_shrinking_tree(size1: int, size2: int) -> None:
    with pytest.raises(ValueError, match="cannot extend"):
        consistency_plan(size1, size2)


def test_consistency_with_the_empty_tree_reads_nothing() -> None:
    assert consistency_plan(0, 5) == ProofPlan(())


TEST_TREE = reference.perfect_subtrees([leaf_hash(data) for data in LEAF_INPUTS])


def test_stored_test_tree_holds_the_published_node_hashes() -> None:
    published = {(lv, i): node for lv, row in enumerate(NODE_HASHES) for i, node in enumerate(row)}
    assert published == TEST_TREE


@pytest.mark.parametrize(("index", "size", "published"), INCLUSION_PROOFS)
def test_built_inclusion_proof_is_the_published_one(
    index: int, size: int, published: list[bytes]
) -> None:
    assert inclusion_plan(index, size).build(TEST_TREE) == published


@pytest.mark.parametrize(("size1", "size2", "published"), CONSISTENCY_PROOFS)
def test_built_consistency_proof_is_the_published_one(
    size1: int, size2: int, published: list[bytes]
) -> None:
    assert consistency_plan(size1, size2).build(TEST_TREE) == published


def stored_at(size: int) -> dict[NodeId, bytes]:
    """Only the nodes a tree of ``size`` has completed: a proof must not need later ones."""
    return {(lv, i): h for (lv, i), h in STORED.items() if (i + 1) << lv <= size}


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_every_inclusion_proof_is_the_rfc_path_and_verifies(size: int) -> None:
    stored = stored_at(size)
    for index in range(size):
        proof = inclusion_plan(index, size).build(stored)
        assert proof == reference.path(index, LEAVES[:size])
        verify_inclusion(index, size, LEAVES[index], proof, ROOTS[size])


@pytest.mark.parametrize("size2", range(1, MAX_SIZE + 1))
def test_every_consistency_proof_is_the_rfc_proof_and_verifies(size2: int) -> None:
    stored = stored_at(size2)
    for size1 in range(1, size2 + 1):
        proof = consistency_plan(size1, size2).build(stored)
        assert proof == reference.proof(size1, LEAVES[:size2])
        verify_consistency(size1, size2, proof, ROOTS[size1], ROOTS[size2])


def flips(proof: list[bytes]) -> list[list[bytes]]:
    """The proof with one bit flipped, once per element."""
    return [[*proof[:i], bytes([e[0] ^ 1, *e[1:]]), *proof[i + 1 :]] for i, e in enumerate(proof)]


@pytest.mark.parametrize("size", range(2, MAX_SIZE + 1))
def test_no_tampered_inclusion_proof_verifies(size: int) -> None:
    for index in range(size):
        for tampered in flips(inclusion_plan(index, size).build(STORED)):
            with pytest.raises(AuditProofInvalid):
                verify_inclusion(index, size, LEAVES[index], tampered, ROOTS[size])


@pytest.mark.parametrize("size2", range(2, MAX_SIZE + 1))
def test_no_tampered_consistency_proof_verifies(size2: int) -> None:
    for size1 in range(1, size2):
        for tampered in flips(consistency_plan(size1, size2).build(STORED)):
            with pytest.raises(AuditProofInvalid):
                verify_consistency(size1, size2, tampered, ROOTS[size1], ROOTS[size2])


def test_a_missing_node_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        inclusion_plan(0, 8).build(stored_at(4))


def test_plan_lists_every_node_its_proof_reads() -> None:
    plan = inclusion_plan(81, 95)
    assert plan.nodes == ((0, 80), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0))
