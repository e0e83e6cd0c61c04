"""Decisions: every path from a request to ALLOW, MASK, PREDICATE_ONLY or a coded DENY."""

from __future__ import annotations

import pytest

from hub.errors import ConsentRequired, UnknownPurpose
from hub.roles import Role
from hub.store.records import ConsentRecord
from policies.consents import NO_CONSENT, ConsentState
from policies.decisions import (
    Decider,
    Decision,
    DecisionKind,
    DecisionRequest,
    decide,
    needs_consents,
)
from policies.purposes import Access, BasisKind
from tests.policies.builders import NOW, consent, make_policy

POLICY = make_policy(
    {"basic": False, "income": False, "health": True, "wealth": True},
    {
        "REVIEW": (
            BasisKind.STATUTORY_DUTY,
            [Role.PORTAL],
            {"basic": Access.RAW, "income": Access.PREDICATE, "health": Access.MASKED}
            | {"wealth": Access.NONE},
        ),
        "PROFILE": (
            BasisKind.CONSENT,
            [Role.PORTAL],
            {"basic": Access.RAW, "income": Access.MASKED, "health": Access.RAW}
            | {"wealth": Access.RAW},
        ),
    },
)


def one(purpose: str, category: str, *held: ConsentRecord, minor: bool = False) -> Decision:
    request = DecisionRequest(
        Role.PORTAL, purpose, frozenset({category}), ConsentState.of(held, NOW), minor
    )
    return decide(POLICY, request)[category]


def test_statutory_purpose_releases_each_category_at_its_access_level() -> None:
    request = DecisionRequest(Role.PORTAL, "REVIEW", frozenset({"basic", "income"}))

    decisions = decide(POLICY, request)

    assert {code: d.kind for code, d in decisions.items()} == {
        "basic": DecisionKind.ALLOW,
        "income": DecisionKind.PREDICATE_ONLY,
    }
    assert {(d.legal_basis, d.consent_id, d.code) for d in decisions.values()} == {
        ("REVIEW-LAW", None, None)
    }
    assert decisions["income"].reason == "REVIEW reaches income through claims only"


def test_masked_access_is_a_mask_decision() -> None:
    assert one("PROFILE", "income", consent(["income"])).kind is DecisionKind.MASK


def test_category_the_purpose_does_not_reach_is_denied() -> None:
    decision = one("REVIEW", "wealth", consent(["wealth"]))

    assert (decision.kind, decision.code) == (DecisionKind.DENY, "CATEGORY_NOT_ALLOWED")
    assert decision.reason == "REVIEW does not reach wealth"


def test_category_no_policy_file_describes_is_denied() -> None:
    decision = one("PROFILE", "tax", consent(["tax"]))

    assert (decision.kind, decision.code) == (DecisionKind.DENY, "CATEGORY_NOT_ALLOWED")
    assert "no policy file describes category 'tax'" in decision.reason


def test_role_that_may_not_declare_the_purpose_is_denied_every_category() -> None:
    request = DecisionRequest(Role.DEPARTMENT, "REVIEW", frozenset({"basic", "health", "tax"}))

    decisions = decide(POLICY, request)

    assert {d.code for d in decisions.values()} == {"PURPOSE_NOT_ALLOWED"}
    assert decisions["basic"].reason == "a department client may not declare REVIEW"


def test_unknown_purpose_is_a_request_error_not_a_decision() -> None:
    with pytest.raises(UnknownPurpose, match="known purposes: PROFILE, REVIEW"):
        decide(POLICY, DecisionRequest(Role.PORTAL, "SNOOPING", frozenset({"basic"})))


def test_consent_purpose_without_a_consent_requires_one() -> None:
    decision = one("PROFILE", "basic")

    assert (decision.kind, decision.code, decision.consent_id) == (
        DecisionKind.DENY,
        "CONSENT_REQUIRED",
        None,
    )
    assert decision.legal_basis == "PROFILE-LAW"


def test_consent_purpose_releases_under_an_active_consent_naming_the_category() -> None:
    decision = one("PROFILE", "basic", consent(["basic", "income"], consent_id="cs_granted"))

    assert (decision.kind, decision.consent_id) == (DecisionKind.ALLOW, "cs_granted")
    assert decision.reason == "PROFILE reaches basic raw under consent cs_granted"


def test_consent_for_other_categories_does_not_count() -> None:
    assert one("PROFILE", "basic", consent(["income"])).code == "CONSENT_REQUIRED"


@pytest.mark.parametrize(
    ("held", "code", "consent_id"),
    [
        (consent(["basic"], days=(-30, -1)), "CONSENT_EXPIRED", "cs_one"),
        (consent(["basic"], revoked_days_ago=0), "CONSENT_REVOKED", "cs_one"),
        (consent(["basic"], days=(1, 30)), "CONSENT_REQUIRED", None),
    ],
    ids=["expired", "revoked", "not yet valid"],
)
def test_consent_not_in_force_denies_with_why(
    held: ConsentRecord, code: str, consent_id: str | None
) -> None:
    decision = one("PROFILE", "basic", held)

    assert (decision.kind, decision.code, decision.consent_id) == (
        DecisionKind.DENY,
        code,
        consent_id,
    )


