"""Bad input gets a stable code and a clear message, and loses nothing else in the answer."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_client_schema, get_introspection_query

from schema.resident_id import check_digit
from tests.e2e.conftest import Departments, HubClient

NAME_QUERY = "query($id: ID!, $p: String!) { citizen(id: $id, purpose: $p) { identity { name } } }"


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.mark.parametrize(
    ("bad_id", "reason"),
    [
        ("12345", "not a resident ID"),
        ("99010119900101123X", "not a region code"),
        ("110101199013011230", "not a date of birth"),
        ("110101199001011230", "check digit"),
    ],
)
async def test_malformed_id_is_invalid_id_and_the_other_citizen_answers(
    hub: HubClient, departments: Departments, bad_id: str, reason: str
) -> None:
    query = """query($bad: ID!, $good: ID!) {
      bad: citizen(id: $bad, purpose: "CITIZEN_PROFILE") { identity { name } }
      good: citizen(id: $good, purpose: "CITIZEN_PROFILE") { identity { name } } }"""

    status, body = await hub.post(query, {"bad": bad_id, "good": departments.samples["ordinary"]})

    assert status == 200
    assert body["data"]["bad"] is None
    assert body["data"]["good"]["identity"]["name"]
    (error,) = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["bad"], "INVALID_ID")
    assert reason in error["message"]


async def test_malformed_id_in_a_batch_fails_only_its_own_entry(
    hub: HubClient, departments: Departments
) -> None:
    ids = [departments.samples["ordinary"], "not-an-id", departments.samples["deceased"]]

    status, body = await hub.post(
        'query($ids: [ID!]!) { citizens(ids: $ids, purpose: "CITIZEN_PROFILE") { id } }',
        {"ids": ids},
    )

    assert status == 200
    answered = body["data"]["citizens"]
    assert [c and c["id"] for c in answered] == [ids[0], None, ids[2]]
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["citizens", 1], "INVALID_ID")
    ]


async def test_valid_id_nobody_holds_is_not_found_per_domain(hub: HubClient) -> None:
    unknown = "11010119000101001"
    unknown += check_digit(unknown)

    _, body = await hub.post(
        'query($id: ID!) { citizen(id: $id, purpose: "LOW_INCOME_REVIEW") '
        "{ id identity { name } household { size } } }",
        {"id": unknown},
    )

    assert body["data"]["citizen"] == {"id": unknown, "identity": None, "household": None}
    assert sorted(_codes(body)) == ["NOT_FOUND", "NOT_FOUND"]


@pytest.mark.parametrize(
    ("role", "purpose", "code"),
    [
        ("portal", "CURIOSITY", "PURPOSE_UNKNOWN"),
        ("auditor", "CITIZEN_PROFILE", "PURPOSE_NOT_ALLOWED"),
        ("department", "LOW_INCOME_REVIEW", "PURPOSE_NOT_ALLOWED"),
    ],
)
async def test_purpose_must_be_known_and_allowed_for_the_role(
    hub: HubClient, departments: Departments, role: str, purpose: str, code: str
) -> None:
    before = await departments.batches("police")

    _, body = await hub.post(
        NAME_QUERY, {"id": departments.samples["ordinary"], "p": purpose}, role=role
    )

    assert body["data"] == {"citizen": None}
    assert _codes(body) == [code]
    assert await departments.batches("police") == before, "a refused query asked a department"


async def test_more_than_a_thousand_ids_is_batch_too_large(
    hub: HubClient, departments: Departments
) -> None:
    ids = [person.id for person in departments.population.people[:1_001]]

    _, body = await hub.post(
        'query($ids: [ID!]!) { citizens(ids: $ids, purpose: "CITIZEN_PROFILE") { id } }',
        {"ids": ids},
    )

    assert body["data"] is None
    assert _codes(body) == ["BATCH_TOO_LARGE"]


async def test_deeply_nested_query_is_refused_before_execution(hub: HubClient) -> None:
    deep = '{ citizen(id: "1", purpose: "P") { a { b { c { d { e { f { g { h } } } } } } } } }'

    status, body = await hub.post(deep)

    assert status == 200
    assert "data" not in body
    assert "QUERY_TOO_DEEP" in _codes(body)


async def test_introspection_nested_past_its_own_limit_is_refused(hub: HubClient) -> None:
    deep = "{ __schema { types { fields { type " + "{ ofType " * 17 + "{ name" + " }" * 22

    _, body = await hub.post(deep)

    assert "data" not in body
    assert _codes(body) == ["QUERY_TOO_DEEP"]


async def test_graphiqls_introspection_query_is_answered(hub: HubClient) -> None:
    """The standard introspection query is 15 levels deep: past the data limit, and still what
    GraphiQL's documentation pane and completion are built from."""
    _, body = await hub.post(get_introspection_query(descriptions=True))

    assert "errors" not in body
    assert build_client_schema(body["data"]).get_type("Citizen") is not None


async def test_query_with_too_many_tokens_is_query_too_large(hub: HubClient) -> None:
    huge = "{ " + " ".join(f"a{i}: __typename" for i in range(3_000)) + " }"

    _, body = await hub.post(huge)

    assert _codes(body) == ["QUERY_TOO_LARGE"]


async def test_oversized_body_is_refused_with_413(hub: HubClient) -> None:
    status, body = await hub.post("{ __typename }", {"padding": "x" * 70_000})

    assert status == 413
    assert _codes(body) == ["QUERY_TOO_LARGE"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ citizen(id: ", "GRAPHQL_PARSE_FAILED"),
        ("{ nonsense }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_broken_query_text_has_a_code(hub: HubClient, query: str, code: str) -> None:
    status, body = await hub.post(query)

    assert status == 200
    assert _codes(body) == [code]


async def test_body_that_is_not_json_is_bad_request(hub: HubClient) -> None:
    headers = {"Authorization": f"Bearer {hub.keys['portal']}"}
    async with hub.session.post(f"{hub.url}/graphql", data=b"{nope", headers=headers) as answer:
        body = await answer.json()

    assert answer.status == 400
    assert _codes(body) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic dXNlcjpwYXNz", "Bearer nonsense", "Bearer tb_portal_" + "A" * 32],
)
async def test_missing_malformed_or_unknown_key_is_unauthenticated(
    hub: HubClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    payload = {"query": "{ __typename }"}
    async with hub.session.post(f"{hub.url}/graphql", json=payload, headers=headers) as answer:
        body = await answer.json()

    assert answer.status == 401
    assert _codes(body) == ["UNAUTHENTICATED"]
