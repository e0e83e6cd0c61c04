"""Consents: status over time, the state decisions are cached on, and the checks on a grant."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from hub.errors import ConsentInvalid, PurposeNotAllowed, UnknownPurpose
from hub.roles import Role
from policies.consents import (
    ConsentState,
    ConsentStatus,
    HeldConsent,
    check_grant,
    consent_states,
    status_of,
)
from policies.purposes import Access, BasisKind
from tests.policies.builders import DAY, NOW, consent, make_policy

POLICY = make_policy(
    {"basic": False, "income": False, "health": True, "wealth": True},
    {
        "PROFILE": (
            BasisKind.CONSENT,
            [Role.PORTAL],
            {"basic": Access.RAW, "income": Access.NONE, "health": Access.RAW}
            | {"wealth": Access.RAW},
        )
    },
)


@pytest.mark.parametrize(
    ("days", "revoked_days_ago", "status"),
    [
        ((1, 30), None, ConsentStatus.PENDING),
        ((0, 30), None, ConsentStatus.ACTIVE),
        ((-30, 0), None, ConsentStatus.EXPIRED),
        ((-1, 30), 0, ConsentStatus.REVOKED),
        ((-1, 30), -1, ConsentStatus.ACTIVE),
        ((-30, -5), 1, ConsentStatus.REVOKED),
    ],
    ids=[
        "not begun",
        "begins now",
        "ends now",
        "revoked now",
        "revocation due tomorrow",
        "revoked after it expired",
    ],
)
def test_status_at_a_moment(
    days: tuple[int, int], revoked_days_ago: int | None, status: ConsentStatus
) -> None:
    assert (
        status_of(consent(["basic"], days=days, revoked_days_ago=revoked_days_ago), NOW) is status
    )


def test_state_leaves_out_consents_not_yet_begun() -> None:
    state = ConsentState.of([consent(["basic"], days=(1, 30))], NOW)

    assert state == ConsentState()
    assert state.standing("basic") is None


def test_state_records_when_each_consent_lapsed_or_will() -> None:
    revoked = consent(["basic"], revoked_days_ago=3, consent_id="cs_revoked")
    active = consent(["income"], days=(-1, 9), consent_id="cs_active")

    state = ConsentState.of([revoked, active], NOW)

    assert state.held == {
        HeldConsent("cs_revoked", frozenset({"basic"}), ConsentStatus.REVOKED, NOW - 3 * DAY),
        HeldConsent("cs_active", frozenset({"income"}), ConsentStatus.ACTIVE, NOW + 9 * DAY),
    }


def test_state_is_the_same_key_whatever_order_the_consents_come_in() -> None:
    first, second = consent(["basic"], consent_id="cs_a"), consent(["health"], consent_id="cs_b")

    one_way, other_way = (
        ConsentState.of([first, second], NOW),
        ConsentState.of([second, first], NOW),
    )

    assert one_way == other_way
    assert hash(one_way) == hash(other_way)


def test_state_changes_when_a_consent_expires() -> None:
    held = [consent(["basic"], days=(-1, 30))]

    assert ConsentState.of(held, NOW) != ConsentState.of(held, NOW + 30 * DAY)


def test_standing_within_counts_only_consents_naming_nothing_outside() -> None:
    state = ConsentState.of([consent(["basic", "health"])], NOW)

    assert state.standing("health") is not None
    assert state.standing("health", within=frozenset({"health", "wealth"})) is None


def test_states_are_grouped_by_subject() -> None:
    mine = consent(["basic"], consent_id="cs_mine")
    theirs = dataclasses.replace(consent(["health"], consent_id="cs_theirs"), subject="other")

    states = consent_states([mine, theirs], NOW)

    assert states == {
        mine.subject: ConsentState.of([mine], NOW),
        "other": ConsentState.of([theirs], NOW),
    }


def grant(
    categories: list[str],
    *,
    purpose: str = "PROFILE",
    role: Role = Role.PORTAL,
    valid_from: datetime = NOW,
    valid_until: datetime = NOW + 30 * DAY,
) -> None:
    check_grant(
        POLICY,
        grantee_role=role,
        purpose=purpose,
        categories=categories,
        valid_from=valid_from,
        valid_until=valid_until,
        at=NOW,
    )


def test_grant_within_the_purpose_passes() -> None:
    grant(["basic"])
    grant(["health", "wealth"])


def test_grant_for_an_unknown_purpose_or_a_role_that_may_not_declare_it_is_refused() -> None:
    with pytest.raises(UnknownPurpose):
        grant(["basic"], purpose="ANYTHING")
    with pytest.raises(PurposeNotAllowed):
        grant(["basic"], role=Role.AUDITOR)


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        ([], "a consent names at least one data category"),
        (["basic", "tax"], "unknown data category 'tax'"),
        (["income"], "PROFILE does not reach income; a consent cannot widen it"),
        (["basic", "health"], "health is consented to separately (SEPARATE-LAW)"),
    ],
)
def test_grant_outside_the_policy_is_refused(categories: list[str], message: str) -> None:
    with pytest.raises(ConsentInvalid) as raised:
        grant(categories)

    assert raised.value.message.startswith(message)


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "message"),
    [
        (NOW.replace(tzinfo=None), NOW + DAY, "validity times need a time zone"),
        (NOW, NOW, "a consent must end after it begins, and in the future"),
        (NOW - 9 * DAY, NOW - DAY, "a consent must end after it begins, and in the future"),
    ],
    ids=["naive", "empty", "past"],
)
def test_grant_with_impossible_validity_is_refused(
    valid_from: datetime, valid_until: datetime, message: str
) -> None:
    with pytest.raises(ConsentInvalid, match=message):
        grant(["basic"], valid_from=valid_from, valid_until=valid_until)


def test_grant_may_begin_later_or_have_begun() -> None:
    grant(["basic"], valid_from=NOW + timedelta(hours=1))
    grant(["basic"], valid_from=NOW - DAY)
