"""The audit entries a profile query leaves: one per subject, durable before any data is returned.

Each entry names every field asked with its decision, every department asked with how it
answered, the legal basis or consent that released the data, and the request's who, why and
when; its tags are what an auditor searches by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from connectors.records import ResidentId, SubjectOutcome
from hub.audit.leaf import AuditEntry
from hub.errors import TongbanError
from policies.decisions import Decision
from schema.context import RequestContext
from schema.policy_gate import Decisions, PolicyGate, Shape, shape

Outcomes = Mapping[str, Mapping[ResidentId, SubjectOutcome]]
Tagged = tuple[AuditEntry, frozenset[str]]


class AuditTrail:
    """Per query: what is the same for subjects in the same consent state is worked out once."""

    def __init__(
        self,
        context: RequestContext,
        purpose: str,
        plan: Mapping[str, frozenset[str]],
        gate: PolicyGate,
    ) -> None:
        self._context = context
        self._purpose = purpose
        self._plan = plan
        self._gate = gate
        self._legal_basis = gate.policy.purposes.get(purpose).legal_basis.reference
        self._shared: dict[Shape, tuple[tuple[tuple[str, str], ...], frozenset[str]]] = {}

    def entries(
        self,
        subjects: Sequence[ResidentId],
        decisions: Mapping[ResidentId, Decisions],
        outcomes: Outcomes,
    ) -> list[Tagged]:
        now = datetime.now(UTC)
        return [self._entry(s, decisions[s], outcomes, now) for s in subjects]

    def _entry(
        self, subject: ResidentId, decisions: Decisions, outcomes: Outcomes, now: datetime
    ) -> Tagged:
        fields, tags = self._per_shape(decisions)
        consent_id = ",".join(sorted({d.consent_id for d in decisions.values() if d.consent_id}))
        answers = tuple(
            (department, _answer(answered[subject]))
            for department, answered in sorted(outcomes.items())
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
        departments = {f"department:{department}" for department, _ in answers}
        failures = {f"outcome:{code}" for _, code in answers if code != "OK"}
        return entry, tags | departments | failures

    def _per_shape(
        self, decisions: Decisions
    ) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
        shared = self._shared.get(key := shape(decisions))
        if shared is None:
            rules = [
                self._gate.rule(domain, field)
                for domain in self._plan
                for field in sorted(self._plan[domain])
            ]
            fields = tuple((f"{r.domain}.{r.field}", _label(decisions[r.category])) for r in rules)
            tags = frozenset(
                {f"category:{r.category}" for r in rules}
                | {f"decision:{decisions[r.category].kind.value}" for r in rules}
            )
            shared = self._shared[key] = (fields, tags)
        return shared


def _label(decision: Decision) -> str:
    kind = decision.kind.value.lower()
    return f"{kind}:{decision.code}" if decision.code else kind


def _answer(outcome: SubjectOutcome) -> str:
    if isinstance(outcome, TongbanError):
        return outcome.code
    return "OK" if outcome.found else "NOT_FOUND"
