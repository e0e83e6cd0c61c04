"""Consent: its status at a moment, the checks a grant must pass, and what decisions read of it.

PIPL Art. 29 asks for *separate* consent to sensitive personal information. Here a consent is
separate when it names sensitive categories only, so the citizen says yes to them on their own:
a grant mixing kinds is refused, and decisions judge separateness again under the policy in
force, so a category the policy later makes sensitive is not released on an older, mixed consent.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hub.errors import ConsentInvalid
from hub.roles import Role
from hub.store.records import ConsentRecord
from policies.policy import Policy
from policies.purposes import Access


class ConsentStatus(StrEnum):
    PENDING = "PENDING"
    """Granted, but its validity has not begun."""
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


def status_of(consent: ConsentRecord, at: datetime) -> ConsentStatus:
    """Revocation outranks expiry: it is the citizen's own, later word."""
    if consent.revoked_at is not None and consent.revoked_at <= at:
        return ConsentStatus.REVOKED
    if at >= consent.valid_until:
        return ConsentStatus.EXPIRED
    if at < consent.valid_from:
        return ConsentStatus.PENDING
    return ConsentStatus.ACTIVE


def check_grant(
    policy: Policy,
    *,
    grantee_role: Role,
    purpose: str,
    categories: Collection[str],
    valid_from: datetime,
    valid_until: datetime,
    at: datetime,
) -> None:
    """Refuse, before it is stored and signed, a grant the policy could never honour."""
    reached = policy.purposes.authorize(grantee_role, purpose).access
    if not categories:
        raise ConsentInvalid("a consent names at least one data category")
    for code in sorted(categories):
        if policy.categories.get(code) is None:
            raise ConsentInvalid(f"unknown data category {code!r}")
        if reached[code] is Access.NONE:
            raise ConsentInvalid(f"{purpose} does not reach {code}; a consent cannot widen it")
    sensitive = policy.categories.sensitive()
    if sensitive.intersection(categories) and not sensitive.issuperset(categories):
        raise ConsentInvalid(
            f"{', '.join(sorted(sensitive.intersection(categories)))} is consented to separately"
            f" ({policy.categories.separate_consent_reference}): grant it in a consent of its own"
        )
    if valid_from.tzinfo is None or valid_until.tzinfo is None:
        raise ConsentInvalid("validity times need a time zone")
    if valid_until <= max(valid_from, at):
        raise ConsentInvalid("a consent must end after it begins, and in the future")


@dataclass(frozen=True, slots=True)
class HeldConsent:
    """A consent as decisions see it at one moment."""

    consent_id: str
    categories: frozenset[str]
    status: ConsentStatus
    ends: datetime
    """When it lapsed or will: its revocation, else the end of its validity."""


@dataclass(frozen=True, slots=True)
class ConsentState:
    """What one subject's consents to one grantee for one purpose amount to at one moment.

    Hashable and free of the clock, so decisions are cached on it: it changes only when a
    consent is granted, begins, expires or is revoked."""

    held: frozenset[HeldConsent] = frozenset()

    @classmethod
    def of(cls, consents: Iterable[ConsentRecord], at: datetime) -> ConsentState:
        held = set()
        for consent in consents:
            status = status_of(consent, at)
            if status is ConsentStatus.PENDING:
                continue
            revoked = consent.revoked_at if status is ConsentStatus.REVOKED else None
            ends = revoked or consent.valid_until
            held.add(HeldConsent(consent.id, consent.categories, status, ends))
        return cls(frozenset(held))

    def standing(self, category: str, within: frozenset[str] | None = None) -> HeldConsent | None:
        """The consent ``category`` stands on: an active one if any, else the one that lapsed
        last. With ``within``, only consents that name nothing outside it count."""
        counted = (
            consent
            for consent in self.held
            if category in consent.categories and (within is None or consent.categories <= within)
        )
        return max(counted, key=_precedence, default=None)


def _precedence(consent: HeldConsent) -> tuple[bool, datetime, str]:
    return consent.status is ConsentStatus.ACTIVE, consent.ends, consent.consent_id


NO_CONSENT = ConsentState()


def consent_states(consents: Iterable[ConsentRecord], at: datetime) -> dict[str, ConsentState]:
    """The state of each subject that has consents (others stand at ``NO_CONSENT``), for a
    batch read with one ``Store.consents_in_scope`` call."""
    by_subject: dict[str, list[ConsentRecord]] = {}
    for consent in consents:
        by_subject.setdefault(consent.subject, []).append(consent)
    return {subject: ConsentState.of(own, at) for subject, own in by_subject.items()}
