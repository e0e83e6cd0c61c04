"""The audit entries a profile query leaves: one per subject, before any data is returned.

Each entry names every field asked with its decision, every department asked with how it
answered, and the request's who, why and when; its tags are what an auditor searches by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from connectors.records import ResidentId, SubjectOutcome
from connectors.registry import ConnectorRegistry
from hub.audit.leaf import AuditEntry
from hub.errors import TongbanError
from schema.context import RequestContext

Domains = Mapping[str, frozenset[str]]
Outcomes = Mapping[str, Mapping[ResidentId, SubjectOutcome]]


class AuditTrail:
    """Per query: what is the same for every subject is worked out once."""

    def __init__(
        self, context: RequestContext, purpose: str, plan: Domains, registry: ConnectorRegistry
    ) -> None:
        self._context = context
        self._purpose = purpose
        self._fields = tuple(
            (f"{domain}.{field}", "allow") for domain in plan for field in sorted(plan[domain])
        )
        owners = registry.domain_owners
        self._departments = sorted({owners[domain].department for domain in plan})
        categories = {
            owners[domain].manifest.domains[domain].fields[field].category
            for domain, fields in plan.items()
            for field in fields
        }
        self._tags = frozenset(
            [f"department:{d}" for d in self._departments]
            + [f"category:{c}" for c in categories if c]
            + ["decision:allow"]
        )

    def entries(
        self, subjects: Sequence[ResidentId], outcomes: Outcomes
    ) -> list[tuple[AuditEntry, frozenset[str]]]:
        now = datetime.now(UTC)
        return [self._entry(subject, outcomes, now) for subject in subjects]

    def _entry(
        self, subject: ResidentId, outcomes: Outcomes, now: datetime
    ) -> tuple[AuditEntry, frozenset[str]]:
        answers = tuple(
            (department, _answer(outcomes[department][subject])) for department in self._departments
        )
        answered = sum(code == "OK" for _, code in answers)
        outcome = "ok" if answered == len(answers) else "partial" if answered else "failed"
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
            legal_basis=None,
            consent_id=None,
            fields=self._fields,
            departments=answers,
            outcome=outcome,
        )
        tags = self._tags | {f"outcome:{code}" for _, code in answers if code != "OK"}
        return entry, tags


def _answer(outcome: SubjectOutcome) -> str:
    if isinstance(outcome, TongbanError):
        return outcome.code
    return "OK" if outcome.found else "NOT_FOUND"
