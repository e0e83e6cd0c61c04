"""Checkpoints print and parse in exactly one spelling, and the log never signs a fork.

The example body is c2sp.org/tlog-checkpoint's.
"""

from __future__ import annotations

import base64
from hashlib import sha256

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.checkpoint import Checkpoint, CheckpointSigner, open_checkpoint
from hub.audit.frontier import Frontier
from hub.audit.merkle import leaf_hash
from hub.audit.note import NoteSigner
from hub.audit.proofs import consistency_plan
from hub.errors import AuditKeyUnknown, AuditMalformed, AuditProofInvalid

ORIGIN = "tongban.example/audit"
C2SP_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
ROOT = sha256(b"root").digest()
ROOT64 = base64.b64encode(ROOT).decode()
URLSAFE_ROOT64 = base64.urlsafe_b64encode(bytes(range(200, 232))).decode()

LEAVES = [leaf_hash(i.to_bytes(2, "big")) for i in range(40)]
FRONTIER, STORED = Frontier().extend(LEAVES)


def tree(size: int) -> bytes:
    return Frontier().extend(LEAVES[:size])[0].root


def proof(size1: int, size2: int) -> list[bytes]:
    return consistency_plan(size1, size2).build(STORED)


@pytest.fixture
def signer() -> NoteSigner:
    return NoteSigner(ORIGIN, Ed25519PrivateKey.generate())


def test_c2sp_example_parses_and_prints_back() -> None:
    checkpoint = Checkpoint.parse(C2SP_BODY)

    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert checkpoint.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.text == C2SP_BODY


@pytest.mark.parametrize("extensions", [(), ("ext one", "ext/two")])
@pytest.mark.parametrize("size", [0, 1, 2**64 - 1])
def test_checkpoint_round_trips(size: int, extensions: tuple[str, ...]) -> None:
    checkpoint = Checkpoint(ORIGIN, size, ROOT, extensions)

    assert Checkpoint.parse(checkpoint.text) == checkpoint
    assert checkpoint.text.splitlines() == [ORIGIN, str(size), ROOT64, *extensions]


@pytest.mark.parametrize(
    "text",
    [
        f"{ORIGIN}\n5\n{ROOT64}",
        f"{ORIGIN}\n5\n",
        f"\n5\n{ROOT64}\n",
        f"{ORIGIN}\t\n5\n{ROOT64}\n",
        f"{ORIGIN}\n05\n{ROOT64}\n",
        f"{ORIGIN}\n+5\n{ROOT64}\n",
        f"{ORIGIN}\n-5\n{ROOT64}\n",
        f"{ORIGIN}\n 5\n{ROOT64}\n",
        f"{ORIGIN}\n\u0665\n{ROOT64}\n",
        f"{ORIGIN}\n{2**64}\n{ROOT64}\n",
        f"{ORIGIN}\n5\n{ROOT64.rstrip('=')}\n",
        f"{ORIGIN}\n5\n{ROOT64[:-2]}J=\n",
        f"{ORIGIN}\n5\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"{ORIGIN}\n5\n{URLSAFE_ROOT64}\n",
        f"{ORIGIN}\n5\n{ROOT64}\n\n",
        f"{ORIGIN}\n5\n{ROOT64}\next\n\n",
    ],
    ids=[
        "no final newline",
        "no root",
        "empty origin",
        "control character",
        "leading zero",
        "plus sign",
        "negative size",
        "space in size",
        "non-ASCII digit",
        "size beyond uint64",
        "unpadded root",
        "non-canonical root",
        "short root",
        "url-safe base64 root",
        "empty extension line",
        "empty line after extension",
    ],
)
def test_anything_but_the_canonical_spelling_is_refused(text: str) -> None:
    with pytest.raises(AuditMalformed):
        Checkpoint.parse(text)


def test_open_checkpoint_checks_the_key_and_the_origin(signer: NoteSigner) -> None:
    note = signer.sign(Checkpoint(ORIGIN, 7, ROOT).text)
    stranger = NoteSigner("elsewhere.example/log", Ed25519PrivateKey.generate())

    assert open_checkpoint(note, signer.verifier) == Checkpoint(ORIGIN, 7, ROOT)
    with pytest.raises(AuditKeyUnknown):
        open_checkpoint(note, stranger.verifier)
    with pytest.raises(AuditMalformed, match="elsewhere"):
        open_checkpoint(stranger.sign(Checkpoint(ORIGIN, 7, ROOT).text), stranger.verifier)


def test_signer_signs_a_growing_consistent_tree(signer: NoteSigner) -> None:
    checkpoints = CheckpointSigner(signer)
    notes = [checkpoints.sign_next(3, tree(3), [])]
    for size1, size2 in [(3, 3), (3, 10), (10, 16), (16, 40)]:
        notes.append(checkpoints.sign_next(size2, tree(size2), proof(size1, size2)))

    opened = [open_checkpoint(note, signer.verifier) for note in notes]
    assert [(c.size, c.root) for c in opened] == [(s, tree(s)) for s in (3, 3, 10, 16, 40)]
    assert checkpoints.last == opened[-1]


def test_signer_refuses_a_fork_and_keeps_its_last_checkpoint(signer: NoteSigner) -> None:
    checkpoints = CheckpointSigner(signer)
    checkpoints.sign_next(10, tree(10), [])
    last = checkpoints.last

    with pytest.raises(AuditProofInvalid):
        checkpoints.sign_next(16, ROOT, proof(10, 16))
    with pytest.raises(AuditProofInvalid):
        checkpoints.sign_next(10, ROOT, [])
    with pytest.raises(AuditProofInvalid):
        checkpoints.sign_next(16, tree(16), proof(9, 16))
    assert checkpoints.last == last


def test_signer_refuses_to_shrink_the_tree(signer: NoteSigner) -> None:
    checkpoints = CheckpointSigner(signer, Checkpoint(ORIGIN, 10, tree(10)))

    with pytest.raises(AuditProofInvalid, match="cannot extend"):
        checkpoints.sign_next(9, tree(9), [])


def test_first_checkpoint_takes_no_proof(signer: NoteSigner) -> None:
    with pytest.raises(AuditProofInvalid):
        CheckpointSigner(signer).sign_next(16, tree(16), proof(10, 16))


def test_signer_resumes_from_the_last_signed_checkpoint(signer: NoteSigner) -> None:
    note = CheckpointSigner(signer).sign_next(10, tree(10), [])
    resumed = CheckpointSigner(signer, open_checkpoint(note, signer.verifier))

    with pytest.raises(AuditProofInvalid):
        resumed.sign_next(16, ROOT, proof(10, 16))
    resumed.sign_next(16, tree(16), proof(10, 16))


def test_signer_refuses_a_last_checkpoint_of_another_log(signer: NoteSigner) -> None:
    with pytest.raises(AuditMalformed):
        CheckpointSigner(signer, Checkpoint("elsewhere.example/log", 1, ROOT))
