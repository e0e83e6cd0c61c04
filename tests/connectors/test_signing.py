"""A department answer is accepted only with a valid signature by the manifest's key."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from connectors.signing import SignatureVerifier, key_id
from hub.errors import SourceBadResponse, SourceSignatureInvalid

BODY = b'{"department":"police","results":[]}'


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@pytest.fixture
def department_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_signature_by_the_manifest_key_verifies(department_key: Ed25519PrivateKey) -> None:
    verifier = SignatureVerifier("police", _raw(department_key))
    signature = base64.b64encode(department_key.sign(BODY)).decode()

    verifier.verify(BODY, key_id(_raw(department_key)), signature)


@pytest.mark.parametrize(
    "tamper",
    ["other key", "other body", "truncated", "not base64", "wrong key id"],
)
def test_anything_else_is_signature_invalid(department_key: Ed25519PrivateKey, tamper: str) -> None:
    verifier = SignatureVerifier("police", _raw(department_key))
    signer = Ed25519PrivateKey.generate() if tamper == "other key" else department_key
    body = BODY + b" " if tamper == "other body" else BODY
    signature = base64.b64encode(signer.sign(BODY)).decode()
    kid = key_id(_raw(department_key))
    if tamper == "truncated":
        signature = signature[:40]
    if tamper == "not base64":
        signature = "***"
    if tamper == "wrong key id":
        kid = "0" * 16

    with pytest.raises(SourceSignatureInvalid):
        verifier.verify(body, kid, signature)


def test_unsigned_answer_is_a_bad_response(department_key: Ed25519PrivateKey) -> None:
    verifier = SignatureVerifier("police", _raw(department_key))

    with pytest.raises(SourceBadResponse, match="not signed"):
        verifier.verify(BODY, None, None)
