"""What a claim may be about: every scalar department field, and a few derived facts.

A claim names ``domain.field`` (``employment.monthlyWage``, ``property.propertyCount``,
``identity.regionCode``) or a derived fact: ``identity.age`` (whole years, from the date of
birth) and ``household.perCapitaMonthlyIncome`` (wages, pensions and unemployment benefits of
the living registered members, divided by their number — the 低保 means test).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connectors.registry import ConnectorRegistry
from policies.claims import ValueType

AGE = "identity.age"
PER_CAPITA_INCOME = "household.perCapitaMonthlyIncome"
MEMBER_INCOME_FIELDS = frozenset({"monthlyWage", "pensionMonthly", "unemploymentBenefitMonthly"})
"""Summed per member (HR): the income the per-capita test counts."""
WORKING_AGE = 16
"""Below it a member has no income by law (劳动法 Art. 15): counted as 0, HR is not asked."""

_VALUE_TYPES = {
    "Int": ValueType.INT,
    "Float": ValueType.FLOAT,
    "String": ValueType.STRING,
    "ID": ValueType.STRING,
    "Boolean": ValueType.BOOLEAN,
}


@dataclass(frozen=True, slots=True)
class Claimables:
    types: Mapping[str, ValueType]
    """Claimable field → its type, for ``policies.claims.parse_claim``."""
    sources: Mapping[str, tuple[str, str]]
    """Claimable field → the (domain, department field) it is judged from."""
    member_income: Mapping[str, str]
    """Income field → its domain, for the per-capita test (empty when no connector has them)."""

    @classmethod
    def of(cls, registry: ConnectorRegistry) -> Claimables:
        types: dict[str, ValueType] = {}
        sources: dict[str, tuple[str, str]] = {}
        for domain, connector in registry.domain_owners.items():
            for field, spec in connector.manifest.domains[domain].fields.items():
                value_type = _VALUE_TYPES.get(spec.type.name)
                if value_type is not None and not spec.type.is_list:
                    types[f"{domain}.{field}"] = value_type
                    sources[f"{domain}.{field}"] = (domain, field)
        if "identity.birthDate" in sources:
            types[AGE] = ValueType.INT
            sources[AGE] = ("identity", "birthDate")
        income = {
            field: domain
            for domain, fields in registry.domain_fields.items()
            for field in fields & MEMBER_INCOME_FIELDS
        }
        has_members = "members" in registry.domain_fields.get("household", frozenset())
        if has_members and income.keys() == MEMBER_INCOME_FIELDS:
            types[PER_CAPITA_INCOME] = ValueType.FLOAT
            sources[PER_CAPITA_INCOME] = ("household", "members")
        else:
            income = {}
        return cls(types, sources, income)
