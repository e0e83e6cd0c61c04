"""Issue 3, as a property: whatever the policy, the consents and the query, no value policy
withholds leaves the hub — not in data, errors or extensions — and no department is asked for one.

Drawn per example: the purposes (which roles may declare each, consent or statutory duty, and
raw / masked / predicate / none access to every category), the role of the client asking,
consents (subject, grantee, purpose, categories; active, expired, not yet valid or revoked), and
one request of one to three root fields — ``citizen``, ``citizens`` batches, ``verify`` with
claims — with aliases, named and inline fragments, ``@include``/``@skip`` on variables and
nested selections. Fixed: the shipped categories (which are sensitive, the minors' rule) and
masks, the four departments (the real mocks, over real sockets), and the pool of subjects.

The hub runs one schema for every example: composing one costs ~25 ms, most of the time budget
at 2,000 examples. Its policy's purposes are replaced per example by the drawn ones under fresh
codes, so no decision the hub cached, and no consent granted, in an earlier example is in scope.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.vendor.pretty import RepresentationPrinter

from hub import demo
from hub.app import create_app, start_hub
from hub.roles import Role
from hub.runtime import Runtime
from hub.store import open_store
from mocks.resident_id import resident_id
from policies.policy import Policy
from policies.purposes import Purpose, PurposeRegistry
from tests.e2e.conftest import HUB_KEY, LOG_ORIGIN, Departments, HubClient
from tests.support import mock_reads
from tests.support.catalogue import Catalogue
from tests.support.claim_oracle import ClaimOracle
from tests.support.decision_oracle import Oracle
from tests.support.judge import Judge
from tests.support.mock_reads import Records
from tests.support.policy_draws import ROLES, ConsentDraw, consents, purposes
from tests.support.query_draws import (
    AGE,
    PER_CAPITA,
    Root,
    claimables,
    document,
    root_subjects,
    roots,
)
from tests.support.selections import TypeGraph, type_graph
from tests.support.servers import serving

DEPARTMENT_TIMEOUT_MS = 5_000
"""Generous: a slow answer on a loaded machine must not pass for a refusal."""
AGE_OPERANDS = (0, 13, 14, 16, 60, 80)
PER_CAPITA_OPERANDS = (0, 800.0, 1_100, 2_500.5)


class ExamplePurposes(PurposeRegistry):
    """The purposes of the example under way, as the one schema's policy sees them."""

    def __init__(self) -> None:
        super().__init__({})

    def declare(self, purposes: Iterable[Purpose]) -> None:
        self.purposes = {purpose.code: purpose for purpose in purposes}


@dataclass(frozen=True)
class Scenario:
    purposes: tuple[Purpose, ...]
    role: Role
    consents: list[ConsentDraw]
    roots: tuple[Root, ...]


@dataclass(frozen=True)
class World:
    hub: HubClient
    urls: dict[str, str]
    clients: dict[Role, str]
    """The id of the client of each role: who consents are granted to."""
    purposes: ExamplePurposes
    policy: Policy
    catalogue: Catalogue
    graph: TypeGraph
    records: Records
    scenarios: st.SearchStrategy[Scenario]
    examples: itertools.count[int]

    def _repr_pretty_(self, printer: RepresentationPrinter, cycle: bool) -> None:
        """Hypothesis prints a failing example's arguments, this fixture among them; printed
        whole it is over 30 kB, which Hypothesis warns of, and pytest makes warnings errors."""
        printer.text(f"World(hub={self.hub.url!r})")

    def declare(self, drawn: Sequence[Purpose]) -> list[Purpose]:
        """The drawn purposes under codes no earlier example used, now in force."""
        example = next(self.examples)
        declared = [replace(purpose, code=f"{purpose.code}_{example}") for purpose in drawn]
        self.purposes.declare(declared)
        return declared

    async def judge(self, scenario: Scenario) -> dict[str, Any]:
        """Set the scenario up, send its request, and judge the answer; returns the answer."""
        declared = self.declare(scenario.purposes)
        codes = [purpose.code for purpose in declared]
        now = datetime.now(UTC)
        for consent in scenario.consents:
            grantee = self.clients[consent.grantee]
            await consent.record(self.hub.store, grantee, codes[consent.purpose], now)
        query, variables = document(self.graph, scenario.roots, codes)
        await mock_reads.reset(self.hub.session, self.urls)

        status, answer = await self.hub.post(query, variables, role=scenario.role.value)
        asked = await mock_reads.asked(self.hub.session, self.urls)

        assert status == 200, answer
        oracle = self.oracle(declared, scenario)
        claims = ClaimOracle(self.catalogue, claimables(self.catalogue), self.records, oracle)
        judge = Judge(self.catalogue, claims, self.records, oracle, codes, answer)
        for index, root in enumerate(scenario.roots):
            judge.root(index, root)
        judge.settle(asked, query, variables)
        return answer

    def oracle(self, declared: Sequence[Purpose], scenario: Scenario) -> Oracle:
        categories = self.policy.categories
        sensitive = frozenset(c.code for c in categories.by_code.values() if c.sensitive)
        today = datetime.now(UTC).date()
        return Oracle(
            declared,
            sensitive,
            categories.minors.under_age,
            scenario.consents,
            scenario.role,
            today,
        )


