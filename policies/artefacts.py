"""Signed consent artefacts: a consent as a JSON document anyone can check with the hub's key.

The members follow India's DEPA consent artefact and the Kantara consent receipt: who consented
(subject), to whom (grantee), for what (purpose, categories), for how long (validity), when it
was created, and its status when the artefact was issued. The signature is Ed25519 over the
RFC 8785 (JCS) canonical form of the document without its ``signature`` member. An artefact
holds only strings, arrays of strings, objects and null, for which JCS is exactly: keys sorted,
no insignificant whitespace, UTF-8, minimal string escapes — what ``canonical_json`` writes, and
what any JCS library reproduces. ``type`` keeps a signature over an artefact from passing for one
over anything else the hub's key signs.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.errors import ArtefactInvalid
from hub.store.records import ConsentRecord
from policies.consents import status_of

ARTEFACT_TYPE = "tongban.consent-artefact/1"


def artefact(consent: ConsentRecord, at: datetime) -> dict[str, object]:
    """The unsigned document: the consent as it stands at ``at``."""
    return {
        "type": ARTEFACT_TYPE,
        "id": consent.id,
        "subject": consent.subject,
        "grantee": consent.grantee,
        "purpose": consent.purpose,
        "categories": sorted(consent.categories),
        "validity": {"from": _time(consent.valid_from), "until": _time(consent.valid_until)},
        "created": _time(consent.created_at),
        "revoked": None if consent.revoked_at is None else _time(consent.revoked_at),
        "status": status_of(consent, at).value,
        "issued": _time(at),
    }


def canonical_json(document: Mapping[str, object]) -> bytes:
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def sign_artefact(
    consent: ConsentRecord, at: datetime, key: Ed25519PrivateKey
) -> dict[str, object]:
    document = artefact(consent, at)
    signature = key.sign(canonical_json(document))
    return {**document, "signature": base64.b64encode(signature).decode()}


def verify_artefact(document: Mapping[str, object], key: Ed25519PublicKey) -> dict[str, object]:
    """The artefact without its signature, if ``key`` signed exactly this; else ArtefactInvalid."""
    body = {name: value for name, value in document.items() if name != "signature"}
    if body.get("type") != ARTEFACT_TYPE:
        raise ArtefactInvalid(f"not a consent artefact: type is not {ARTEFACT_TYPE!r}")
    encoded = document.get("signature")
    if not isinstance(encoded, str):
        raise ArtefactInvalid("the artefact carries no signature")
    try:
        signature = base64.b64decode(encoded, validate=True)
        key.verify(signature, canonical_json(body))
    except (TypeError, ValueError) as exc:  # binascii.Error is a ValueError; so is NaN
        raise ArtefactInvalid(f"the artefact is malformed: {exc}") from exc
    except InvalidSignature as exc:
        raise ArtefactInvalid(
            "the signature does not verify: the artefact was altered or another key signed it"
        ) from exc
    return body


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
