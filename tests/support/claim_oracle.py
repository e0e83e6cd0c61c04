"""How ``verify`` must answer a claim, from the decision oracle and the departments' records:
refused (UNKNOWN, citing the refusal) unless the value answers claims, else TRUE or FALSE as the
value bears out — and which fields of whom it may read on the way (never a denied one)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tests.support.catalogue import Catalogue
from tests.support.decision_oracle import Oracle, Release, age, born
from tests.support.mock_reads import Records
from tests.support.query_draws import AGE, PER_CAPITA, Claimable, ClaimDraw

WORKING_AGE = 16
"""劳动法 Art. 15: a younger household member earns nothing, and is counted as such."""
MEMBER_INCOME = ("monthlyWage", "pensionMonthly", "unemploymentBenefitMonthly")
RESULT_FIELDS = ("field", "operator", "value", "truth", "reason", "departments")

_HOLDS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "in": lambda value, choices: value in choices,
    "prefix": lambda value, prefix: value.startswith(prefix),
}
_CODE = re.compile(r"\b([A-Z][A-Z_]{3,}): ")


@dataclass(frozen=True)
class Verdict:
    truth: str
    refusals: frozenset[str] = frozenset()
    """For a claim policy refuses: the codes its reason may cite."""
    reads: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Subject → the fields answering it may ask a department for."""


@dataclass(frozen=True)
class ClaimOracle:
    catalogue: Catalogue
    claimables: Mapping[str, Claimable]
    records: Records
    oracle: Oracle

    def verdict(self, subject: str, purpose: int, claim: ClaimDraw) -> Verdict:
        source = self.claimables[claim.field]
        spec = self.catalogue.fields[source.domain][source.field]
        expected = self.oracle.expect(purpose, subject, spec.category)
        if expected.release is Release.DENIED:
            return Verdict("UNKNOWN", expected.refusals)
        reads = {subject: frozenset({spec.name})}
        if claim.field == PER_CAPITA:  # a masked household still lets its members be counted
            return self._per_capita(subject, purpose, claim, reads)
        if not expected.answers_claims:
            return Verdict("UNKNOWN", expected.refusals, reads)
        record = self.records[subject][spec.department]
        value = None if record is None else record[spec.name]
        if claim.field == AGE and value is not None:
            value = age(date.fromisoformat(value), date.today())
        return Verdict(_truth(claim, value), reads=reads)

    def _per_capita(
        self, subject: str, purpose: int, claim: ClaimDraw, reads: dict[str, frozenset[str]]
    ) -> Verdict:
        household = self.records[subject]["police"]
        if household is None or not household["members"]:
            return Verdict("UNKNOWN", reads=reads)
        members = [member["id"] for member in household["members"]]
        earning = [m for m in members if age(born(m), date.today()) >= WORKING_AGE]
        category = self.catalogue.fields["employment"]["monthlyWage"].category
        decisions = {m: self.oracle.expect(purpose, m, category) for m in earning}
        for member, expected in decisions.items():
            if expected.release is not Release.DENIED:
                reads[member] = reads.get(member, frozenset()) | set(MEMBER_INCOME)
        total = 0.0
        for member in earning:  # in the household's order: the first member refused decides
            if not decisions[member].answers_claims:
                return Verdict("UNKNOWN", decisions[member].refusals, reads)
            income = self.records[member]["hrss"]
            if income is None:
                return Verdict("UNKNOWN", reads=reads)
            total += sum(float(income[name] or 0.0) for name in MEMBER_INCOME)
        return Verdict(_truth(claim, round(total / len(members), 2)), reads=reads)


def check_result(
    result: Mapping[str, Any], names: Mapping[str, str], claim: ClaimDraw, verdict: Verdict
) -> None:
    """One answered claim, its members keyed as selected (response key → field name)."""
    for key, name in names.items():
        got = result[key]
        if name == "truth":
            assert got == verdict.truth, f"{claim}: {got}, expected {verdict.truth}"
        elif name == "reason" and verdict.refusals:
            cited = _CODE.search(got)
            assert cited is not None, (claim, got)
            assert cited[1] in verdict.refusals, (claim, got, verdict)
        elif name == "departments" and verdict.refusals:
            assert got == [], (claim, got)
        elif name in ("field", "operator", "value"):
            assert got == getattr(claim, name), (claim, name, got)


def _truth(claim: ClaimDraw, value: object) -> str:
    if value is None:
        return "UNKNOWN"
    return "TRUE" if _HOLDS[claim.operator](value, claim.value) else "FALSE"
