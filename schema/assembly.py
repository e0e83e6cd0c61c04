"""Assembling profiles as plain dicts: department values as released, withheld fields as errors.

A value here may be an exception instance: graphql-core reports it as an error at exactly that
place (a failed domain, a withheld field) while the rest of the answer survives. Work that is the
same for every subject in the same consent state is done once per query, keyed by the decisions
object, which the policy cache shares between such subjects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.records import Provenance, ResidentId, SubjectOutcome, SubjectRecord
from hub.errors import NotFound, TongbanError
from policies.decisions import DecisionKind
from schema.policy_gate import Decisions, PolicyGate, withheld

Profile = dict[str, Any]
Outcomes = Mapping[str, Mapping[ResidentId, SubjectOutcome]]


class Assembler:
    def __init__(self, gate: PolicyGate, plan: Mapping[str, frozenset[str]], purpose: str) -> None:
        self._gate = gate
        self._plan = plan
        self._purpose = purpose
        self._provenance: dict[int, dict[str, Any]] = {}
        self._views: dict[tuple[str, int], _DomainView] = {}

    def profile(self, subject: ResidentId, decisions: Decisions, outcomes: Outcomes) -> Profile:
        profile: Profile = {"id": subject}
        for domain in self._plan:
            view = self._view(domain, decisions)
            outcome = outcomes.get(view.department, {}).get(subject)
            profile[domain] = self._domain_value(subject, view, outcome)
        return profile

    def _view(self, domain: str, decisions: Decisions) -> _DomainView:
        key = (domain, id(decisions))
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = _DomainView(
                self._gate, domain, self._plan[domain], decisions, self._purpose
            )
        return view

    def _domain_value(
        self, subject: ResidentId, view: _DomainView, outcome: SubjectOutcome | None
    ) -> object:
        if isinstance(outcome, TongbanError):
            return outcome
        if outcome is None:  # nothing in this domain was released: the department was not asked
            return {**view.withheld_errors(), "provenance": None, "releases": view.releases}
        if not outcome.found:
            return NotFound(f"{view.department} has no record of {subject}")
        return {
            **view.released(outcome),
            **view.withheld_errors(),
            "provenance": self._provenance_of(outcome.provenance),
            "releases": view.releases,
        }

    def _provenance_of(self, source: Provenance) -> dict[str, Any]:
        key = id(source)
        if key not in self._provenance:
            self._provenance[key] = {
                "department": source.department,
                "issued_at": source.issued_at,
                "fetched_at": source.fetched_at,
                "signature_verified": source.signature_verified,
                "key_id": source.key_id,
            }
        return self._provenance[key]


class _DomainView:
    """One domain under one set of decisions: what is masked, what withheld, what released it."""

    def __init__(
        self,
        gate: PolicyGate,
        domain: str,
        fields: frozenset[str],
        decisions: Decisions,
        purpose: str,
    ) -> None:
        rules = {field: gate.rule(domain, field) for field in fields}
        self.department = gate.departments[domain]
        self._masks = gate.policy.masks
        self._masked = {
            field: rule.mask
            for field, rule in rules.items()
            if decisions[rule.category].kind is DecisionKind.MASK and rule.mask is not None
        }
        self._withheld = {
            field: (decisions[rule.category], rule.category)
            for field, rule in rules.items()
            if decisions[rule.category].kind not in (DecisionKind.ALLOW, DecisionKind.MASK)
        }
        self._purpose = purpose
        self.releases = [
            {
                "category": category,
                "decision": decisions[category].kind.value,
                "legal_basis": decisions[category].legal_basis,
                "consent_id": decisions[category].consent_id,
            }
            for category in sorted({rule.category for rule in rules.values()})
        ]

    def released(self, record: SubjectRecord) -> Mapping[str, Any]:
        if not self._masked:
            return record.fields
        return {
            field: self._masks.apply(value, self._masked[field]) if field in self._masked else value
            for field, value in record.fields.items()
        }

    def withheld_errors(self) -> dict[str, TongbanError]:
        """Fresh errors every time: graphql-core locates each at its own path."""
        return {
            field: withheld(decision, category, self._purpose)
            for field, (decision, category) in self._withheld.items()
        }
