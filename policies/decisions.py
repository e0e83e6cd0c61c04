"""Decisions: how each requested data category is released, why, and on which legal basis.

A decision is a pure function of hashable inputs (role, purpose, categories, the subject's
consent state, whether the subject is a minor), so ``Decider`` computes each once and serves
repeats from a bounded cache: the same pre-check for a thousand applicants is decided once.
Checks run in a fixed order: who may declare the purpose, whether the purpose reaches the
category at all, then whether the consent the category needs is in force.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, partial
from types import MappingProxyType

from hub.errors import (
    CategoryNotAllowed,
    ConsentExpired,
    ConsentRequired,
    ConsentRevoked,
    PurposeNotAllowed,
    RequestError,
    SeparateConsentRequired,
)
from hub.roles import Role
from policies.categories import Category
from policies.consents import NO_CONSENT, ConsentState, ConsentStatus
from policies.policy import Policy
from policies.purposes import Access, BasisKind, Purpose

# Keys are few for statutory purposes (no consent ids in them) and one per subject under
# consent; at a few hundred bytes each, this bounds the cache to a few megabytes.
_CACHE_SIZE = 16_384


class DecisionKind(StrEnum):
    ALLOW = "ALLOW"
    MASK = "MASK"
    PREDICATE_ONLY = "PREDICATE_ONLY"
    DENY = "DENY"


_RELEASES = {
    Access.RAW: (DecisionKind.ALLOW, "raw"),
    Access.MASKED: (DecisionKind.MASK, "masked"),
    Access.PREDICATE: (DecisionKind.PREDICATE_ONLY, "through claims only"),
}


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    denial: type[RequestError] | None
    """For DENY, the error the field fails with."""
    reason: str
    legal_basis: str
    consent_id: str | None
    """The consent that released the category, or the one whose expiry or revocation denied it."""

    @property
    def code(self) -> str | None:
        return None if self.denial is None else self.denial.code

    @property
    def answers_claims(self) -> bool:
        """A masked value answers no claims: probing its hidden part would unmask it."""
        return self.kind in (DecisionKind.ALLOW, DecisionKind.PREDICATE_ONLY)

    def error(self) -> RequestError:
        """A fresh field error for a DENY (shared decisions must not share raised exceptions)."""
        if self.denial is None:
            raise TypeError(f"a {self.kind} decision is no denial")
        return self.denial(self.reason)


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    role: Role
    purpose: str
    categories: frozenset[str]
    consents: ConsentState = NO_CONSENT
    """The subject's consents to the requesting client for this purpose."""
    subject_minor: bool = False


def decide(policy: Policy, request: DecisionRequest) -> Mapping[str, Decision]:
    """Category → decision; raises UnknownPurpose, the one thing no decision can answer."""
    purpose = policy.purposes.get(request.purpose)
    return MappingProxyType(
        {code: _decide(policy, purpose, request, code) for code in request.categories}
    )


class Decider:
    """``decide`` for one policy, behind a bounded cache."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._cached = lru_cache(maxsize=_CACHE_SIZE)(partial(decide, policy))

    def decide(self, request: DecisionRequest) -> Mapping[str, Decision]:
        return self._cached(request)


def needs_consents(
    policy: Policy, purpose: str, categories: Collection[str], subject_minor: bool
) -> bool:
    """Whether consents could change any of these decisions: if not, skip reading them."""
    declared = policy.purposes.get(purpose)
    if subject_minor or declared.legal_basis.kind is BasisKind.CONSENT:
        return True
    return any(
        (category := policy.categories.get(code)) is not None
        and category.sensitive
        and declared.access[code] is not Access.NONE
        for code in categories
    )


def _decide(policy: Policy, purpose: Purpose, request: DecisionRequest, code: str) -> Decision:
    basis = purpose.legal_basis.reference
    if request.role not in purpose.roles:
        reason = f"a {request.role} client may not declare {purpose.code}"
        return _deny(PurposeNotAllowed, reason, basis)
    category = policy.categories.get(code)
    if category is None:
        reason = f"no policy file describes category {code!r}, so no purpose reaches it"
        return _deny(CategoryNotAllowed, reason, basis)
    access = purpose.access[code]
    if access is Access.NONE:
        return _deny(CategoryNotAllowed, f"{purpose.code} does not reach {code}", basis)
    need = _consent_need(policy, purpose, category, request.subject_minor)
    if need is None:
        return _release(access, f"{purpose.code} reaches {code}", basis, None)
    standing = request.consents.standing(code, need.within)
    if standing is None:
        return _deny(need.denial, need.reason, need.basis)
    consent = standing.consent_id
    if standing.status is ConsentStatus.EXPIRED:
        reason = f"consent {consent} covering {code} expired"
        return _deny(ConsentExpired, reason, need.basis, consent)
    if standing.status is ConsentStatus.REVOKED:
        reason = f"the citizen revoked consent {consent} covering {code}"
        return _deny(ConsentRevoked, reason, need.basis, consent)
    return _release(access, f"{purpose.code} reaches {code}", need.basis, consent)


@dataclass(frozen=True, slots=True)
class _ConsentNeed:
    """What a category needs a consent for: how it is denied while none is in force, and which
    categories a consent may name to count (a separate one names sensitive ones only)."""

    denial: type[RequestError]
    reason: str
    basis: str
    within: frozenset[str] | None


def _consent_need(
    policy: Policy, purpose: Purpose, category: Category, subject_minor: bool
) -> _ConsentNeed | None:
    basis = purpose.legal_basis.reference
    if subject_minor:  # everything about a minor is sensitive: any consent naming it is separate
        minors = policy.categories.minors
        reason = (
            f"the subject is under {minors.under_age}: {category.code} needs the separate"
            " consent of a parent or guardian"
        )
        return _ConsentNeed(SeparateConsentRequired, reason, f"{basis}; {minors.reference}", None)
    if category.sensitive:
        reason = (
            f"{category.code} is sensitive personal information: it needs the citizen's separate"
            f" consent to this client for {purpose.code}"
        )
        law = f"{basis}; {policy.categories.separate_consent_reference}"
        return _ConsentNeed(SeparateConsentRequired, reason, law, policy.categories.sensitive())
    if purpose.legal_basis.kind is BasisKind.CONSENT:
        reason = f"{purpose.code} rests on consent; none covers {category.code} for this client"
        return _ConsentNeed(ConsentRequired, reason, basis, None)
    return None


def _release(access: Access, reason: str, basis: str, consent_id: str | None) -> Decision:
    kind, how = _RELEASES[access]
    under = "" if consent_id is None else f" under consent {consent_id}"
    return Decision(kind, None, f"{reason} {how}{under}", basis, consent_id)


def _deny(
    denial: type[RequestError], reason: str, basis: str, consent_id: str | None = None
) -> Decision:
    return Decision(DecisionKind.DENY, denial, reason, basis, consent_id)
