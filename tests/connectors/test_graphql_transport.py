"""GraphQL: one document per batch with one aliased root field per distinct field set, so each
subject is asked only its own fields; the answer is signed and bound to the request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from graphql import FieldNode, OperationDefinitionNode, SelectionSetNode, VariableNode, parse

from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.records import FetchItem, SubjectRecord
from connectors.registry import build_connector
from tests.connectors.departments import FIELDS, Served, Signer, full_manifest
from tests.connectors.departments import served as served_bureau
from tests.connectors.graphql_department import GraphQLBureau, Mode
from tests.support.servers import serving

FIRST, SECOND, THIRD = "110101199003074518", "110105199001011237", "310104198512120022"
INCOME = frozenset({"annualTaxableIncome"})


GraphQLServed = Served[GraphQLBureau]


@pytest.fixture
async def served() -> AsyncIterator[GraphQLServed]:
    async with served_bureau(GraphQLBureau()) as department:
        yield department


def _asked(document: str, variables: dict[str, Any]) -> dict[str, set[str]]:
    """What each subject was asked for: the leaves of the root field its id went to."""
    operation = parse(document).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    asked: dict[str, set[str]] = {}
    for root in operation.selection_set.selections:
        assert isinstance(root, FieldNode)
        (argument,) = root.arguments or ()
        assert isinstance(argument.value, VariableNode)
        for subject in variables[argument.value.name.value]:
            assert subject not in asked, "a subject went to two root fields"
            asked[subject] = set(_leaves(root.selection_set))
    return asked


def _leaves(selection: SelectionSetNode | None, prefix: str = "") -> Iterator[str]:
    assert selection is not None
    for field in selection.selections:
        assert isinstance(field, FieldNode)
        path = prefix + field.name.value
        if field.selection_set is None:
            yield path
        else:
            yield from _leaves(field.selection_set, path + ".")


async def test_each_subject_is_asked_only_its_own_fields_in_one_document(
    served: GraphQLServed,
) -> None:
    await served.fetch(
        FetchItem(FIRST, INCOME), FetchItem(SECOND, FIELDS), FetchItem(THIRD, INCOME)
    )

    (document,) = served.bureau.documents
    assert _asked(*document) == {
        FIRST: {"idNo", "income.taxable"},
        SECOND: {
            "idNo",
            "income.taxable",
            "income.paid",
            "dependants.name",
            "dependants.relation",
            "assessedOn",
        },
        THIRD: {"idNo", "income.taxable"},
    }
    assert document[0].count("persons(") == 2  # one root field per distinct field set


@pytest.mark.parametrize(
    ("mode", "code", "reason"),
    [
        ("garbage", "SOURCE_BAD_RESPONSE", "not signed"),
        ("refusing", "SOURCE_UNAVAILABLE", "closed for maintenance"),
    ],
)
async def test_garbage_or_graphql_errors_fail_the_batch_with_a_stable_code(
    served: GraphQLServed, mode: Mode, code: str, reason: str
) -> None:
    served.bureau.mode = mode

    answered = await served.fetch(FetchItem(FIRST, INCOME))

    outcome = answered[FIRST]
    assert not isinstance(outcome, SubjectRecord)
    assert (outcome.code, outcome.department) == (code, "tax")
    assert reason in outcome.message


async def test_an_answer_signed_by_another_key_is_refused() -> None:
    bureau = GraphQLBureau()
    async with serving(bureau.app()) as url, HttpClient() as client:
        document = full_manifest(bureau.transport(url), Signer().public_key)
        connector = build_connector(parse_manifest(document, "tax"), client)
        answered = await connector.fetch([FetchItem(FIRST, INCOME)])

    outcome = answered[FIRST]
    assert not isinstance(outcome, SubjectRecord)
    assert outcome.code == "SOURCE_SIGNATURE_INVALID"


async def test_the_health_check_is_a_typename_query(served: GraphQLServed) -> None:
    await served.connector.health()

    assert served.bureau.documents == [("{ __typename }", {})]
