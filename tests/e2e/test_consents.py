"""Consent: granted, expired, revoked — and a field it does not cover is never even asked for.

DESIGN.md scenarios 2 (a profile with health only under separate consent) and 3 (临时救助 with
a consent that expires and is revoked), end to end over real sockets.
"""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.store import open_store
from policies.artefacts import verify_artefact
from tests.e2e.conftest import Departments, HubClient, serve_hub

PROFILE = """query($id: ID!, $purpose: String!) { citizen(id: $id, purpose: $purpose) {
  identity { name } employment { employed } health { outOfPocketLastYear }
  medicalInsurance { scheme } } }"""

GRANT = """mutation($subject: ID!, $purpose: String!, $categories: [String!]!,
                    $until: DateTime!, $from: DateTime) {
  grantConsent(subject: $subject, purpose: $purpose, categories: $categories,
               validUntil: $until, validFrom: $from) {
    id status categories document } }"""

REVOKE = "mutation($id: ID!) { revokeConsent(id: $id) { id status revoked document } }"


def _codes(body: dict[str, Any]) -> dict[str, str]:
    return {e["path"][-1]: e["extensions"]["code"] for e in body.get("errors", [])}


async def _grant(
    hub: HubClient, subject: str, purpose: str, categories: list[str], seconds: float = 3600
) -> dict[str, Any]:
    until = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
    status, body = await hub.post(
        GRANT, {"subject": subject, "purpose": purpose, "categories": categories, "until": until}
    )
    assert status == 200
    assert "errors" not in body, body
    granted: dict[str, Any] = body["data"]["grantConsent"]
    return granted


async def _hub_key(hub: HubClient) -> Ed25519PublicKey:
    async with hub.session.get(f"{hub.url}/.well-known/tongban/signing-key") as answer:
        raw = base64.b64decode((await answer.json())["public_key"])
    return Ed25519PublicKey.from_public_bytes(raw)


@pytest.fixture
async def fresh_hub(departments: Departments, tmp_path: Path) -> Any:
    """A hub whose citizens have consented to nothing yet."""
    async for hub in serve_hub(
        await open_store(f"sqlite:///{tmp_path / 'hub.db'}"), departments.urls
    ):
        yield hub


async def test_profile_needs_consent_and_health_needs_a_separate_one(
    fresh_hub: HubClient, departments: Departments
) -> None:
    subject = departments.samples["chronic_condition"]
    variables = {"id": subject, "purpose": "CITIZEN_PROFILE"}
    await departments.reset_stats()

    _, before = await fresh_hub.post(PROFILE, variables)
    assert _codes(before) == {
        "name": "CONSENT_REQUIRED",
        "employed": "CONSENT_REQUIRED",
        "outOfPocketLastYear": "SEPARATE_CONSENT_REQUIRED",
        "scheme": "CONSENT_REQUIRED",
    }
    assert sum([await departments.batches(name) for name in departments.urls]) == 0

    ordinary = ["basic", "income", "social_insurance"]
    await _grant(fresh_hub, subject, "CITIZEN_PROFILE", ordinary)
    _, partly = await fresh_hub.post(PROFILE, variables)
    assert partly["data"]["citizen"]["identity"]["name"]
    assert partly["data"]["citizen"]["employment"]["employed"] is not None
    assert _codes(partly) == {"outOfPocketLastYear": "SEPARATE_CONSENT_REQUIRED"}
    assert "outOfPocketLastYear" not in (await departments.stats("health"))["fields_asked"]

    health = await _grant(fresh_hub, subject, "CITIZEN_PROFILE", ["health"])
    _, whole = await fresh_hub.post(PROFILE, variables)
    assert "errors" not in whole
    assert whole["data"]["citizen"]["health"]["outOfPocketLastYear"] > 0
    releases = await fresh_hub.post(
        'query($id: ID!) { citizen(id: $id, purpose: "CITIZEN_PROFILE") {'
        " health { outOfPocketLastYear releases { category decision legalBasis consentId } } } }",
        {"id": subject},
    )
    (release,) = releases[1]["data"]["citizen"]["health"]["releases"]
    assert release["consentId"] == health["id"]
    assert release["decision"] == "ALLOW"
    assert "29 (separate consent" in release["legalBasis"]


