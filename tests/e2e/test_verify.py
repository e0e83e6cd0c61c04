"""The 低保 pre-check (DESIGN.md scenario 1): claims answered under statutory duty, signed, and
without a raw income or property in the answer."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from policies.artefacts import canonical_json
from tests.e2e.conftest import Departments, HubClient

VERIFY = """query($id: ID!, $purpose: String!, $claims: [ClaimInput!]!) {
  verify(id: $id, purpose: $purpose, claims: $claims) {
    subject purpose issued signature document
    claims { field operator value truth reason departments } } }"""

PRE_CHECK: list[dict[str, Any]] = [
    {"field": "household.perCapitaMonthlyIncome", "operator": "le", "value": 1100},
    {"field": "property.propertyCount", "operator": "le", "value": 1},
    {"field": "identity.age", "operator": "ge", "value": 80},
    {"field": "identity.regionCode", "operator": "prefix", "value": "1101"},
]


async def _verify(
    hub: HubClient, subject: str, claims: list[dict[str, Any]], purpose: str = "LOW_INCOME_REVIEW"
) -> dict[str, Any]:
    status, body = await hub.post(VERIFY, {"id": subject, "purpose": purpose, "claims": claims})
    assert status == 200
    return body


async def test_low_income_pre_check_answers_claims_and_never_the_values(
    hub: HubClient, departments: Departments
) -> None:
    subject = departments.samples["low_income"]
    person = departments.population.by_id[subject]

    body = await _verify(hub, subject, PRE_CHECK)

    assert "errors" not in body, body
    answers = {c["field"]: c for c in body["data"]["verify"]["claims"]}
    assert answers["household.perCapitaMonthlyIncome"]["truth"] == "TRUE"
    assert set(answers["household.perCapitaMonthlyIncome"]["departments"]) == {"police", "hrss"}
    assert answers["property.propertyCount"]["truth"] in {"TRUE", "FALSE"}
    assert answers["identity.age"]["truth"] == ("TRUE" if person.age() >= 80 else "FALSE")
    region_holds = person.id.startswith("1101")
    assert answers["identity.regionCode"]["truth"] == ("TRUE" if region_holds else "FALSE")
    text = str(body)
    assert person.name not in text
    assert "monthlyWage" not in text


async def test_verification_is_signed_by_the_hub(hub: HubClient, departments: Departments) -> None:
    body = await _verify(hub, departments.samples["ordinary"], PRE_CHECK[:2])
    document = dict(body["data"]["verify"]["document"])
    async with hub.session.get(f"{hub.url}/.well-known/tongban/signing-key") as answer:
        key = Ed25519PublicKey.from_public_bytes(
            base64.b64decode((await answer.json())["public_key"])
        )

    signature = base64.b64decode(document.pop("signature"))

    key.verify(signature, canonical_json(document))
    assert document["type"] == "tongban.verification/1"
    assert document["subject"] == departments.samples["ordinary"]


async def test_claim_on_a_withheld_category_is_unknown_with_the_refusal(
    hub: HubClient, departments: Departments
) -> None:
    claims = [{"field": "health.outOfPocketLastYear", "operator": "gt", "value": 20000}]

    body = await _verify(hub, departments.samples["chronic_condition"], claims)

    (answer,) = body["data"]["verify"]["claims"]
    assert answer["truth"] == "UNKNOWN"
    assert answer["reason"].startswith("CATEGORY_NOT_ALLOWED")
    assert answer["departments"] == []


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        ({"field": "employment.monthlyWage", "operator": "le", "value": "low"}, "is not"),
        ({"field": "employment.salary", "operator": "le", "value": 1100}, "no claimable field"),
        ({"field": "employment.monthlyWage", "operator": "about", "value": 1}, "unknown operator"),
        ({"field": "employment.employed", "operator": "lt", "value": True}, "does not apply"),
    ],
)
async def test_malformed_claim_is_claim_invalid(
    hub: HubClient, departments: Departments, claim: dict[str, Any], reason: str
) -> None:
    body = await _verify(hub, departments.samples["ordinary"], [claim])

    assert body["data"] == {"verify": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "CLAIM_INVALID"
    assert reason in error["message"]
