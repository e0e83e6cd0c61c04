"""Policies and consents built in code, so tests state exactly the rules they exercise."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta

from connectors.manifest import Text
from hub.roles import Role
from hub.store.records import ConsentRecord
from policies.categories import Categories, Category, MinorRule
from policies.masking import Masks
from policies.policy import Policy
from policies.purposes import Access, BasisKind, LegalBasis, Purpose, PurposeRegistry

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)
SUBJECT = "11010519491231002X"
GRANTEE = "cl_portal0001"


def name(code: str) -> Text:
    return Text(en=code, zh=code)


def make_policy(
    sensitive: Mapping[str, bool],
    purposes: Mapping[str, tuple[BasisKind, Collection[Role], Mapping[str, Access]]],
) -> Policy:
    """Categories by sensitivity; purposes by (legal basis, roles, access per category)."""
    categories = Categories(
        by_code={code: Category(code, name(code), flag, "why") for code, flag in sensitive.items()},
        separate_consent_reference="SEPARATE-LAW",
        minors=MinorRule(14, "MINORS-LAW"),
    )
    registry = PurposeRegistry(
        {
            code: Purpose(
                code,
                name(code),
                frozenset(roles),
                LegalBasis(kind=kind, reference=f"{code}-LAW"),
                dict(access),
            )
            for code, (kind, roles, access) in purposes.items()
        }
    )
    return Policy(categories, registry, Masks({}))


def consent(
    categories: Collection[str],
    *,
    days: tuple[int, int] = (-1, 30),
    revoked_days_ago: int | None = None,
    consent_id: str = "cs_one",
    purpose: str = "PROFILE",
) -> ConsentRecord:
    """A consent valid from ``days[0]`` to ``days[1]`` days from NOW, maybe revoked."""
    record = ConsentRecord.granted_now(
        SUBJECT, GRANTEE, purpose, categories, NOW + days[0] * DAY, NOW + days[1] * DAY
    )
    revoked_at = None if revoked_days_ago is None else NOW - revoked_days_ago * DAY
    return dataclasses.replace(
        record, id=consent_id, created_at=NOW - 2 * DAY, revoked_at=revoked_at
    )
