"""The audit entries a profile query leaves: one per subject, durable before any data is returned.

Each entry names every field asked with its decision, every department asked with how it
answered, the legal basis or consent that released the data, and the request's who, why and
when; its tags are what an auditor searches by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from connectors.records import ResidentId, SubjectOutcome
from hub.audit.leaf import AuditEntry
from hub.errors import RequestError, TongbanError
from policies.decisions import DecisionKind
from schema.context import RequestContext
from schema.policy_gate import SHAPES_KEPT, Decisions, PlanKey, PolicyGate, Shape, plan_key, shape

Outcomes = Mapping[str, Mapping[ResidentId, SubjectOutcome]]
Tagged = tuple[AuditEntry, frozenset[str]]
FieldLabels = tuple[tuple[str, str], ...]
Answers = tuple[tuple[str, str], ...]
"""Each department asked about a subject, with how it answered."""


class AuditLabels:
    """Per schema: an entry's field labels and tags under one plan and shape of decisions, and
    its tags with each way the departments answered, worked out once and kept across requests
    (the same set object each time, so the store's key for it is kept too)."""

    def __init__(self, gate: PolicyGate) -> None:
        self._gate = gate
        self.of = lru_cache(maxsize=SHAPES_KEPT)(self._labels)
        self.tags = lru_cache(maxsize=SHAPES_KEPT)(_tags)

    def legal_basis(self, purpose: str) -> str:
        return self._gate.policy.purposes.get(purpose).legal_basis.reference

    def _labels(self, plan: PlanKey, decision_shape: Shape) -> tuple[FieldLabels, frozenset[str]]:
        decided = {category: (kind, denial) for category, kind, denial in decision_shape}
        rules = [
            self._gate.rule(domain, field) for domain, fields in plan for field in sorted(fields)
        ]
        fields = tuple((f"{r.domain}.{r.field}", _label(*decided[r.category])) for r in rules)
        tags = frozenset(
            {f"category:{r.category}" for r in rules}
            | {f"decision:{decided[r.category][0].value}" for r in rules}
        )
        return fields, tags


class AuditTrail:
    """One query's entries: one per subject, in the request's who, why and when."""

    def __init__(
        self,
        context: RequestContext,
        purpose: str,
        plan: Mapping[str, frozenset[str]],
        labels: AuditLabels,
    ) -> None:
        self._context = context
        self._purpose = purpose
        self._plan = plan_key(plan)
        self._labels = labels
        self._legal_basis = labels.legal_basis(purpose)

    def entries(
        self,
        subjects: Sequence[ResidentId],
        decisions: Mapping[ResidentId, Decisions],
        outcomes: Outcomes,
    ) -> list[Tagged]:
        now = datetime.now(UTC)
        asked = sorted(outcomes.items())
        return [self._entry(s, decisions[s], asked, now) for s in subjects]

    def _entry(
        self,
        subject: ResidentId,
        decisions: Decisions,
        asked: Sequence[tuple[str, Mapping[ResidentId, SubjectOutcome]]],
        now: datetime,
    ) -> Tagged:
        """``asked``: each department's outcomes, in name order."""
        fields, decision_tags = self._labels.of(self._plan, shape(decisions))
        consent_id = ",".join(sorted({d.consent_id for d in decisions.values() if d.consent_id}))
        answers = tuple(
            (department, _answer(answered[subject]))
            for department, answered in asked
            if subject in answered
        )
        ok = sum(code == "OK" for _, code in answers)
        outcome = "ok" if ok == len(answers) else "partial" if ok else "failed"
        context = self._context
        entry = AuditEntry(
            time=now,
            request_id=context.request_id,
            client_id=context.client_id,
            role=context.role,
            operator=context.operator,
            case_ref=context.case_ref,
            subject=subject,
            purpose=self._purpose,
            legal_basis=self._legal_basis,
            consent_id=consent_id or None,
            fields=fields,
            departments=answers,
            outcome=outcome,
        )
        return entry, self._labels.tags(decision_tags, answers)


def _tags(decision_tags: frozenset[str], answers: Answers) -> frozenset[str]:
    """An entry's tags: its decisions' and how each department answered."""
    departments = {f"department:{department}" for department, _ in answers}
    failures = {f"outcome:{code}" for _, code in answers if code != "OK"}
    return decision_tags | departments | failures


def _label(kind: DecisionKind, denial: type[RequestError] | None) -> str:
    label = kind.value.lower()
    return label if denial is None else f"{label}:{denial.code}"


def _answer(outcome: SubjectOutcome) -> str:
    if isinstance(outcome, TongbanError):
        return outcome.code
    return "OK" if outcome.found else "NOT_FOUND"
