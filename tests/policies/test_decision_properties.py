"""What decide() guarantees for any policy and any consents: the promises a DPO relies on."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given
from hypothesis import strategies as st

from hub.roles import Role
from hub.store.records import ConsentRecord
from policies.consents import ConsentState, ConsentStatus, status_of
from policies.decisions import DecisionKind, DecisionRequest, decide
from policies.policy import Policy
from policies.purposes import Access, BasisKind
from tests.policies.builders import NOW, consent, make_policy

CODES = ("a", "b", "c", "d")
RELEASE = {
    Access.RAW: DecisionKind.ALLOW,
    Access.MASKED: DecisionKind.MASK,
    Access.PREDICATE: DecisionKind.PREDICATE_ONLY,
}

categories = st.sets(st.sampled_from((*CODES, "unknown")), min_size=1)


@st.composite
def consent_records(draw: st.DrawFn, index: int) -> ConsentRecord:
    start = draw(st.integers(-20, 20))
    return consent(
        draw(categories),
        days=(start, start + draw(st.integers(1, 30))),
        revoked_days_ago=draw(st.none() | st.integers(-5, 20)),
        consent_id=f"cs_{index}",
        purpose=draw(st.sampled_from(("P1", "P2"))),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Policy, DecisionRequest, Mapping[str, ConsentRecord]]:
    sensitive = {code: draw(st.booleans()) for code in CODES}
    access = st.fixed_dictionaries({code: st.sampled_from(Access) for code in CODES})
    roles = st.sets(st.sampled_from(Role), min_size=1)
    purposes = {
        code: (draw(st.sampled_from(BasisKind)), draw(roles), draw(access)) for code in ("P1", "P2")
    }
    records = [draw(consent_records(index)) for index in range(draw(st.integers(0, 6)))]
    purpose = draw(st.sampled_from(("P1", "P2")))
    request = DecisionRequest(
        role=draw(st.sampled_from(Role)),
        purpose=purpose,
        categories=frozenset(draw(categories)),
        consents=ConsentState.of([r for r in records if r.purpose == purpose], NOW),
        subject_minor=draw(st.booleans()),
    )
    return make_policy(sensitive, purposes), request, {r.id: r for r in records}


@given(scenarios())
def test_nothing_is_released_beyond_what_the_purpose_reaches(
    scenario: tuple[Policy, DecisionRequest, Mapping[str, ConsentRecord]],
) -> None:
    policy, request, _ = scenario
    purpose = policy.purposes.get(request.purpose)

    for code, decision in decide(policy, request).items():
        reach = purpose.access.get(code, Access.NONE)
        if reach is Access.NONE or request.role not in purpose.roles:
            assert decision.kind is DecisionKind.DENY
        elif decision.kind is not DecisionKind.DENY:
            assert decision.kind is RELEASE[reach]


@given(scenarios())
def test_sensitive_data_is_released_only_on_an_active_separate_consent(
    scenario: tuple[Policy, DecisionRequest, Mapping[str, ConsentRecord]],
) -> None:
    policy, request, records = scenario
    sensitive = policy.categories.sensitive()

    for code, decision in decide(policy, request).items():
        if decision.kind is DecisionKind.DENY or not (request.subject_minor or code in sensitive):
            continue
        assert decision.consent_id is not None
        record = records[decision.consent_id]
        assert status_of(record, NOW) is ConsentStatus.ACTIVE
        assert record.purpose == request.purpose
        assert code in record.categories
        assert request.subject_minor or record.categories <= sensitive


@given(scenarios())
def test_a_consent_purpose_releases_only_on_an_active_consent_naming_the_category(
    scenario: tuple[Policy, DecisionRequest, Mapping[str, ConsentRecord]],
) -> None:
    policy, request, records = scenario
    if policy.purposes.get(request.purpose).legal_basis.kind is not BasisKind.CONSENT:
        return

    for code, decision in decide(policy, request).items():
        if decision.kind is not DecisionKind.DENY:
            assert decision.consent_id is not None
            record = records[decision.consent_id]
            assert status_of(record, NOW) is ConsentStatus.ACTIVE
            assert code in record.categories
