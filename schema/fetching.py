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
    asked: Mapping[ResidentId, tuple[str, ...]]
    """Subject → the departments asked of it, in name order."""

    async def outcomes(self, meanwhile: Callable[[], None] | None = None) -> Outcomes:
        """Each department's outcomes. ``meanwhile`` runs once the calls are out, while the
        departments work. If it or an await fails (the request cancelled, say), the calls not
        yet sent are withdrawn."""
        try:
            if meanwhile is not None:
                await asyncio.sleep(0)  # the calls go out when their caller yields
                meanwhile()
            # Every call is already under way: awaiting them in turn costs no extra time.
            return {department: await outcome for department, outcome in self.pending.items()}
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        """The caller will not await ``outcomes``: a call still queued is not sent."""
        for outcome in self.pending.values():
            outcome.cancel()


@dataclass(frozen=True, slots=True)
class _Share:
    """What one shape of decisions asks of the departments."""

    fields: tuple[tuple[Connector, frozenset[str]], ...]
    """Each department asked, with the fields asked of it."""
    departments: tuple[str, ...]
    """Their names, in order."""


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
        asked: dict[ResidentId, tuple[str, ...]] = {}
        key = plan_key(plan)
        for subject in subjects:
            share = self._shares(key, shape(decisions[subject]))
            asked[subject] = share.departments
            for connector, fields in share.fields:
                items.setdefault(connector, []).append(FetchItem(subject, fields))
        pending = {
            connector.department: connector.fetch(batch) for connector, batch in items.items()
        }
        return Calls(pending, asked)

    def _share(self, plan: PlanKey, decision_shape: Shape) -> _Share:
        kinds = kinds_of(decision_shape)
        share: dict[Connector, set[str]] = {}
        for domain, fields in plan:
            connector = self._registry.domain_owners[domain]
            for field in fields:
                if self._released(kinds[self._gate.rule(domain, field).category]):
                    share.setdefault(connector, set()).add(field)
        return _Share(
            fields=tuple((connector, frozenset(fields)) for connector, fields in share.items()),
            departments=tuple(sorted(connector.department for connector in share)),
        )