async def test_temporary_assistance_consent_expires_then_a_new_one_is_revoked(
    fresh_hub: HubClient, departments: Departments
) -> None:
    subject = departments.samples["chronic_condition"]
    query = """query($id: ID!) { citizen(id: $id, purpose: "TEMPORARY_ASSISTANCE") {
      health { outOfPocketLastYear } } }"""

    short = await _grant(fresh_hub, subject, "TEMPORARY_ASSISTANCE", ["health"], seconds=1.0)
    _, allowed = await fresh_hub.post(query, {"id": subject})
    assert allowed["data"]["citizen"]["health"]["outOfPocketLastYear"] > 20_000

    await asyncio.sleep(1.1)
    _, expired = await fresh_hub.post(query, {"id": subject})
    assert _codes(expired) == {"outOfPocketLastYear": "CONSENT_EXPIRED"}
    assert short["id"] in expired["errors"][0]["message"]

    renewed = await _grant(fresh_hub, subject, "TEMPORARY_ASSISTANCE", ["health"])
    _, revoked_answer = await fresh_hub.post(REVOKE, {"id": renewed["id"]})
    revoked = revoked_answer["data"]["revokeConsent"]
    assert revoked["status"] == "REVOKED"
    assert revoked["revoked"] is not None
    _, refused = await fresh_hub.post(query, {"id": subject})
    assert _codes(refused) == {"outOfPocketLastYear": "CONSENT_REVOKED"}


async def test_artefact_verifies_with_the_hub_key_and_not_once_altered(
    fresh_hub: HubClient, departments: Departments
) -> None:
    granted = await _grant(fresh_hub, departments.samples["ordinary"], "CITIZEN_PROFILE", ["basic"])
    key = await _hub_key(fresh_hub)

    body = verify_artefact(granted["document"], key)

    assert (body["subject"], body["purpose"], body["status"]) == (
        departments.samples["ordinary"],
        "CITIZEN_PROFILE",
        "ACTIVE",
    )
    forged = {**granted["document"], "categories": ["basic", "health"]}
    with pytest.raises(Exception, match="does not verify"):
        verify_artefact(forged, key)


@pytest.mark.parametrize(
    ("categories", "seconds", "code"),
    [
        (["basic"], -60, "CONSENT_INVALID"),
        (["astrology"], 3600, "CONSENT_INVALID"),
        (["basic", "health"], 3600, "CONSENT_INVALID"),
        ([], 3600, "CONSENT_INVALID"),
    ],
)
async def test_grant_that_policy_could_never_honour_is_refused(
    fresh_hub: HubClient,
    departments: Departments,
    categories: list[str],
    seconds: float,
    code: str,
) -> None:
    until = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
    variables = {
        "subject": departments.samples["ordinary"],
        "purpose": "CITIZEN_PROFILE",
        "categories": categories,
        "until": until,
    }

    _, body = await fresh_hub.post(GRANT, variables)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


async def test_consent_given_to_another_client_cannot_be_revoked_by_this_one(
    fresh_hub: HubClient, departments: Departments
) -> None:
    granted = await _grant(fresh_hub, departments.samples["ordinary"], "CITIZEN_PROFILE", ["basic"])

    _, body = await fresh_hub.post(REVOKE, {"id": granted["id"]}, role="department")

    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_only_a_portal_records_consents(
    fresh_hub: HubClient, departments: Departments
) -> None:
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    variables = {
        "subject": departments.samples["ordinary"],
        "purpose": "CITIZEN_PROFILE",
        "categories": ["basic"],
        "until": until,
    }

    _, body = await fresh_hub.post(GRANT, variables, role="auditor")

    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_revocation_through_one_hub_holds_at_the_next_request_of_another(
    departments: Departments, postgres_url: str
) -> None:
    subject = departments.samples["ordinary"]
    query = """query($id: ID!) { citizen(id: $id, purpose: "CITIZEN_PROFILE") {
      identity { name } } }"""
    async for first in serve_hub(await open_store(postgres_url), departments.urls):
        second_store = await open_store(postgres_url)
        async for second in serve_hub(second_store, departments.urls, keys=first.keys):
            granted = await _grant(first, subject, "CITIZEN_PROFILE", ["basic"])
            _, allowed = await second.post(query, {"id": subject})
            assert allowed["data"]["citizen"]["identity"]["name"]

            _, revoked = await first.post(REVOKE, {"id": granted["id"]})
            assert revoked["data"]["revokeConsent"]["status"] == "REVOKED"
            _, refused = await second.post(query, {"id": subject})
            assert _codes(refused) == {"name": "CONSENT_REVOKED"}
