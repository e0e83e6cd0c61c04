"""Assembling profiles as plain dicts: department values as released, withheld fields as errors.

A value here may be an exception instance: graphql-core reports it as an error at exactly that
place (a failed domain, a withheld field) while the rest of the answer survives. Work that is the
same for every subject whose decisions have one shape is done once per schema (``DomainViews``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from connectors.records import Provenance, ResidentId, SubjectOutcome, SubjectRecord
from hub.errors import NotFound, TongbanError
from policies.decisions import DecisionKind
from schema.policy_gate import (
    SHAPES_KEPT,
    Decisions,
    PolicyGate,
    Shape,
    kinds_of,
    shape,
    withheld,
)
from schema.selection import Selection

Profile = dict[str, Any]
Outcomes = Mapping[str, Mapping[ResidentId, SubjectOutcome]]


class DomainViews:
    """Per schema: each domain's view under one shape of decisions, worked out once and kept
    across requests."""

    def __init__(self, gate: PolicyGate) -> None:
        self._gate = gate
        self.of = lru_cache(maxsize=SHAPES_KEPT)(self._view)

    def _view(self, domain: str, fields: frozenset[str], decision_shape: Shape) -> _DomainView:
        return _DomainView(self._gate, domain, fields, kinds_of(decision_shape))


class Assembler:
    def __init__(self, views: DomainViews, selection: Selection, purpose: str) -> None:
        self._views = views
        self._selection = selection
        self._purpose = purpose
        self._provenance: dict[int, dict[str, Any]] = {}

    def profile(self, subject: ResidentId, decisions: Decisions, outcomes: Outcomes) -> Profile:
        profile: Profile = {"id": subject}
        decision_shape = shape(decisions)
        own = self._selection.own
        for domain, fields in self._selection.plan.items():
            view = self._views.of(domain, fields, decision_shape)
            outcome = outcomes.get(view.department, {}).get(subject)
            profile[domain] = self._domain_value(subject, view, decisions, outcome, own[domain])
        return profile

    def _domain_value(
        self,
        subject: ResidentId,
        view: _DomainView,
        decisions: Decisions,
        outcome: SubjectOutcome | None,
        own: frozenset[str],
    ) -> object:
        """``own``: the hub's fields selected in the domain, built only then (a thousand
        subjects' releases nobody asked for are a thousand lists)."""
        if isinstance(outcome, TongbanError):
            return outcome
        value: dict[str, Any] = {}
        if outcome is not None:  # None: nothing here was released, the department not asked
            if not outcome.found:
                return NotFound(f"{view.department} has no record of {subject}")
            value.update(view.released(outcome))
        value.update(view.withheld_errors(decisions, self._purpose))
        if "provenance" in own:
            value["provenance"] = (
                None if outcome is None else self._provenance_of(outcome.provenance)
            )
        if "releases" in own:
            value["releases"] = view.releases(decisions)
        return value

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
    """One domain under one shape of decisions: what is masked and what withheld. What names a
    subject's own consents (the releases, a refusal's message) is filled in per subject."""

    def __init__(
        self,
        gate: PolicyGate,
        domain: str,
        fields: frozenset[str],
        kinds: Mapping[str, DecisionKind],
    ) -> None:
        rules = {field: gate.rule(domain, field) for field in fields}
        self.department = gate.departments[domain]
        self._masks = gate.policy.masks
        self._masked = {
            field: rule.mask
            for field, rule in rules.items()
            if kinds[rule.category] is DecisionKind.MASK and rule.mask is not None
        }
        self._withheld = {
            field: rule.category
            for field, rule in rules.items()
            if kinds[rule.category] not in (DecisionKind.ALLOW, DecisionKind.MASK)
        }
        self._categories = sorted({rule.category for rule in rules.values()})

    def released(self, record: SubjectRecord) -> Mapping[str, Any]:
        if not self._masked:
            return record.fields
        return {
            field: self._masks.apply(value, self._masked[field]) if field in self._masked else value
            for field, value in record.fields.items()
        }

    def withheld_errors(self, decisions: Decisions, purpose: str) -> dict[str, TongbanError]:
        """Fresh errors every time: graphql-core locates each at its own path."""
        if not self._withheld:
            return {}
        return {
            field: withheld(decisions[category], category, purpose)
            for field, category in self._withheld.items()
        }

    def releases(self, decisions: Decisions) -> list[dict[str, Any]]:
        return [
            {
                "category": category,
                "decision": decisions[category].kind.value,
                "legal_basis": decisions[category].legal_basis,
                "consent_id": decisions[category].consent_id,
            }
            for category in self._categories
        ]
