"""``verify``: claims about a citizen answered TRUE, FALSE or UNKNOWN, never with the values.

A caseworker files the answer with the case: it is signed by the hub (Ed25519 over the RFC 8785
form of the document without ``signature``). A claim is answered only from fields whose decision
answers claims (released raw or predicate-only; a masked value answers none), and a claim on a
field policy withholds is UNKNOWN with the refusal as its reason. Every subject whose data was
read, household members included, gets an audit entry before the answer leaves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from connectors.records import ResidentId, SubjectRecord
from connectors.registry import ConnectorRegistry
from hub.errors import ClaimInvalid
from hub.store.audit_records import AuditRow
from policies.ages import age_on
from policies.claims import Claim, Truth, Verdict, evaluate, parse_claim
from policies.decisions import Decision, DecisionKind
from schema.audit_trail import AuditLabels, AuditTrail
from schema.claimables import AGE, PER_CAPITA_INCOME, WORKING_AGE, Claimables
from schema.context import RequestContext
from schema.fetching import Outcomes, ReleasedFetch
from schema.policy_gate import Decisions, PolicyGate, birth_date, withheld
from schema.resident_id import validate_resident_id

MAX_CLAIMS = 20
DOCUMENT_TYPE = "tongban.verification/1"


@strawberry.input(description="A question about one field. 核验条件。")
class ClaimInput:
    field: str = strawberry.field(description="e.g. employment.monthlyWage, identity.age")
    operator: str = strawberry.field(description="eq ne lt le gt ge in prefix")
    value: JSON = strawberry.field(description="A number, string, boolean, or a list for in.")


@strawberry.type(description="One claim's answer. 单项核验结果。")
class ClaimResult:
    field: str
    operator: str
    value: JSON
    truth: str = strawberry.field(description="TRUE, FALSE or UNKNOWN.")
    reason: str = strawberry.field(description="Why, without the value. 理由（不含原值）。")
    departments: list[str] = strawberry.field(description="Departments consulted. 核验来源。")


@strawberry.type(description="A signed verification, to file with the case. 已签名的核验结论。")
class Verification:
    subject: str
    purpose: str
    claims: list[ClaimResult]
    issued: str
    signature: str
    document: JSON = strawberry.field(description="The answer exactly as signed. 签名原文。")


class Verifier:
    def __init__(self, registry: ConnectorRegistry, gate: PolicyGate, labels: AuditLabels) -> None:
        self._registry = registry
        self._gate = gate
        self._claimables = Claimables.of(registry)
        self._released = ReleasedFetch(registry, gate, _not_denied)
        self._labels = labels

    async def verify(
        self,
        info: strawberry.Info[RequestContext, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="Resident ID. 身份号码。")],
        purpose: str,
        claims: list[ClaimInput],
    ) -> Verification | None:
        """Answer claims about one citizen without returning the data. 只核验、不返回原始数据。"""
        context = info.context
        self._gate.policy.purposes.authorize(context.role, purpose)
        subject = validate_resident_id(id)
        if not 1 <= len(claims) <= MAX_CLAIMS:
            raise ClaimInvalid(f"ask 1 to {MAX_CLAIMS} claims at a time, not {len(claims)}")
        parsed = [
            parse_claim(claim.field, claim.operator, claim.value, self._claimables.types)
            for claim in claims
        ]
        plan = self._plan(parsed)
        asking = _Consultation(self._gate, self._released, self._labels, context, purpose)
        decisions = await asking.decide(plan, [subject])
        outcomes = await asking.fetch(plan, [subject], decisions)
        verdicts = []
        for claim in parsed:
            verdict, departments = await self._judge(asking, claim, subject, decisions, outcomes)
            verdicts.append((claim, verdict, departments))
        await asking.record()
        return self._signed(context, subject, purpose, verdicts)

    def _plan(self, claims: Sequence[Claim]) -> dict[str, frozenset[str]]:
        plan: dict[str, set[str]] = {}
        for claim in claims:
            domain, field = self._claimables.sources[claim.field]
            plan.setdefault(domain, set()).add(field)
        return {domain: frozenset(fields) for domain, fields in plan.items()}

    async def _judge(
        self,
        asking: _Consultation,
        claim: Claim,
        subject: ResidentId,
        decisions: Mapping[ResidentId, Decisions],
        outcomes: Outcomes,
    ) -> tuple[Verdict, list[str]]:
        domain, field = self._claimables.sources[claim.field]
        rule = self._gate.rule(domain, field)
        aggregate = claim.field == PER_CAPITA_INCOME
        decision = decisions[subject][rule.category]
        refusal = _refusal(decision, rule.category, asking.purpose, aggregate)
        if refusal is not None:
            return refusal, []
        record = outcomes.get(rule.department, {}).get(subject)
        if not isinstance(record, SubjectRecord) or not record.found:
            why = "no record" if isinstance(record, SubjectRecord) else getattr(record, "code", "")
            return Verdict(Truth.UNKNOWN, f"{rule.department}: {why}"), [rule.department]
        value = record.fields.get(field)
        if claim.field == AGE:
            value = None if value is None else age_on(date.fromisoformat(value), date.today())
        if aggregate:
            return await self._per_capita(asking, claim, value)
        return evaluate(claim, value), [rule.department]

    async def _per_capita(
        self, asking: _Consultation, claim: Claim, members: object
    ) -> tuple[Verdict, list[str]]:
        if not isinstance(members, list) or not members:
            return Verdict(Truth.UNKNOWN, "the household has no registered members"), ["police"]
        ids = [member["id"] for member in members if isinstance(member, dict)]
        today = date.today()
        earning = [m for m in ids if age_on(birth_date(m), today) >= WORKING_AGE]
        plan: dict[str, frozenset[str]] = {}
        for field, domain in self._claimables.member_income.items():
            plan[domain] = plan.get(domain, frozenset()) | {field}
        decisions = await asking.decide(plan, earning)
        outcomes = await asking.fetch(plan, earning, decisions)
        total = 0.0
        consulted = {"police"}
        for member in earning:
            for field, domain in self._claimables.member_income.items():
                rule = self._gate.rule(domain, field)
                consulted.add(rule.department)
                decision = decisions[member][rule.category]
                refusal = _refusal(decision, rule.category, asking.purpose, aggregate=False)
                if refusal is not None:
                    return Verdict(Truth.UNKNOWN, f"member {member[:6]}…: {refusal.reason}"), []
                record = outcomes.get(rule.department, {}).get(member)
                if not isinstance(record, SubjectRecord) or not record.found:
                    reason = f"{rule.department} could not answer for a household member"
                    return Verdict(Truth.UNKNOWN, reason), sorted(consulted)
                total += float(record.fields.get(field) or 0.0)
        return evaluate(claim, round(total / len(ids), 2)), sorted(consulted)

    def _signed(
        self,
        context: RequestContext,
        subject: ResidentId,
        purpose: str,
        verdicts: list[tuple[Claim, Verdict, list[str]]],
    ) -> Verification:
        document: dict[str, Any] = {
            "type": DOCUMENT_TYPE,
            "subject": subject,
            "purpose": purpose,
            "client": context.client_id,
            "request_id": context.request_id,
            "issued": datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "claims": [
                {
                    "field": claim.field,
                    "operator": claim.operator.value,
                    "value": list(claim.operand)
                    if isinstance(claim.operand, tuple)
                    else claim.operand,
                    "truth": verdict.truth.value,
                    "reason": verdict.reason,
                    "departments": departments,
                }
                for claim, verdict, departments in verdicts
            ],
        }
        signed = context.notary.sign(document)
        typed = {**signed, "document": signed}
        return cast(Verification, typed)


class _Consultation:
    """One verify request's reads: decisions and fetches, and the audit entries they leave."""

    def __init__(
        self,
        gate: PolicyGate,
        released: ReleasedFetch,
        labels: AuditLabels,
        context: RequestContext,
        purpose: str,
    ) -> None:
        self._gate = gate
        self._released = released
        self._labels = labels
        self._context = context
        self.purpose = purpose
        self._rows: list[AuditRow] = []

    async def decide(
        self, plan: Mapping[str, frozenset[str]], subjects: Sequence[ResidentId]
    ) -> dict[ResidentId, Decisions]:
        context = self._context
        return await self._gate.decide(
            context.consents, context.client_id, context.role, self.purpose, plan, subjects
        )

    async def fetch(
        self,
        plan: Mapping[str, frozenset[str]],
        subjects: Sequence[ResidentId],
        decisions: Mapping[ResidentId, Decisions],
    ) -> Outcomes:
        trail = AuditTrail(self._context, self.purpose, plan, self._labels)
        outcomes = await self._released.fetch(plan, subjects, decisions)
        self._rows.extend(trail.rows(subjects, decisions, outcomes))
        return outcomes

    async def record(self) -> None:
        await self._context.audit.record(self._rows)


def _not_denied(kind: DecisionKind) -> bool:
    """What verify reads: values it judges but never returns. Which claims a value may answer
    is decided per claim (``_refusal``)."""
    return kind is not DecisionKind.DENY


def _refusal(decision: Decision, category: str, purpose: str, aggregate: bool) -> Verdict | None:
    """Why a claim cannot be answered, or None. A masked value answers no claim about itself
    (probing would unmask it), but a masked household still lets its members be counted."""
    if decision.answers_claims or (aggregate and decision.kind is DecisionKind.MASK):
        return None
    if decision.kind is DecisionKind.MASK:
        reason = f"{category} is released to {purpose} masked, and a masked value answers no claim"
        return Verdict(Truth.UNKNOWN, f"CATEGORY_NOT_ALLOWED: {reason}")
    error = withheld(decision, category, purpose)
    return Verdict(Truth.UNKNOWN, f"{error.code}: {error.message}")
