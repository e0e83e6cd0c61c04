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
from hub.audit.writer import audit_row
from hub.errors import RequestError, TongbanError
from hub.store.audit_records import AuditRow
from policies.decisions import DecisionKind
from schema.context import RequestContext
from schema.policy_gate import SHAPES_KEPT, Decisions, PlanKey, PolicyGate, Shape, plan_key, shape

Outcomes = Mapping[str, Mapping[ResidentId, SubjectOutcome]]
FieldLabels = tuple[tuple[str, str], ...]
Answers = tuple[tuple[str, str], ...]
"""Each department asked about a subject, with how it answered."""
ANSWERED = "OK"
"""How a department answered that found the subject and sent its fields."""


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
    """One query's entries: one per subject, in the request's who, why and when (the moment the
    trail began, before the departments were asked)."""

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
        self._time = datetime.now(UTC)
        self._expected: dict[ResidentId, tuple[Answers, AuditRow]] = {}

    def expect(
        self,
        subjects: Sequence[ResidentId],
        decisions: Mapping[ResidentId, Decisions],
        asked: Mapping[ResidentId, Sequence[str]],
    ) -> None:
        """Build each subject's row as it reads if every department asked answers it ``OK``,
        while they work: what is left to do after the last answer is what the response waits
        for. A subject answered otherwise has its row built twice."""
        for subject in subjects:
            expected = tuple((department, ANSWERED) for department in asked[subject])
            self._expected[subject] = expected, self._row(subject, decisions[subject], expected)

    def rows(
        self,
        subjects: Sequence[ResidentId],
        decisions: Mapping[ResidentId, Decisions],
        outcomes: Outcomes,
    ) -> list[AuditRow]:
        """The row of each subject: the one ``expect`` built, if it was answered as expected."""
        asked = sorted(outcomes.items())
        rows = []
        for subject in subjects:
            answers = tuple(
                (department, _answer(answered[subject]))
                for department, answered in asked
                if subject in answered
            )
            expected = self._expected.get(subject)
            if expected is not None and expected[0] == answers:
                rows.append(expected[1])
            else:
                rows.append(self._row(subject, decisions[subject], answers))
        return rows

    def _row(self, subject: ResidentId, decisions: Decisions, answers: Answers) -> AuditRow:
        fields, decision_tags = self._labels.of(self._plan, shape(decisions))
        consent_id = ",".join(sorted({d.consent_id for d in decisions.values() if d.consent_id}))
        ok = sum(code == ANSWERED for _, code in answers)
        outcome = "ok" if ok == len(answers) else "partial" if ok else "failed"
        context = self._context
        entry = AuditEntry(
            time=self._time,
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
        return audit_row(entry, self._labels.tags(decision_tags, answers))


def _tags(decision_tags: frozenset[str], answers: Answers) -> frozenset[str]:
    """An entry's tags: its decisions' and how each department answered."""
    departments = {f"department:{department}" for department, _ in answers}
    failures = {f"outcome:{code}" for _, code in answers if code != ANSWERED}
    return decision_tags | departments | failures


def _label(kind: DecisionKind, denial: type[RequestError] | None) -> str:
    label = kind.value.lower()
    return label if denial is None else f"{label}:{denial.code}"


def _answer(outcome: SubjectOutcome) -> str:
    if isinstance(outcome, TongbanError):
        return outcome.code
    return ANSWERED if outcome.found else "NOT_FOUND"