@pytest.fixture(scope="module")
async def world(
    departments: Departments, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    store = await open_store(f"sqlite:///{tmp_path_factory.mktemp('property') / 'hub.db'}")
    await demo.register_mock_connectors(store, dict(departments.urls), DEPARTMENT_TIMEOUT_MS)
    keys = await demo.issue_demo_keys(store)
    clients = {role: await demo.demo_client_id(store, role) for role in ROLES}
    started = await start_hub(store, HUB_KEY, LOG_ORIGIN)
    examples = ExamplePurposes()
    shipped = started.runtime.policy
    policy = Policy(shipped.categories, examples, shipped.masks)
    hub = replace(started, runtime=Runtime(policy, started.runtime.current.registry))
    catalogue = Catalogue.builtin()
    graph = type_graph(catalogue)
    valid, invalid = _subjects(departments)
    async with serving(create_app(hub), lifespan="on") as url, aiohttp.ClientSession() as session:
        records = await mock_reads.read_records(session, departments.urls, catalogue, valid)
        scenarios = _scenarios(policy, graph, catalogue, [*valid, invalid], records)
        yield World(
            HubClient(url, session, keys, store),
            dict(departments.urls),
            clients,
            examples,
            policy,
            catalogue,
            graph,
            records,
            scenarios,
            itertools.count(),
        )


@settings(
    max_examples=2_000,
    deadline=None,
    derandomize=True,
    database=None,
    # The function-scoped fixture is e2e's autouse one that clears injected faults after each
    # test; this test injects none, so running it once for all examples is what is wanted.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_no_withheld_value_leaves_the_hub_or_reaches_a_department(
    world: World, data: st.DataObject
) -> None:
    answer = await world.judge(data.draw(world.scenarios, label="scenario"))
    for code in sorted({error["extensions"]["code"] for error in answer.get("errors", [])}):
        event(code)


def _subjects(departments: Departments) -> tuple[list[str], str]:
    """The sample citizens and everyone registered with them; then an ID no department knows
    (its own records, all None, are read like the others) and one the hub must refuse."""
    population = departments.population
    valid: list[str] = []
    for subject in departments.samples.values():
        person = population.by_id[subject]
        valid.extend(m.id for m in [person, *person.household.living] if m.id not in valid)
    unknown = resident_id("110101", date(1950, 1, 1), 999)
    assert unknown not in population.by_id
    ordinary = departments.samples["ordinary"]
    wrong_check = "0" if ordinary[-1] != "0" else "1"
    return [*valid, unknown], ordinary[:-1] + wrong_check


def _scenarios(
    policy: Policy, graph: TypeGraph, catalogue: Catalogue, subjects: list[str], records: Records
) -> st.SearchStrategy[Scenario]:
    categories = list(policy.categories.by_code)
    sensitive = sorted(policy.categories.sensitive())
    claimable = claimables(catalogue)
    operands: dict[str, list[object]] = {AGE: [*AGE_OPERANDS], PER_CAPITA: [*PER_CAPITA_OPERANDS]}
    for name, source in claimable.items():
        if name not in operands:
            department = catalogue.department(source.domain)
            held = (record[source.field] for r in records.values() if (record := r[department]))
            operands[name] = list(dict.fromkeys(v for v in held if v is not None))
    drawn_roots = roots(graph, subjects, claimable, operands)

    @st.composite
    def scenario(draw: st.DrawFn) -> Scenario:
        """The role and the request first, so that purposes and consents can meet them: drawn
        blind, a consent would rarely name the subject, grantee and purpose a field is asked
        under, and lapsed consents would never be seen refusing anything."""
        role = draw(st.sampled_from(ROLES))
        request = draw(drawn_roots)
        named = sorted({s for root in request for s in root_subjects(root)} & records.keys())
        return Scenario(
            purposes=draw(purposes(categories, role)),
            role=role,
            consents=draw(consents(named or list(records), categories, sensitive, role)),
            roots=request,
        )

    return scenario()
