"""Where policy meets the plan: a decision for every selected field of every subject, made
before any department is called.

The gate asks the consent source once per query (only when a consent could change a decision),
decides per subject (decisions are cached: subjects in the same consent state share one), and
hands back, per subject, the fields each department may be asked for. A field policy withholds is
never asked for: its department does not even learn that someone wanted it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from connectors.registry import ConnectorRegistry
from hub.errors import CategoryNotAllowed, RequestError
from hub.roles import Role
from hub.store.records import ConsentRecord
from policies.consents import NO_CONSENT, consent_states
from policies.decisions import Decider, Decision, DecisionKind, DecisionRequest, needs_consents
from policies.masking import MaskShape, mask_shapes
from policies.policy import Policy

Decisions = Mapping[str, Decision]
"""Category → decision, for one subject."""


class ConsentSource(Protocol):
    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]: ...


@dataclass(frozen=True, slots=True)
class FieldRule:
    domain: str
    field: str
    department: str
    category: str
    mask: MaskShape | None


class PolicyGate:
    """Per schema: the field rules of the registered connectors, and the policy to apply."""

    def __init__(self, policy: Policy, registry: ConnectorRegistry) -> None:
        self.policy = policy
        self._decider = Decider(policy)
        self._rules: dict[tuple[str, str], FieldRule] = {}
        self.departments = {d: c.department for d, c in registry.domain_owners.items()}
        for domain, connector in registry.domain_owners.items():
            shapes = mask_shapes(connector.manifest)
            for field, spec in connector.manifest.domains[domain].fields.items():
                category = spec.category or ""
                rule = FieldRule(domain, field, connector.department, category, shapes.get(field))
                self._rules[domain, field] = rule

    def rule(self, domain: str, field: str) -> FieldRule:
        return self._rules[domain, field]

    async def decide(
        self,
        consents: ConsentSource,
        client_id: str,
        role: Role,
        purpose: str,
        plan: Mapping[str, frozenset[str]],
        subjects: Sequence[str],
    ) -> dict[str, Decisions]:
        """Subject → category → decision, for the categories the plan selects."""
        categories = frozenset(self._rules[d, f].category for d in plan for f in plan[d])
        today = datetime.now(UTC)
        minors = self.policy.categories.minors
        minor = {s: minors.covers(birth_date(s), today.date()) for s in subjects}
        states = {}
        if any(
            needs_consents(self.policy, purpose, categories, is_minor)
            for is_minor in set(minor.values())
        ):
            records = await consents.consents_in_scope(client_id, purpose, subjects)
            states = consent_states(records, today)
        return {
            subject: self._decider.decide(
                DecisionRequest(
                    role, purpose, categories, states.get(subject, NO_CONSENT), minor[subject]
                )
            )
            for subject in subjects
        }


Shape = tuple[tuple[str, DecisionKind, type[RequestError] | None], ...]
PlanKey = tuple[tuple[str, frozenset[str]], ...]
"""A plan (domain → fields selected), hashable, in the query's order."""
SHAPES_KEPT = 1024
"""Plans × shapes whose work is kept per schema: portals send few queries, subjects fall into
few shapes, and the bound holds whatever the queries are."""


def shape(decisions: Decisions) -> Shape:
    """What decisions come to, apart from which consent made them: subjects whose decisions
    have one shape are fetched, assembled and audited alike, so that work is done once per plan
    and shape and kept across requests (a thousand subjects with a thousand consents of one kind
    are one shape)."""
    return tuple((category, d.kind, d.denial) for category, d in decisions.items())


def kinds_of(decision_shape: Shape) -> dict[str, DecisionKind]:
    """Category → what its decision releases, under a shape."""
    return {category: kind for category, kind, _ in decision_shape}


def plan_key(plan: Mapping[str, frozenset[str]]) -> PlanKey:
    return tuple(plan.items())


def withheld(decision: Decision, category: str, purpose: str) -> RequestError:
    """The field error for a value policy does not release to a profile."""
    if decision.kind is DecisionKind.PREDICATE_ONLY:
        return CategoryNotAllowed(
            f"{purpose} reaches {category} only through claims: ask verify(...), not the value"
        )
    return decision.error()


def birth_date(subject: str) -> date:
    """Valid resident IDs carry a valid birth date at positions 7-14 (already checked)."""
    return date(int(subject[6:10]), int(subject[10:12]), int(subject[12:14]))
