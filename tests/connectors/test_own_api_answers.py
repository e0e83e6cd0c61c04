"""A department over its own API — GraphQL, or its own JSON described by a mapping — answers
under the hub's names, with its signature verified, as a wire-format department does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from connectors.records import FetchItem, SubjectRecord
from tests.connectors.departments import FIELDS, Served, full_facts, served
from tests.connectors.graphql_department import GraphQLBureau
from tests.connectors.own_json_department import OwnJsonBureau

FIRST, SECOND = "110101199003074518", "110105199001011237"
INCOME = frozenset({"annualTaxableIncome"})

OwnApi = Served[GraphQLBureau | OwnJsonBureau]


@pytest.fixture(params=[GraphQLBureau, OwnJsonBureau], ids=["graphql", "own-json"])
async def department(request: pytest.FixtureRequest) -> AsyncIterator[OwnApi]:
    async with served(request.param()) as started:
        yield started


async def test_answers_come_back_under_the_hubs_names_signed_by_the_department(
    department: OwnApi,
) -> None:
    answered = await department.fetch(FetchItem(FIRST, INCOME), FetchItem(SECOND, FIELDS))

    first, second = answered[FIRST], answered[SECOND]
    assert isinstance(first, SubjectRecord)
    assert isinstance(second, SubjectRecord)
    assert first.fields == {"annualTaxableIncome": full_facts(FIRST)["annualTaxableIncome"]}
    assert second.fields == full_facts(SECOND)
    assert first.provenance.signature_verified
    assert first.provenance.key_id == department.bureau.signer.key_id
    assert first.provenance.issued_at.startswith("20")  # echoed where the binding says


async def test_a_subject_the_department_does_not_know_is_not_found(department: OwnApi) -> None:
    department.bureau.unknown.add(SECOND)

    answered = await department.fetch(FetchItem(FIRST, INCOME), FetchItem(SECOND, INCOME))

    known, unknown = answered[FIRST], answered[SECOND]
    assert isinstance(known, SubjectRecord)
    assert isinstance(unknown, SubjectRecord)
    assert (known.found, unknown.found, unknown.fields) == (True, False, {})
