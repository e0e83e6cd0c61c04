"""An export file damaged in transit or by hand fails verification at the first bad line.

The files are built here from the documented format, independently of the exporter.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.checkpoint import Checkpoint
from hub.audit.export_format import HEADER, checkpoint_line, entry_line
from hub.audit.leaf import encode_leaf
from hub.audit.merkle import leaf_hash, tree_root
from hub.audit.note import NoteSigner
from hub.audit.verify import verify_export
from hub.errors import AuditKeyUnknown, AuditMalformed, AuditProofInvalid
from tests.hub.audit.real_log import SIGNER, audit_entry


def export_file(*batches: int) -> list[bytes]:
    """Header, entries, and a checkpoint after each batch: a log of ``sum(batches)`` entries."""
    lines = [HEADER]
    leaves: list[bytes] = []
    for size in batches:
        for _ in range(size):
            leaf = encode_leaf(audit_entry(len(leaves)))
            lines.append(entry_line(len(leaves), leaf))
            leaves.append(leaf_hash(leaf))
        head = Checkpoint(SIGNER.name, len(leaves), tree_root(leaves))
        lines.append(checkpoint_line(SIGNER.sign(head.text).decode()))
    return lines


def test_a_whole_file_verifies() -> None:
    verified = verify_export(export_file(3, 5), SIGNER.verifier)

    assert (verified.entries, verified.checkpoints) == (8, 2)
    assert verified.head is not None
    assert verified.head.size == 8


def test_the_export_of_an_empty_log_verifies_as_empty() -> None:
    verified = verify_export([HEADER], SIGNER.verifier)

    assert (verified.entries, verified.checkpoints, verified.head) == (0, 0, None)


def test_a_file_cut_before_its_last_checkpoint_fails() -> None:
    lines = export_file(4, 4)[:-1]

    with pytest.raises(AuditProofInvalid, match=r"no checkpoint covers entries 4\.\.7"):
        verify_export(lines, SIGNER.verifier)


def test_two_lines_swapped_fail_at_the_first() -> None:
    lines = export_file(8)
    lines[3], lines[4] = lines[4], lines[3]

    with pytest.raises(AuditProofInvalid, match="line 4: missing entry 2: entry 3 comes next"):
        verify_export(lines, SIGNER.verifier)


def test_a_repeated_entry_fails() -> None:
    lines = export_file(8)
    lines.insert(4, lines[3])

    with pytest.raises(AuditProofInvalid, match="line 5: entry 2 follows entry 2"):
        verify_export(lines, SIGNER.verifier)


def test_a_garbled_line_fails_as_malformed() -> None:
    lines = export_file(4)
    lines[2] = lines[2].replace(b'"leaf":"', b'"leaf":"!')

    with pytest.raises(AuditMalformed, match="line 3: not an entry or a checkpoint"):
        verify_export(lines, SIGNER.verifier)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "the file is empty"),
        ([b'{"format":"something-else","version":1}\n'], "line 1: not a tongban-audit-export"),
        ([b'{"format":"tongban-audit-export","version":2}\n'], "line 1: .* version 2 is not 1"),
        (export_file(2)[1:], "line 1: not a tongban-audit-export"),
    ],
)
def test_a_file_without_the_header_is_no_export(lines: list[bytes], message: str) -> None:
    with pytest.raises(AuditMalformed, match=message):
        verify_export(lines, SIGNER.verifier)


def test_the_key_of_another_log_verifies_nothing() -> None:
    other = NoteSigner(SIGNER.name, Ed25519PrivateKey.generate())

    with pytest.raises(AuditKeyUnknown, match="line 6: checkpoint after 4 entries"):
        verify_export(export_file(4), other.verifier)


def test_verifying_loads_neither_the_store_nor_a_database_driver() -> None:
    """Offline means offline: an auditor's machine needs no store, no driver, no database."""
    probe = "import sys, hub.audit.verify; print(*sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=True, text=True
    ).stdout.split()

    assert "hub.audit.verify" in loaded
    assert [m for m in loaded if m.split(".")[0] in {"asyncpg", "sqlite3"}] == []
    assert [m for m in loaded if m.startswith("hub.store")] == []
