"""Asking departments for what policy released: one call per department, all concurrently,
each subject asked only for the fields its own decisions release."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from connectors.connector import Connector
from connectors.records import FetchItem, ResidentId, SubjectOutcome
from connectors.registry import ConnectorRegistry
from policies.decisions import DecisionKind
from schema.policy_gate import (
    SHAPES_KEPT,
    Decisions,
    PlanKey,
    PolicyGate,
    Shape,
    kinds_of,
    plan_key,
    shape,
)

Plan = Mapping[str, frozenset[str]]
Outcomes = dict[str, dict[ResidentId, SubjectOutcome]]
Share = tuple[tuple[Connector, frozenset[str]], ...]
"""Each department asked, with the fields asked of it."""


class ReleasedFetch:
    """Per schema, for one kind of read (a profile shows values, verify judges them): which
    fields a plan asks of each department under a shape of decisions is worked out once."""

    def __init__(
        self,
        registry: ConnectorRegistry,
        gate: PolicyGate,
        released: Callable[[DecisionKind], bool],
    ) -> None:
        self._registry = registry
        self._gate = gate
        self._released = released
        self._shares = lru_cache(maxsize=SHAPES_KEPT)(self._share)

    async def fetch(
        self, plan: Plan, subjects: Sequence[ResidentId], decisions: Mapping[ResidentId, Decisions]
    ) -> Outcomes:
        """Department → subject → outcome, for the fields whose decision ``released`` accepts."""
        items: dict[Connector, list[FetchItem]] = {}
        key = plan_key(plan)
        for subject in subjects:
            for connector, fields in self._shares(key, shape(decisions[subject])):
                items.setdefault(connector, []).append(FetchItem(subject, fields))
        pending = {
            connector.department: connector.fetch(batch) for connector, batch in items.items()
        }
        # Every call is already under way: awaiting them in turn costs no extra time.
        return {department: await outcome for department, outcome in pending.items()}

    def _share(self, plan: PlanKey, decision_shape: Shape) -> Share:
        kinds = kinds_of(decision_shape)
        share: dict[Connector, set[str]] = {}
        for domain, fields in plan:
            connector = self._registry.domain_owners[domain]
            for field in fields:
                if self._released(kinds[self._gate.rule(domain, field).category]):
                    share.setdefault(connector, set()).add(field)
        return tuple((connector, frozenset(fields)) for connector, fields in share.items())
