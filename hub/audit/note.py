"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, as golang.org/x/mod/sumdb/note.

A note is UTF-8 text ending in a newline, a blank line, then signature lines
``— <key name> base64(key id || signature)``. Keys are named, and published as the verifier key
``<name>+<hex key id>+base64(0x01 || public key)``, so any tool that speaks the format can check
the hub's checkpoints without code of ours.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.errors import AuditKeyUnknown, AuditMalformed, AuditSignatureInvalid

_ED25519 = b"\x01"
_DASH = "— "
_PRIVATE = "PRIVATE+KEY+"
_MAX_SIGNATURES = 100  # the spec makes verifiers accept 16; x/mod's limit leaves room to cosign
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_KEY_ID = re.compile(r"[0-9a-fA-F]{8}")


def _valid_name(name: str) -> bool:
    """Key names are non-empty, without Unicode spaces or ``+``, which delimit key strings."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def _key_id(name: str, public_key: bytes) -> bytes:
    """The first four bytes of SHA-256(name || 0x0A || 0x01 || public key)."""
    return hashlib.sha256(name.encode() + b"\n" + _ED25519 + public_key).digest()[:4]


@dataclass(frozen=True, slots=True)
class NoteVerifier:
    """One trusted key: a signature counts only if both its name and key id match."""

    name: str
    public_key: Ed25519PublicKey

    @classmethod
    def from_key(cls, vkey: str) -> NoteVerifier:
        """Parse ``<name>+<hex key id>+base64(0x01 || public key)``, checking the id."""
        name, claimed_id, raw = _parse_key(vkey, "verifier key")
        verifier = cls(name, Ed25519PublicKey.from_public_bytes(raw))
        if verifier.key_id != claimed_id:
            raise AuditMalformed("verifier key's id does not match its name and key")
        return verifier

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, self.public_key.public_bytes_raw())

    @property
    def key(self) -> str:
        """The verifier key string, as served for verifiers to pin."""
        raw = _ED25519 + self.public_key.public_bytes_raw()
        return f"{self.name}+{self.key_id.hex()}+{_b64(raw)}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            self.public_key.verify(signature, text)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class NoteSigner:
    """The hub's signing key under its name (for checkpoints, the log's origin)."""

    name: str
    private_key: Ed25519PrivateKey

    def __post_init__(self) -> None:
        if not _valid_name(self.name):
            raise AuditMalformed(f"key name {self.name!r} is empty or has a space or '+'")

    @classmethod
    def from_key(cls, skey: str) -> NoteSigner:
        """Parse x/mod's ``PRIVATE+KEY+<name>+<hex key id>+base64(0x01 || seed)``.

        The id is that of the public key, so it is checked after deriving it from the seed.
        """
        if not skey.startswith(_PRIVATE):
            raise AuditMalformed(f"signer key does not start with {_PRIVATE}")
        name, claimed_id, seed = _parse_key(skey.removeprefix(_PRIVATE), "signer key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(seed))
        if signer.verifier.key_id != claimed_id:
            raise AuditMalformed("signer key's id does not match its name and key")
        return signer

    @property
    def key(self) -> str:
        """The private key string; whoever holds it can sign as the hub."""
        seed = _ED25519 + self.private_key.private_bytes_raw()
        return f"{_PRIVATE}{self.name}+{self.verifier.key_id.hex()}+{_b64(seed)}"

    @property
    def verifier(self) -> NoteVerifier:
        return NoteVerifier(self.name, self.private_key.public_key())

    def sign(self, text: str) -> bytes:
        """The signed note: the text, a blank line and this key's signature line."""
        _check_text(text)
        raw = text.encode()
        signature = self.verifier.key_id + self.private_key.sign(raw)
        return raw + f"\n{_DASH}{self.name} {_b64(signature)}\n".encode()


def open_note(note: bytes, verifiers: Iterable[NoteVerifier]) -> str:
    """The note's text, once every signature by a trusted key verifies and at least one does.

    Signatures by other keys are skipped, not rejected: they may be witnesses' cosignatures or a
    rotated key, and the spec requires verifiers to ignore them.
    """
    try:
        decoded = note.decode()
    except UnicodeDecodeError as exc:
        raise AuditMalformed("signed note is not UTF-8") from exc
    _check_text(decoded)
    head, blank, block = decoded.rpartition("\n\n")
    if not blank or not block:
        raise AuditMalformed("signed note has no blank line before its signatures")
    text = head + "\n"
    signed = text.encode()
    lines = block.removesuffix("\n").split("\n")
    if len(lines) > _MAX_SIGNATURES:
        raise AuditMalformed(f"signed note has more than {_MAX_SIGNATURES} signatures")
    trusted = {(v.name, v.key_id): v for v in verifiers}
    verified = False
    for line in lines:
        name, signature = _parse_signature(line)
        verifier = trusted.get((name, signature[:4]))
        if verifier is None:
            continue
        if not verifier.verify(signed, signature[4:]):
            raise AuditSignatureInvalid(f"signature by {name} does not verify")
        verified = True
    if not verified:
        raise AuditKeyUnknown("signed note bears no signature by a trusted key")
    return text


def _parse_key(text: str, what: str) -> tuple[str, bytes, bytes]:
    """Name, claimed key id and raw key of ``<name>+<hex key id>+base64(0x01 || 32 bytes)``."""
    name, _, rest = text.partition("+")
    hex_id, _, key64 = rest.partition("+")
    key = _b64decode(key64)
    if not (_valid_name(name) and _KEY_ID.fullmatch(hex_id) and key[:1] == _ED25519):
        raise AuditMalformed(f"{what} is not <name>+<8 hex digits>+base64(0x01 || key)")
    if len(key) != 33:
        raise AuditMalformed(f"{what} does not hold a 32-byte Ed25519 key")
    return name, bytes.fromhex(hex_id), key[1:]


def _parse_signature(line: str) -> tuple[str, bytes]:
    name, _, sig64 = line.removeprefix(_DASH).partition(" ")
    signature = _b64decode(sig64)
    if not line.startswith(_DASH) or not _valid_name(name) or len(signature) < 5:
        raise AuditMalformed("signature line is not '— <key name> <base64 signature>'")
    return name, signature


def _check_text(text: str) -> None:
    if not text.endswith("\n") or _CONTROL.search(text):
        raise AuditMalformed("note text must end in a newline and have no control characters")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AuditMalformed("not standard padded base64") from exc
