"""Policy decisions per second, in process: ``Decider.decide`` on a cache hit and on a miss, and
the gate's whole ``PolicyGate.decide`` for one subject and for 1,000, each subject with S1's six
categories under the two consents the bench grants.

Consents come from memory here, so these rates are the decision work alone; what reading them
from the store adds shows in S1's policy on/off rows. Each rate is the best of a few repeats:
other processes only ever slow a repeat down.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bench.errors import BenchFailed
from bench.queries import S1_PLAN, S1_PURPOSE
from bench.subjects import synthetic_ids
from connectors.http_client import HttpClient
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import build_registry
from hub.demo import CONSENT_DAYS, PROFILE_CATEGORIES
from hub.roles import Role
from hub.store.records import ConsentRecord
from policies.consents import consent_states
from policies.decisions import Decider, Decision, DecisionKind, DecisionRequest
from policies.policy import load_policy
from schema.policy_gate import PolicyGate

REPEATS = 3
MISSES = 5_000
"""Distinct consent states decided once each: below the Decider's cache size, so none is evicted."""
HITS = 100_000
GATE_SUBJECTS = 1_000
GATE_SINGLE_CALLS = 10_000
GATE_BATCH_CALLS = 20
_GRANTEE = "cl_benchportal0001"


@dataclass(frozen=True, slots=True)
class PolicyRate:
    operation: str
    subjects_per_call: int
    calls_per_s: float
    subjects_per_s: float


@dataclass(frozen=True, slots=True)
class PolicySpeed:
    categories: int
    """Categories decided per subject."""
    rates: list[PolicyRate]


async def measure_policy() -> PolicySpeed:
    policy = load_policy()
    subjects = synthetic_ids(MISSES)
    now = datetime.now(UTC)
    consents = _MemoryConsents([c for s in subjects for c in _granted(s, now)])
    async with HttpClient() as client:  # the connectors are never called
        manifests = map(load_manifest_file, BUILTIN_MANIFESTS.glob("*.yaml"))
        gate = PolicyGate(policy, build_registry(manifests, client))
    categories = frozenset(gate.rule(d, f).category for d in S1_PLAN for f in S1_PLAN[d])
    states = consent_states(consents.records, now)
    requests = [DecisionRequest(Role.PORTAL, S1_PURPOSE, categories, states[s]) for s in subjects]
    rates = await _decider_rates(Decider(policy), requests)
    rates += await _gate_rates(gate, consents, subjects[:GATE_SUBJECTS])
    return PolicySpeed(len(categories), rates)


async def _decider_rates(warm: Decider, requests: list[DecisionRequest]) -> list[PolicyRate]:
    _check([warm.decide(request) for request in requests])
    hit = requests[0]

    async def hits() -> None:
        for _ in range(HITS):
            warm.decide(hit)

    async def misses() -> None:
        cold = Decider(warm.policy)
        for request in requests:
            cold.decide(request)

    return [
        _rate("Decider.decide, cache hit", 1, HITS, await _fastest(hits)),
        _rate("Decider.decide, cache miss", 1, len(requests), await _fastest(misses)),
    ]


async def _gate_rates(
    gate: PolicyGate, consents: _MemoryConsents, subjects: list[str]
) -> list[PolicyRate]:
    """On the gate's warm decider: each subject's state was decided before, as in serving."""

    async def decide(asked: list[str]) -> Iterable[Mapping[str, Decision]]:
        decided = await gate.decide(consents, _GRANTEE, Role.PORTAL, S1_PURPOSE, S1_PLAN, asked)
        return decided.values()

    async def singles() -> None:
        for n in range(GATE_SINGLE_CALLS):
            await decide([subjects[n % len(subjects)]])

    async def batches() -> None:
        for _ in range(GATE_BATCH_CALLS):
            await decide(subjects)

    _check(await decide(subjects))
    return [
        _rate("PolicyGate.decide, 1 subject", 1, GATE_SINGLE_CALLS, await _fastest(singles)),
        _rate(
            f"PolicyGate.decide, {len(subjects):,} subjects",
            len(subjects),
            GATE_BATCH_CALLS,
            await _fastest(batches),
        ),
    ]


def _rate(operation: str, subjects: int, calls: int, seconds: float) -> PolicyRate:
    return PolicyRate(operation, subjects, calls / seconds, calls * subjects / seconds)


class _MemoryConsents:
    """A ``ConsentSource`` answering from memory what the store would."""

    def __init__(self, records: list[ConsentRecord]) -> None:
        self.records = records
        self._by_subject: dict[str, list[ConsentRecord]] = {}
        for record in records:
            self._by_subject.setdefault(record.subject, []).append(record)

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        return [record for s in subjects for record in self._by_subject.get(s, ())]


def _granted(subject: str, now: datetime) -> list[ConsentRecord]:
    """What ``hub.demo.grant_profile_consent`` grants: the ordinary categories, and health apart."""
    return [
        ConsentRecord.granted_now(
            subject,
            _GRANTEE,
            S1_PURPOSE,
            categories,
            now - timedelta(minutes=1),
            now + timedelta(days=CONSENT_DAYS),
        )
        for categories in (PROFILE_CATEGORIES, ("health",))
    ]


def _check(decided: Iterable[Mapping[str, Decision]]) -> None:
    """Every S1 category is released: a fast refusal would be no result."""
    for decisions in decided:
        if any(d.kind is not DecisionKind.ALLOW for d in decisions.values()):
            raise BenchFailed(f"the policy did not release every S1 category: {decisions}")


async def _fastest(run: Callable[[], Awaitable[None]]) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await run()
        timings.append(time.perf_counter() - started)
    return min(timings)
