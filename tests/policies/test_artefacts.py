"""Consent artefacts: signed over canonical JSON, verifiable by anyone, and tamper-evident."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.errors import ArtefactInvalid
from policies.artefacts import canonical_json, sign_artefact, verify_artefact
from tests.policies.builders import NOW, consent

HUB_KEY = Ed25519PrivateKey.generate()


def signed(**changes: Any) -> dict[str, object]:
    return sign_artefact(consent(["income", "basic"], consent_id="cs_abc"), NOW, HUB_KEY) | changes


def test_artefact_states_the_consent_and_its_status_when_issued() -> None:
    body = verify_artefact(signed(), HUB_KEY.public_key())

    assert body == {
        "type": "tongban.consent-artefact/1",
        "id": "cs_abc",
        "subject": "11010519491231002X",
        "grantee": "cl_portal0001",
        "purpose": "PROFILE",
        "categories": ["basic", "income"],
        "validity": {"from": "2025-02-28T09:30:00.000000Z", "until": "2025-03-31T09:30:00.000000Z"},
        "created": "2025-02-27T09:30:00.000000Z",
        "revoked": None,
        "status": "ACTIVE",
        "issued": "2025-03-01T09:30:00.000000Z",
    }


def test_artefact_issued_after_revocation_says_so() -> None:
    revoked = consent(["health"], revoked_days_ago=1)

    body = verify_artefact(sign_artefact(revoked, NOW, HUB_KEY), HUB_KEY.public_key())

    assert (body["status"], body["revoked"]) == ("REVOKED", "2025-02-28T09:30:00.000000Z")


def test_canonical_form_is_rfc_8785_for_artefact_values() -> None:
    document = {"b": ["y", "x"], "a": 'say "北京"\n\x1f', "c": None, "A": {"z": "1", "y": "2"}}

    assert (
        canonical_json(document)
        == (
            '{"A":{"y":"2","z":"1"},"a":"say \\"北京\\"\\n\\u001f","b":["y","x"],"c":null}'
        ).encode()
    )


def test_artefact_reformatted_by_a_third_party_still_verifies() -> None:
    text = json.dumps(dict(reversed(signed().items())), indent=2, ensure_ascii=True)

    assert verify_artefact(json.loads(text), HUB_KEY.public_key())["id"] == "cs_abc"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "REVOKED"},
        {"categories": ["basic", "health", "income"]},
        {
            "validity": {
                "from": "2025-02-28T09:30:00.000000Z",
                "until": "2035-01-01T00:00:00.000000Z",
            }
        },
        {"grantee": "cl_someoneelse"},
        {"note": "added later"},
    ],
    ids=["status", "categories", "validity", "grantee", "extra member"],
)
def test_any_change_breaks_the_signature(changes: dict[str, object]) -> None:
    with pytest.raises(ArtefactInvalid, match="altered or another key signed it"):
        verify_artefact(signed(**changes), HUB_KEY.public_key())


def test_another_key_does_not_verify() -> None:
    with pytest.raises(ArtefactInvalid, match="altered or another key signed it"):
        verify_artefact(signed(), Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"signature": None}, "carries no signature"),
        ({"signature": "not base64!"}, "malformed"),
        ({"type": "checkpoint"}, "not a consent artefact"),
        ({"status": float("nan")}, "malformed"),
    ],
)
def test_malformed_artefact_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ArtefactInvalid, match=message) as raised:
        verify_artefact(signed(**changes), HUB_KEY.public_key())

    assert raised.value.code == "CONSENT_ARTEFACT_INVALID"
