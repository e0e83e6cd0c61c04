"""Whatever is done to the log in the database, the export of it fails verification, and says where.

The log is written as the hub writes it (AuditWriter, then AuditIntegrator signing with a real
key), tampered with in SQL behind the store's back, exported, and verified with the public key
alone. Batches of four give checkpoints of sizes 4, 8, 12 and 16.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.checkpoint import Checkpoint, open_checkpoint
from hub.audit.leaf import AuditEntry, encode_leaf
from hub.audit.merkle import leaf_hash, tree_root
from hub.audit.note import NoteSigner
from hub.audit.verify import verify_export
from hub.errors import AuditError, AuditKeyUnknown, AuditProofInvalid, AuditSignatureInvalid
from hub.store import Store
from tests.hub.audit.real_log import SIGNER, export_lines, tamper, write_log

BATCHES = (4, 4, 4, 4)

Tampering = Callable[[str, list[AuditEntry]], Awaitable[None]]


async def edit_an_entry(url: str, entries: list[AuditEntry]) -> None:
    edited = encode_leaf(replace(entries[5], outcome="failed"))
    await tamper(url, "UPDATE audit_entries SET body = $1 WHERE leaf_index = 5", edited)


async def delete_an_entry(url: str, entries: list[AuditEntry]) -> None:
    await tamper(url, "DELETE FROM audit_entries WHERE leaf_index = 5")


async def insert_an_entry(url: str, entries: list[AuditEntry]) -> None:
    """Entry 5 onwards move up one, through negative indices: the index is unique at all times."""
    await tamper(url, "UPDATE audit_entries SET leaf_index = -leaf_index - 1 WHERE leaf_index >= 5")
    await tamper(url, "UPDATE audit_entries SET leaf_index = -leaf_index WHERE leaf_index < 0")
    forged = encode_leaf(replace(entries[5], subject="110101198001010010"))
    await tamper(
        url,
        "INSERT INTO audit_entries (leaf_index, body, time, request_id, subject, client_id,"
        " purpose) SELECT 5, $1, time, request_id, subject, client_id, purpose"
        " FROM audit_entries WHERE leaf_index = 0",
        forged,
    )


async def reorder_two_entries(url: str, entries: list[AuditEntry]) -> None:
    await tamper(url, "UPDATE audit_entries SET leaf_index = -1 WHERE leaf_index = 5")
    await tamper(url, "UPDATE audit_entries SET leaf_index = 5 WHERE leaf_index = 6")
    await tamper(url, "UPDATE audit_entries SET leaf_index = 6 WHERE leaf_index = -1")


async def truncate_the_tail(url: str, entries: list[AuditEntry]) -> None:
    await tamper(url, "DELETE FROM audit_entries WHERE leaf_index >= 14")


def signed_note(entries: list[AuditEntry], signer: NoteSigner = SIGNER) -> str:
    """The checkpoint of these entries as ``signer`` signs it (Ed25519 is deterministic)."""
    root = tree_root([leaf_hash(encode_leaf(entry)) for entry in entries])
    return signer.sign(Checkpoint(SIGNER.name, len(entries), root).text).decode()


async def sign_a_checkpoint_with_another_key(url: str, entries: list[AuditEntry]) -> None:
    impostor = NoteSigner(SIGNER.name, Ed25519PrivateKey.generate())
    note = signed_note(entries[:8], impostor)
    await tamper(url, "UPDATE audit_checkpoints SET note = $1 WHERE size = 8", note)


async def change_a_signed_root(url: str, entries: list[AuditEntry]) -> None:
    """The root of eight other entries, under the genuine signature of the real ones."""
    genuine, signature = signed_note(entries[:8]).split("\n\n")
    forged, _ = signed_note(entries[1:9]).split("\n\n")
    assert forged != genuine
    note = f"{forged}\n\n{signature}"
    await tamper(url, "UPDATE audit_checkpoints SET note = $1 WHERE size = 8", note)


async def put_one_checkpoint_in_anothers_place(url: str, entries: list[AuditEntry]) -> None:
    await tamper(
        url,
        "UPDATE audit_checkpoints SET note = (SELECT note FROM audit_checkpoints WHERE size = 12)"
        " WHERE size = 8",
    )


@pytest.mark.parametrize(
    ("tampering", "error", "message"),
    [
        (edit_an_entry, AuditProofInvalid, r"size 8 does not match .* in entries 4\.\.7"),
        (delete_an_entry, AuditProofInvalid, r"missing entry 5: entry 6 comes next"),
        (insert_an_entry, AuditProofInvalid, r"size 8 does not match .* in entries 4\.\.7"),
        (reorder_two_entries, AuditProofInvalid, r"size 8 does not match .* in entries 4\.\.7"),
        (truncate_the_tail, AuditProofInvalid, r"size 16 follows 14 .* entries 14\.\.15"),
        (sign_a_checkpoint_with_another_key, AuditKeyUnknown, r"after 8 entries: .* no signature"),
        (change_a_signed_root, AuditSignatureInvalid, r"after 8 entries: signature .* not verify"),
        (put_one_checkpoint_in_anothers_place, AuditProofInvalid, r"size 12 follows 8 entries"),
    ],
)
async def test_tampering_in_the_database_fails_verification_at_its_place(
    store: Store, store_url: str, tampering: Tampering, error: type[AuditError], message: str
) -> None:
    entries = await write_log(store, BATCHES)
    assert verify_export(await export_lines(store), SIGNER.verifier).entries == 16

    await tampering(store_url, entries)

    with pytest.raises(error, match=message):
        verify_export(await export_lines(store), SIGNER.verifier)


async def test_the_untampered_log_verifies_to_its_latest_checkpoint(store: Store) -> None:
    entries = await write_log(store, (3, 1, 7, 5))

    verified = verify_export(await export_lines(store), SIGNER.verifier)

    head = await store.audit_checkpoint()
    assert head is not None
    assert (verified.entries, verified.checkpoints) == (16, 4)
    assert verified.head == open_checkpoint(head.note.encode(), SIGNER.verifier)
    assert verified.head.root == tree_root([leaf_hash(encode_leaf(e)) for e in entries])


async def test_a_tail_cut_with_its_checkpoints_fails_only_against_a_checkpoint_held(
    store: Store, store_url: str
) -> None:
    await write_log(store, BATCHES)
    head = await store.audit_checkpoint()
    assert head is not None
    held = open_checkpoint(head.note.encode(), SIGNER.verifier)

    await tamper(store_url, "DELETE FROM audit_entries WHERE leaf_index >= 12")
    await tamper(store_url, "DELETE FROM audit_checkpoints WHERE size > 12")

    exported = await export_lines(store)
    assert verify_export(exported, SIGNER.verifier).entries == 12
    with pytest.raises(AuditProofInvalid, match="ends after 12 entries, yet the checkpoint held"):
        verify_export(exported, SIGNER.verifier, held)


async def test_a_log_rewritten_and_signed_again_fails_against_a_checkpoint_held(
    store: Store, store_url: str
) -> None:
    """Whoever holds the key can rewrite the log and sign it all again; an old checkpoint that
    an auditor kept still shows it."""
    entries = await write_log(store, (4, 4))
    held = open_checkpoint(signed_note(entries[:4]).encode(), SIGNER.verifier)

    entries[2] = replace(entries[2], purpose="CITIZEN_PROFILE")
    edited = encode_leaf(entries[2])
    await tamper(store_url, "UPDATE audit_entries SET body = $1 WHERE leaf_index = 2", edited)
    for size in (4, 8):
        note = signed_note(entries[:size])
        await tamper(
            store_url, "UPDATE audit_checkpoints SET note = $1 WHERE size = $2", note, size
        )

    exported = await export_lines(store)
    assert verify_export(exported, SIGNER.verifier).entries == 8
    with pytest.raises(AuditProofInvalid, match=r"held, of size 4, does not match entries 0\.\.3"):
        verify_export(exported, SIGNER.verifier, held)
