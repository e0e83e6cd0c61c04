"""Asking departments for what policy released: one call per department, all concurrently,
each subject asked only for the fields its own decisions release."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from connectors.connector import Connector
from connectors.records import FetchItem, ResidentId, SubjectOutcome
from connectors.registry import ConnectorRegistry
from policies.decisions import Decision
from schema.policy_gate import Decisions, PolicyGate, Shape, shape

Plan = Mapping[str, frozenset[str]]
Outcomes = dict[str, dict[ResidentId, SubjectOutcome]]


async def fetch_released(
    registry: ConnectorRegistry,
    gate: PolicyGate,
    plan: Plan,
    subjects: Sequence[ResidentId],
    decisions: Mapping[ResidentId, Decisions],
    released: Callable[[Decision], bool],
) -> Outcomes:
    """Department → subject → outcome, for the fields whose decision ``released`` accepts."""
    items: dict[Connector, list[FetchItem]] = {}
    shares: dict[Shape, dict[Connector, frozenset[str]]] = {}
    for subject in subjects:
        verdicts = decisions[subject]
        share = shares.get(key := shape(verdicts))
        if share is None:
            share = shares[key] = _share(registry, gate, plan, verdicts, released)
        for connector, fields in share.items():
            items.setdefault(connector, []).append(FetchItem(subject, fields))
    pending = {connector.department: connector.fetch(batch) for connector, batch in items.items()}
    # Every call is already under way: awaiting them in turn costs no extra time.
    return {department: await outcome for department, outcome in pending.items()}


def _share(
    registry: ConnectorRegistry,
    gate: PolicyGate,
    plan: Plan,
    verdicts: Decisions,
    released: Callable[[Decision], bool],
) -> dict[Connector, frozenset[str]]:
    share: dict[Connector, set[str]] = {}
    for domain, fields in plan.items():
        connector = registry.domain_owners[domain]
        for field in fields:
            if released(verdicts[gate.rule(domain, field).category]):
                share.setdefault(connector, set()).add(field)
    return {connector: frozenset(fields) for connector, fields in share.items()}