def test_sensitive_category_needs_separate_consent_even_under_statutory_duty() -> None:
    decision = one("REVIEW", "health")

    assert (decision.kind, decision.code) == (DecisionKind.DENY, "SEPARATE_CONSENT_REQUIRED")
    assert decision.legal_basis == "REVIEW-LAW; SEPARATE-LAW"


def test_sensitive_category_is_released_on_a_separate_consent() -> None:
    decision = one("REVIEW", "health", consent(["health", "wealth"], purpose="REVIEW"))

    assert (decision.kind, decision.consent_id) == (DecisionKind.MASK, "cs_one")
    assert decision.legal_basis == "REVIEW-LAW; SEPARATE-LAW"


def test_consent_mixing_kinds_is_no_separate_consent_for_the_sensitive_one() -> None:
    mixed = consent(["basic", "health"])

    assert one("PROFILE", "basic", mixed).kind is DecisionKind.ALLOW
    assert one("PROFILE", "health", mixed).code == "SEPARATE_CONSENT_REQUIRED"


def test_everything_about_a_minor_needs_a_guardians_separate_consent() -> None:
    denied = one("REVIEW", "basic", minor=True)
    released = one("REVIEW", "basic", consent(["basic", "income"]), minor=True)

    assert (denied.code, denied.legal_basis) == (
        "SEPARATE_CONSENT_REQUIRED",
        "REVIEW-LAW; MINORS-LAW",
    )
    assert "under 14" in denied.reason
    assert (released.kind, released.consent_id) == (DecisionKind.ALLOW, "cs_one")


def test_an_active_consent_outweighs_a_lapsed_one() -> None:
    revoked = consent(["basic"], revoked_days_ago=0, consent_id="cs_revoked")
    active = consent(["basic"], consent_id="cs_active")

    assert one("PROFILE", "basic", revoked, active).consent_id == "cs_active"


@pytest.mark.parametrize(
    ("revoked_days_ago", "expired_days_ago", "code"),
    [(10, 1, "CONSENT_EXPIRED"), (1, 10, "CONSENT_REVOKED")],
)
def test_the_consent_that_lapsed_last_is_the_one_reported(
    revoked_days_ago: int, expired_days_ago: int, code: str
) -> None:
    revoked = consent(["basic"], revoked_days_ago=revoked_days_ago, consent_id="cs_revoked")
    expired = consent(["basic"], days=(-60, -expired_days_ago), consent_id="cs_expired")

    assert one("PROFILE", "basic", revoked, expired).code == code


def test_a_denial_gives_a_fresh_error_carrying_its_code_and_reason() -> None:
    decision = one("PROFILE", "basic")

    first, second = decision.error(), decision.error()

    assert isinstance(first, ConsentRequired)
    assert (first.code, first.message) == ("CONSENT_REQUIRED", decision.reason)
    assert first is not second


def test_a_release_is_no_error() -> None:
    with pytest.raises(TypeError, match="no denial"):
        one("REVIEW", "basic").error()


@pytest.mark.parametrize(
    ("purpose", "category", "answers"),
    [("REVIEW", "basic", True), ("REVIEW", "income", True), ("REVIEW", "wealth", False)],
)
def test_claims_are_answered_on_raw_and_predicate_releases(
    purpose: str, category: str, answers: bool
) -> None:
    assert one(purpose, category).answers_claims is answers


def test_masked_release_answers_no_claims() -> None:
    assert one("PROFILE", "income", consent(["income"])).answers_claims is False


def test_decider_computes_a_repeated_request_once() -> None:
    decider = Decider(POLICY)
    request = DecisionRequest(Role.PORTAL, "PROFILE", frozenset({"basic"}), NO_CONSENT)
    consented = DecisionRequest(
        Role.PORTAL, "PROFILE", frozenset({"basic"}), ConsentState.of([consent(["basic"])], NOW)
    )

    first = decider.decide(request)

    assert decider.decide(request) is first
    assert first == decide(POLICY, request)
    assert decider.decide(consented)["basic"].kind is DecisionKind.ALLOW


def test_decisions_handed_out_cannot_be_altered() -> None:
    decisions = decide(POLICY, DecisionRequest(Role.PORTAL, "REVIEW", frozenset({"basic"})))

    with pytest.raises(TypeError):
        decisions["basic"] = decisions["basic"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("purpose", "categories", "minor", "needed"),
    [
        ("REVIEW", {"basic", "income"}, False, False),
        ("REVIEW", {"basic", "health"}, False, True),
        ("REVIEW", {"basic", "wealth"}, False, False),
        ("REVIEW", {"basic"}, True, True),
        ("PROFILE", {"basic"}, False, True),
    ],
    ids=["statutory", "sensitive", "sensitive unreached", "minor", "consent basis"],
)
def test_consents_are_read_only_where_they_can_change_a_decision(
    purpose: str, categories: set[str], minor: bool, needed: bool
) -> None:
    assert needs_consents(POLICY, purpose, categories, minor) is needed
