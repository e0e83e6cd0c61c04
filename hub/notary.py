"""Signing documents the hub hands out to be filed (verification answers), with its own key.

Ed25519 over the RFC 8785 (JCS) form of the document without its ``signature`` member, as for
consent artefacts: anyone holding the key from ``/.well-known/tongban/signing-key`` can check it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from policies.artefacts import canonical_json


class Notary:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    def sign(self, document: Mapping[str, object]) -> dict[str, object]:
        signature = self._key.sign(canonical_json(document))
        return {**document, "signature": base64.b64encode(signature).decode()}
