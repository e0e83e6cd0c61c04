"""Random policies and consents: purposes whose roles, legal basis and access to every category
are drawn, and consents in every state a decision can meet them in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hypothesis import strategies as st

from connectors.manifest import Text
from hub.roles import Role
from hub.store import Store
from policies.purposes import Access, BasisKind, LegalBasis, Purpose

ROLES = (Role.PORTAL, Role.DEPARTMENT, Role.AUDITOR, Role.ADMIN)
"""Every role but a citizen's, whose key is bound to one resident and reads no profiles."""
PURPOSES = 3
"""Per example; a request's fields each declare one of them, or a code no policy knows."""

_DAY = timedelta(days=1)


class Lifecycle(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    PENDING = "PENDING"
    """Granted, valid from tomorrow."""
    REVOKED = "REVOKED"
    """Granted for today, revoked an hour ago."""


_WINDOWS = {
    Lifecycle.ACTIVE: (-_DAY, _DAY),
    Lifecycle.EXPIRED: (-3 * _DAY, -2 * _DAY),
    Lifecycle.PENDING: (_DAY, 2 * _DAY),
    Lifecycle.REVOKED: (-_DAY, _DAY),
}


@dataclass(frozen=True)
class ConsentDraw:
    subject: str
    grantee: Role
    """The consent goes to the client of this role."""
    purpose: int
    """Index into the example's purposes."""
    categories: frozenset[str]
    lifecycle: Lifecycle

    async def record(self, store: Store, grantee: str, purpose: str, now: datetime) -> None:
        """Store it as granted, and revoked if so drawn. Days from any boundary, so its state
        cannot change while the example runs."""
        starts, ends = _WINDOWS[self.lifecycle]
        consent = await store.add_consent(
            subject=self.subject,
            grantee=grantee,
            purpose=purpose,
            categories=self.categories,
            valid_from=now + starts,
            valid_until=now + ends,
        )
        if self.lifecycle is Lifecycle.REVOKED:
            assert await store.revoke_consent(consent.id, now - timedelta(hours=1))


def purposes(categories: Sequence[str], asking: Role) -> st.SearchStrategy[tuple[Purpose, ...]]:
    """Purposes coded P0, P1, …; each decides every category with a drawn access level. Most
    admit the ``asking`` role: a purpose it may not declare decides nothing field by field."""
    return st.tuples(*(_purpose(f"P{index}", categories, asking) for index in range(PURPOSES)))


def _purpose(code: str, categories: Sequence[str], asking: Role) -> st.SearchStrategy[Purpose]:
    roles = st.frozensets(st.sampled_from(ROLES), min_size=1)
    access = {category: st.sampled_from(Access) for category in categories}
    return st.builds(
        Purpose,
        code=st.just(code),
        name=st.just(Text(en="A drawn purpose", zh="随机用途")),
        roles=roles | roles.map(lambda drawn: drawn | {asking}),
        legal_basis=st.sampled_from([LegalBasis(kind=k, reference="drawn") for k in BasisKind]),
        access=st.fixed_dictionaries(access),
    )


def consents(
    subjects: Sequence[str], categories: Sequence[str], sensitive: Sequence[str], asking: Role
) -> st.SearchStrategy[list[ConsentDraw]]:
    """Consents to the example's purposes, about the ``subjects`` the request names; some name
    sensitive categories only (a separate consent), some mix them with others, some go to a
    client other than the ``asking`` one."""
    return st.lists(
        st.builds(
            ConsentDraw,
            subject=st.sampled_from(subjects),
            grantee=st.just(asking) | st.sampled_from(ROLES),
            purpose=st.integers(0, PURPOSES - 1),
            categories=st.frozensets(st.sampled_from(sensitive), min_size=1)
            | st.frozensets(st.sampled_from(categories), min_size=1),
            lifecycle=st.sampled_from(Lifecycle),
        ),
        max_size=8,
    )
