"""Resolving ``citizen`` and ``citizens``: plan, decide, fetch, audit, assemble.

The two root resolvers are the only resolvers under ``Query`` that touch citizen data.
Everything below them is assembled as plain dicts in one pass (``schema.assembly``), after one
batched call per department (all departments concurrently), so resolving 1,000 profiles costs
1,000 dict builds, not 6,000 resolver calls. The audit record is durable before that pass runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import strawberry

from connectors.records import ResidentId
from connectors.registry import ConnectorRegistry
from hub.errors import BatchTooLarge, InvalidId, TongbanError
from policies.decisions import DecisionKind
from schema.assembly import Assembler, DomainViews, Profile
from schema.audit_trail import AuditLabels, AuditTrail
from schema.context import RequestContext
from schema.fetching import ReleasedFetch
from schema.policy_gate import PolicyGate
from schema.resident_id import validate_resident_id
from schema.selection import Selections

MAX_IDS = 1_000

Purpose = Annotated[
    str, strawberry.argument(description="Declared purpose code, e.g. LOW_INCOME_REVIEW. 用途。")
]

Domains = dict[str, frozenset[str]]


class ProfileResolver:
    def __init__(self, registry: ConnectorRegistry, gate: PolicyGate, labels: AuditLabels) -> None:
        self._registry = registry
        self._gate = gate
        self._released = ReleasedFetch(registry, gate, _shown)
        self._labels = labels
        self._views = DomainViews(gate)
        self._selections = Selections(registry.domain_fields)

    async def citizen(
        self,
        info: strawberry.Info[RequestContext, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="Resident ID. 身份号码。")],
        purpose: Purpose,
    ) -> Profile | TongbanError:
        (profile,) = await self._resolve(info, [id], purpose)
        if isinstance(profile, TongbanError):
            raise profile
        return profile

    async def citizens(
        self,
        info: strawberry.Info[RequestContext, None],
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Up to 1,000. 最多 1000 个。")
        ],
        purpose: Purpose,
    ) -> list[Profile | TongbanError]:
        if len(ids) > MAX_IDS:
            raise BatchTooLarge(f"{len(ids)} ids asked; at most {MAX_IDS} per query")
        return await self._resolve(info, ids, purpose)

    async def _resolve(
        self, info: strawberry.Info[RequestContext, None], ids: Sequence[str], purpose: str
    ) -> list[Profile | TongbanError]:
        context = info.context
        self._gate.policy.purposes.authorize(context.role, purpose)
        raw = info._raw_info  # the AST is needed to plan through fragments and directives
        selection = self._selections.of(raw.field_nodes, raw.fragments, raw.variable_values)
        plan = selection.plan
        subjects = [_parse(value) for value in ids]
        valid = list(dict.fromkeys(s for s in subjects if isinstance(s, str)))
        decisions = await self._gate.decide(
            context.consents, context.client_id, context.role, purpose, plan, valid
        )
        trail = AuditTrail(context, purpose, plan, self._labels)
        calls = self._released.start(plan, valid, decisions)
        outcomes = await calls.outcomes(lambda: trail.expect(valid, decisions, calls.asked))
        await context.audit.record(trail.rows(valid, decisions, outcomes))
        assembler = Assembler(self._views, selection, purpose)
        return [
            subject
            if isinstance(subject, InvalidId)
            else assembler.profile(subject, decisions[subject], outcomes)
            for subject in subjects
        ]


def _shown(kind: DecisionKind) -> bool:
    return kind in (DecisionKind.ALLOW, DecisionKind.MASK)


def _parse(value: str) -> ResidentId | InvalidId:
    try:
        return validate_resident_id(value)
    except InvalidId as exc:
        return exc
