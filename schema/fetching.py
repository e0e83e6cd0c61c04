"""Asking departments for what policy released: one call per department, all concurrently,
each subject asked only for the fields its own decisions release."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from connectors.batching import Outcomes as DepartmentOutcomes
from connectors.connector import Connector
from connectors.records import FetchItem, ResidentId
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
Outcomes = dict[str, DepartmentOutcomes]


@dataclass(frozen=True, slots=True)
class Calls:
    """One call per department, under way."""

    pending: Mapping[str, asyncio.Future[DepartmentOutcomes]]
    asked: Mapping[str, Sequence[ResidentId]]
    """Department → the subjects asked of it."""

    async def outcomes(self) -> Outcomes:
        """Each department's outcomes; if awaiting one fails (the request cancelled, say), the
        calls not yet sent are withdrawn."""
        try:
            # Every call is already under way: awaiting them in turn costs no extra time.
            return {department: await outcome for department, outcome in self.pending.items()}
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        """The caller will not await ``outcomes``: a call still queued is not sent."""
        for outcome in self.pending.values():
            outcome.cancel()


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
        return await self.start(plan, subjects, decisions).outcomes()

    def start(
        self, plan: Plan, subjects: Sequence[ResidentId], decisions: Mapping[ResidentId, Decisions]
    ) -> Calls:
        """``fetch``'s calls, which go out once the caller yields to the event loop; the caller
        awaits their ``outcomes`` or cancels them."""
        items: dict[Connector, list[FetchItem]] = {}
        key = plan_key(plan)
        for subject in subjects:
            for connector, fields in self._shares(key, shape(decisions[subject])):
                items.setdefault(connector, []).append(FetchItem(subject, fields))
        return Calls(
            pending={
                connector.department: connector.fetch(batch) for connector, batch in items.items()
            },
            asked={c.department: [item.subject for item in batch] for c, batch in items.items()},
        )

    def _share(self, plan: PlanKey, decision_shape: Shape) -> Share:
        kinds = kinds_of(decision_shape)
        share: dict[Connector, set[str]] = {}
        for domain, fields in plan:
            connector = self._registry.domain_owners[domain]
            for field in fields:
                if self._released(kinds[self._gate.rule(domain, field).category]):
                    share.setdefault(connector, set()).add(field)
        return tuple((connector, frozenset(fields)) for connector, fields in share.items())
