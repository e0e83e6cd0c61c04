"""What every server under test is asked: the S1 profile fields, and the hub's query texts.

One table drives the baselines' department calls and the GraphQL selection, so the floor and the
hub cannot drift apart in what they fetch.
"""

from __future__ import annotations

from collections.abc import Mapping

S1_FIELDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "police": {"identity": ("name",), "household": ("size",)},
    "hrss": {"employment": ("monthlyWage",), "socialInsurance": ("pensionInsured",)},
    "housing": {"property": ("propertyCount",)},
    "health": {"health": ("chronicConditions",)},
}
"""Department → GraphQL domain → fields: six fields over four departments."""

_SELECTION = " ".join(
    f"{domain} {{ {' '.join(fields)} }}"
    for domains in S1_FIELDS.values()
    for domain, fields in domains.items()
)

S1_PURPOSE = "CITIZEN_PROFILE"
"""CITIZEN_PROFILE, not LOW_INCOME_REVIEW: that purpose reaches income, insurance and property
only through claims and health not at all, so it could not ask all four departments."""
_ARGUMENT = f'purpose: "{S1_PURPOSE}"'
S1_QUERY = f"query($id: ID!) {{ citizen(id: $id, {_ARGUMENT}) {{ {_SELECTION} }} }}"
S2_QUERY = f"query($ids: [ID!]!) {{ citizens(ids: $ids, {_ARGUMENT}) {{ {_SELECTION} }} }}"
S1_PLAN = {
    domain: frozenset(fields)
    for domains in S1_FIELDS.values()
    for domain, fields in domains.items()
}
"""The S1 query as the hub plans it: domain → the department fields selected in it."""


def department_fields(department: str) -> list[str]:
    """Every S1 field asked of ``department``, in one list: what one batch item names."""
    return [field for fields in S1_FIELDS[department].values() for field in fields]
