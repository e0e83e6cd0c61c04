"""Each mock department's Ed25519 key, and the two signature headers of docs/wire-format.md.

The private key is derived from the department's name so that every run, and the public keys in
the shipped manifests, agree without a key file. A real department keeps its key secret.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


class Signer:
    def __init__(self, department: str) -> None:
        seed = hashlib.sha256(f"tongban-mock-key:{department}".encode()).digest()
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._key.public_key().public_bytes_raw()
        self.public_key = base64.b64encode(public).decode()
        self.key_id = hashlib.sha256(public).digest()[:8].hex()

    def headers(self, body: bytes, *, forged: bool = False) -> dict[str, str]:
        """``forged`` signs other bytes: a well-formed signature that does not verify."""
        signature = self._key.sign(b"forged:" + body if forged else body)
        return {
            "Tongban-Key-Id": self.key_id,
            "Tongban-Signature": base64.b64encode(signature).decode(),
        }
