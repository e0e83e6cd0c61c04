"""The policy files shipped with the hub: they load, and they keep the promises of the design."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from hub.roles import Role
from policies.consents import ConsentState
from policies.decisions import DecisionKind, DecisionRequest, decide
from policies.policy import load_policy
from policies.purposes import Access, BasisKind, load_purposes
from tests.policies.builders import NOW, consent

POLICY = load_policy()


def test_every_category_a_builtin_department_answers_is_described() -> None:
    used = {
        field.category
        for path in BUILTIN_MANIFESTS.glob("*.yaml")
        for domain in load_manifest_file(path).domains.values()
        for field in domain.fields.values()
    }

    assert used <= set(POLICY.categories.by_code)


def test_health_and_financial_accounts_are_the_sensitive_categories() -> None:
    assert POLICY.categories.sensitive() == {"health", "financial_account"}
    assert POLICY.categories.minors.under_age == 14


def test_low_income_pre_check_never_releases_raw_income_or_property() -> None:
    review = POLICY.purposes.get("LOW_INCOME_REVIEW")

    assert review.legal_basis.kind is BasisKind.STATUTORY_DUTY
    assert (review.access["income"], review.access["property"]) == (
        Access.PREDICATE,
        Access.PREDICATE,
    )


@pytest.mark.parametrize("purpose", ["CITIZEN_PROFILE", "TEMPORARY_ASSISTANCE"])
def test_health_on_the_portal_needs_the_citizens_separate_consent(purpose: str) -> None:
    state = ConsentState.of([consent(["health"], purpose=purpose)], NOW)
    asked = DecisionRequest(Role.PORTAL, purpose, frozenset({"health"}))

    assert decide(POLICY, asked)["health"].code == "SEPARATE_CONSENT_REQUIRED"
    assert decide(POLICY, replace(asked, consents=state))["health"].kind is DecisionKind.ALLOW


def test_purposes_each_role_may_declare_are_as_the_cli_lists_them() -> None:
    purposes = load_purposes()

    assert [p.code for p in purposes.for_role(Role.DEPARTMENT)] == ["CONNECTOR_CHECK"]
    assert len(purposes.for_role(Role.PORTAL)) == 5
    assert purposes.for_role(Role.AUDITOR) == []
