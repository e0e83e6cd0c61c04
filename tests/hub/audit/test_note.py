"""Signed notes match golang.org/x/mod/sumdb/note byte for byte and reject what it rejects.

Keys, texts and signatures are copied from golang.org/x/mod sumdb/note/note_test.go (TestSign,
TestOpen, TestNewVerifier, TestNewSigner); the unverifiable examples from c2sp.org/signed-note and
c2sp.org/tlog-cosignature, whose public keys are not published.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.note import NoteSigner, NoteVerifier, open_note
from hub.errors import AuditKeyUnknown, AuditMalformed, AuditSignatureInvalid

PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6"
    "KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WW"
    "d1RvMc+QQ=\n"
)
PETER = NoteVerifier.from_key(PETER_VKEY)
ENOCH = NoteVerifier.from_key(ENOCH_VKEY)

C2SP_NOTE = (
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed è subito sera.\n"
    "\n"
    "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU"
    "0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
)
C2SP_COSIGNED_CHECKPOINT = (
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q"
    "1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2o"
    "yin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)


def test_signing_reproduces_the_published_signature() -> None:
    assert NoteSigner.from_key(PETER_SKEY).sign(TEXT) == (TEXT + "\n" + PETER_SIG).encode()


def test_signer_and_verifier_keys_round_trip() -> None:
    signer = NoteSigner.from_key(PETER_SKEY)

    assert signer.key == PETER_SKEY
    assert signer.verifier.key == PETER_VKEY == PETER.key
    assert signer.verifier.key_id.hex() == "c74f20a3"


def test_a_generated_key_signs_what_its_verifier_key_opens() -> None:
    signer = NoteSigner("tongban.example/audit", Ed25519PrivateKey.generate())
    text = "第一行\n\nline after a blank line\n"

    assert open_note(signer.sign(text), [NoteVerifier.from_key(signer.verifier.key)]) == text
    assert NoteSigner.from_key(signer.key).verifier.key == signer.verifier.key


def test_one_trusted_signature_opens_the_note_and_others_are_ignored() -> None:
    note = (TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode()

    assert open_note(note, [PETER]) == TEXT
    assert open_note(note, [ENOCH]) == TEXT
    assert open_note(note, [PETER, ENOCH]) == TEXT


def test_repeated_signatures_open() -> None:
    enoch_abcd = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    note = TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd

    assert open_note(note.encode(), [PETER]) == TEXT


@pytest.mark.parametrize(
    ("signatures", "trusted"),
    [
        (PETER_SIG + ENOCH_SIG, []),
        (PETER_SIG.replace("PeterNeumann", "CarmenSandiego"), [PETER]),
        (PETER_SIG.replace("x08g", "xxxx"), [PETER]),
    ],
    ids=["no key trusted", "same key another name", "same name another key id"],
)
def test_a_note_without_a_trusted_signature_is_refused(
    signatures: str, trusted: list[NoteVerifier]
) -> None:
    with pytest.raises(AuditKeyUnknown):
        open_note((TEXT + "\n" + signatures).encode(), trusted)


def test_a_trusted_signature_that_fails_is_refused_even_beside_a_good_one() -> None:
    forged = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]

    with pytest.raises(AuditSignatureInvalid):
        open_note((TEXT + "\n" + forged).encode(), [PETER])
    with pytest.raises(AuditSignatureInvalid):
        open_note((TEXT + "\n" + ENOCH_SIG + forged).encode(), [PETER, ENOCH])


def test_altered_text_fails_its_signature() -> None:
    altered = TEXT.replace("your problem is", "your problems are")

    with pytest.raises(AuditSignatureInvalid):
        open_note((altered + "\n" + PETER_SIG).encode(), [PETER])


@pytest.mark.parametrize(
    "note",
    [
        TEXT.encode(),
        (TEXT + "\n").encode(),
        (TEXT + "\n" + PETER_SIG[:-1]).encode(),
        ("\x01" + TEXT + "\n" + PETER_SIG).encode(),
        b"\xff" + (TEXT + "\n" + PETER_SIG).encode(),
        (TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name")).encode(),
        (TEXT + "\n" + PETER_SIG + "Unexpected line.\n").encode(),
        (TEXT + "\n" + PETER_SIG * 101).encode(),
        (TEXT + "\n" + PETER_SIG.replace("— ", "-- ")).encode(),
        (TEXT + "\n— PeterNeumann AAAA\n").encode(),
    ],
    ids=[
        "no signatures",
        "blank line only",
        "no final newline",
        "control character",
        "not UTF-8",
        "space in name",
        "line after signatures",
        "101 signatures",
        "no em dash",
        "signature shorter than a key id and a byte",
    ],
)
def test_malformed_notes_are_refused(note: bytes) -> None:
    with pytest.raises(AuditMalformed):
        open_note(note, [PETER])


@pytest.mark.parametrize("note", [C2SP_NOTE, C2SP_COSIGNED_CHECKPOINT])
def test_c2sp_examples_are_well_formed_notes_signed_by_keys_we_do_not_hold(note: str) -> None:
    impostor = NoteSigner("quasimodo.example/salvatore", Ed25519PrivateKey.generate()).verifier

    with pytest.raises(AuditKeyUnknown):
        open_note(note.encode(), [impostor, PETER])


def test_c2sp_example_text_keeps_its_inner_blank_line() -> None:
    signer = NoteSigner("quasimodo.example/salvatore", Ed25519PrivateKey.generate())
    text = C2SP_NOTE.rpartition("\n\n")[0] + "\n"

    assert text.count("\n\n") == 1
    assert open_note(signer.sign(text), [signer.verifier]) == text


@pytest.mark.parametrize("text", ["abc", "", "tab\there\n", "line\r\n"])
def test_text_without_final_newline_or_with_control_characters_is_not_signed(text: str) -> None:
    with pytest.raises(AuditMalformed):
        NoteSigner.from_key(PETER_SKEY).sign(text)


@pytest.mark.parametrize("name", ["", "a+b", "a b", "a\u00a0b", "a\u2003b"])
def test_a_key_name_without_spaces_or_plus_is_required(name: str) -> None:
    with pytest.raises(AuditMalformed):
        NoteSigner(name, Ed25519PrivateKey.generate())


def manglings(key: str) -> list[str]:
    """Every proper substring and every one-byte increment of the key (x/mod's own probes)."""
    substrings = [key[i:j] for i in range(len(key) + 1) for j in range(i + 1, len(key) + 1)]
    bumped = [key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :] for i in range(len(key))]
    return [k for k in substrings if k != key] + bumped


def test_no_mangled_verifier_key_is_accepted() -> None:
    accepted = []
    for key in [
        *manglings(PETER_VKEY),
        # x/mod's wrong key length and unknown algorithm, each with its key id adjusted:
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ]:
        try:
            NoteVerifier.from_key(key)
        except AuditMalformed:
            continue
        accepted.append(key)
    assert accepted == []


def test_no_mangled_signer_key_is_accepted() -> None:
    accepted = []
    for key in manglings(PETER_SKEY):
        try:
            NoteSigner.from_key(key)
        except AuditMalformed:
            continue
        accepted.append(key)
    assert accepted == []
