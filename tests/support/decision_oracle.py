"""What policy must decide, derived again from the rules as the policy files state them — not
from ``policies.decisions`` — so that a property test holds the hub to a second reading.

The rules: a purpose reaches a category raw, masked, through claims only, or not at all. A
sensitive category, and any category of a child under the minors' age, needs a separate consent
in force (for a sensitive category, one naming sensitive categories only); any other category
needs a consent in force when the purpose rests on consent, and nothing more under a statutory
duty. A consent lapsed by expiry or revocation says so; one not yet valid counts for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hub.roles import Role
from policies.purposes import Access, BasisKind, Purpose
from tests.support.policy_draws import ConsentDraw, Lifecycle


class Release(StrEnum):
    """Valued as the hub names its decisions in ``releases``."""

    RAW = "ALLOW"
    MASKED = "MASK"
    PREDICATE = "PREDICATE_ONLY"
    DENIED = "DENY"


NOT_ALLOWED = "CATEGORY_NOT_ALLOWED"
_RELEASES = {
    Access.RAW: Release.RAW,
    Access.MASKED: Release.MASKED,
    Access.PREDICATE: Release.PREDICATE,
}
_LAPSED = {Lifecycle.EXPIRED: "CONSENT_EXPIRED", Lifecycle.REVOKED: "CONSENT_REVOKED"}


@dataclass(frozen=True)
class Expected:
    release: Release
    denials: frozenset[str] = frozenset()
    """For DENIED, the codes the refusal may carry (which lapsed consent it cites is the hub's
    choice when several lapsed)."""

    @property
    def shown(self) -> bool:
        """Whether a profile shows the value."""
        return self.release in (Release.RAW, Release.MASKED)

    @property
    def answers_claims(self) -> bool:
        """A masked value answers no claim: probing it would unmask it."""
        return self.release in (Release.RAW, Release.PREDICATE)

    @property
    def refusals(self) -> frozenset[str]:
        """The codes a value withheld from a profile, or a claim refused, may carry."""
        return self.denials if self.release is Release.DENIED else frozenset({NOT_ALLOWED})


@dataclass(frozen=True)
class Oracle:
    purposes: Sequence[Purpose]
    sensitive: frozenset[str]
    minors_under: int
    consents: Sequence[ConsentDraw]
    role: Role
    today: date

    def refusal(self, purpose: int | None) -> str | None:
        """Why a whole field (``citizen``, ``verify``…) fails for this purpose, if it does;
        ``None`` stands for a purpose code the policy does not know."""
        if purpose is None:
            return "PURPOSE_UNKNOWN"
        return None if self.role in self.purposes[purpose].roles else "PURPOSE_NOT_ALLOWED"

    def expect(self, purpose: int, subject: str, category: str) -> Expected:
        declared = self.purposes[purpose]
        access = declared.access[category]
        if access is Access.NONE:
            return Expected(Release.DENIED, frozenset({NOT_ALLOWED}))
        minor = age(born(subject), self.today) < self.minors_under
        separate = minor or category in self.sensitive
        if not separate and declared.legal_basis.kind is BasisKind.STATUTORY_DUTY:
            return Expected(_RELEASES[access])
        counted = [
            consent
            for consent in self.consents
            if consent.subject == subject
            and consent.grantee is self.role
            and consent.purpose == purpose
            and category in consent.categories
            and (minor or category not in self.sensitive or consent.categories <= self.sensitive)
        ]
        if any(consent.lifecycle is Lifecycle.ACTIVE for consent in counted):
            return Expected(_RELEASES[access])
        lapsed = {_LAPSED[c.lifecycle] for c in counted if c.lifecycle in _LAPSED}
        missing = "SEPARATE_CONSENT_REQUIRED" if separate else "CONSENT_REQUIRED"
        return Expected(Release.DENIED, frozenset(lapsed or {missing}))


def born(subject: str) -> date:
    """The date of birth a resident ID carries."""
    return date(int(subject[6:10]), int(subject[10:12]), int(subject[12:14]))


def age(birth: date, on: date) -> int:
    """Whole years completed on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
