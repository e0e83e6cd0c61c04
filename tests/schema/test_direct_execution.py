"""A profile query executed directly answers exactly what graphql-core answers, with the root
resolved once and given the same arguments, for any variables, any value or error the root gives,
and any selection, request after request of one compiled document; the documents it cannot be
sure of go to graphql-core whole."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from typing import Any

import pytest
import strawberry
from graphql import ExecutionResult, GraphQLError, execute, parse
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.schema.config import StrawberryConfig

from bench.queries import S1_QUERY, S2_QUERY
from connectors.http_client import HttpClient
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import build_registry
from hub.errors import InvalidId
from hub.runtime import LiveSchema
from policies.policy import load_policy
from schema.direct_execution import DirectQuery, execute_document
from schema.direct_roots import resolve_directly
from schema.plain_fields import PlainFieldExecutor, is_awaitable


@dataclass(frozen=True)
class _Pending:
    """A root's answer that is itself awaitable: a future holding ``value``."""

    value: Any


@dataclass
class _Answers:
    """What the roots give (a value, an exception to raise, or a future), and the calls they
    took. A root then appends to the lists it was given, as a careless resolver might: the next
    request must not see it."""

    given: Any
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def answer(self, root: str, **arguments: Any) -> Any:
        self.calls.append((root, copy.deepcopy(arguments)))
        for value in arguments.values():
            if isinstance(value, list):
                value.append("appended by the resolver")
        if isinstance(self.given, Exception):
            raise self.given
        if isinstance(self.given, _Pending):
            future = asyncio.get_running_loop().create_future()
            future.set_result(self.given.value)
            return future
        return self.given


@strawberry.type
class Domain:
    size: int
    label: str | None


@strawberry.type
class Profile:
    identity: Domain | None
    name: str | None


class _Roots:
    async def citizen(
        self, info: strawberry.Info[_Answers, None], id: strawberry.ID, purpose: str
    ) -> Profile | None:
        return info.context.answer("citizen", id=id, purpose=purpose)  # type: ignore[no-any-return]

    async def citizens(
        self, info: strawberry.Info[_Answers, None], ids: list[strawberry.ID], purpose: str
    ) -> list[Profile | None]:
        return info.context.answer("citizens", ids=ids, purpose=purpose)  # type: ignore[no-any-return]

    def strict(self, info: strawberry.Info[_Answers, None], id: strawberry.ID) -> Profile:
        return info.context.answer("strict", id=id)  # type: ignore[no-any-return]

    async def some(
        self, info: strawberry.Info[_Answers, None], ids: list[strawberry.ID | None]
    ) -> Profile | None:
        return info.context.answer("some", ids=ids)  # type: ignore[no-any-return]


def _schema() -> strawberry.Schema:
    roots = _Roots()
    query = strawberry.type(
        type(
            "Query",
            (),
            {
                "__annotations__": {},
                "citizen": strawberry.field(resolver=roots.citizen),
                "citizens": strawberry.field(resolver=roots.citizens),
                "strict": strawberry.field(resolver=roots.strict),
                "some": strawberry.field(resolver=roots.some),
                "other": strawberry.field(resolver=roots.citizen),
            },
        )
    )
    schema = strawberry.Schema(query, config=StrawberryConfig(default_resolver=dict.get))
    resolve_directly(schema, ("citizen", "citizens", "strict", "some"))
    return schema


SCHEMA = _schema()._schema

_SELECTION = "identity { size label } name"
_DOCUMENTS = (
    f'query($id: ID!) {{ citizen(id: $id, purpose: "P") {{ {_SELECTION} }} }}',
    f"query($id: ID!, $p: String!) {{ who: citizen(id: $id, purpose: $p) {{ {_SELECTION} }} }}",
    f'query Named($ids: [ID!]!) {{ citizens(ids: $ids, purpose: "P") {{ {_SELECTION} }} }}',
    f'{{ citizens(ids: ["a", "b"], purpose: "P") {{ name __typename {_SELECTION} }} }}',
    "query($id: ID!) { strict(id: $id) { ... on Profile { name } identity { size } } }",
    'query($id: ID!) { citizen(id: $id, purpose: "P") { n: name name } }',
    '{ some(ids: "a") { name } }',
)
_NOT_DIRECT = (
    'query($id: ID!) { citizen(id: $id, purpose: "P") { ...F } } fragment F on Profile { name }',
    'query($id: ID!, $s: Boolean!) { citizen(id: $id, purpose: "P") { name @skip(if: $s) } }',
    f'query($id: ID!) @deprecated {{ citizen(id: $id, purpose: "P") {{ {_SELECTION} }} }}',
    'query($id: ID!) { citizen(id: $id, purpose: "P") @include(if: true) { name } }',
    'query($id: ID!) { a: citizen(id: $id, purpose: "P") { name } b: strict(id: $id) { name } }',
    f'query($id: ID!) {{ other(id: $id, purpose: "P") {{ {_SELECTION} }} }}',
    f'query($id: ID! = "x") {{ citizen(id: $id, purpose: "P") {{ {_SELECTION} }} }}',
    'query($id: ID) { strict(id: "a") { name } citizen(id: "b", purpose: "P") { name } }',
    'query($id: ID) { some(ids: [$id, "b"]) { name } }',
    '{ some(ids: ["a", null]) { name } }',
)

_domain = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "size": st.one_of(st.integers(0, 9), st.none(), st.just("big")),
            "label": st.one_of(st.text(max_size=3), st.none()),
        }
    ),
    st.builds(GraphQLError, st.just("withheld"), extensions=st.just({"code": "FORBIDDEN"})),
)
_profile = st.one_of(
    st.fixed_dictionaries({"identity": _domain, "name": st.one_of(st.text(max_size=3), st.none())}),
    st.none(),
    st.just(InvalidId("not a resident ID")),
)
_given = st.one_of(
    _profile,
    st.lists(_profile, max_size=3),
    st.builds(_Pending, st.one_of(_profile, st.lists(_profile, max_size=2))),
    st.just(InvalidId("raised")),
    st.just(ValueError("a bug")),
)
_input = st.one_of(
    st.text(max_size=3),
    st.integers(),
    st.none(),
    st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=2),
)
_variables = st.one_of(
    st.none(),
    st.fixed_dictionaries({}, optional={"id": _input, "ids": _input, "p": _input, "extra": _input}),
)


_COMPILED = {
    text: (parse(text), DirectQuery.compile(SCHEMA, parse(text)))
    for text in _DOCUMENTS + _NOT_DIRECT
}
"""Each document compiled once, as the hub's document cache does: requests share it."""


@settings(max_examples=800, deadline=None)
@given(
    text=st.sampled_from(_DOCUMENTS + _NOT_DIRECT),
    given_=_given,
    variables=_variables,
    operation=st.sampled_from([None, "Named", "Other"]),
)
async def test_direct_execution_answers_as_graphql_core_does(
    text: str, given_: Any, variables: dict[str, Any] | None, operation: str | None
) -> None:
    document, direct = _COMPILED[text]
    theirs, ours = _Answers(given_), _Answers(given_)

    expected = execute(
        SCHEMA,
        document,
        context_value=theirs,
        variable_values=variables,
        operation_name=operation,
        executor_class=PlainFieldExecutor,
        is_awaitable=is_awaitable,
    )
    if not isinstance(expected, ExecutionResult):
        expected = await expected
    result = await execute_document(SCHEMA, document, direct, ours, variables, operation)

    assert result.formatted == expected.formatted
    assert ours.calls == theirs.calls


@pytest.mark.parametrize("text", _DOCUMENTS)
def test_a_one_field_query_without_fragments_or_directives_compiles(text: str) -> None:
    assert DirectQuery.compile(SCHEMA, parse(text)) is not None


@pytest.mark.parametrize("text", _NOT_DIRECT)
def test_fragments_directives_other_roots_and_defaults_go_to_graphql_core(text: str) -> None:
    assert DirectQuery.compile(SCHEMA, parse(text)) is None


async def test_a_profile_answered_directly_never_reaches_graphql_core() -> None:
    direct = DirectQuery.compile(SCHEMA, parse(_DOCUMENTS[1]))
    assert direct is not None
    answers = _Answers({"identity": {"size": 3, "label": None}, "name": "张伟"})
    bound = direct.bind({"id": "110101199003074518", "p": "P"}, None)
    assert bound is not None

    data = direct.complete(await direct.resolve(bound, answers))

    assert data == {"who": {"identity": {"size": 3, "label": None}, "name": "张伟"}}
    assert answers.calls == [("citizen", {"id": "110101199003074518", "purpose": "P"})]


@pytest.mark.parametrize(
    "variables",
    [None, {}, {"id": 7, "p": "P"}, {"id": "a", "p": None}, {"id": ["a"], "p": "P"}],
    ids=["none", "missing", "an int for an ID", "a null", "a list for an ID"],
)
def test_variables_graphql_core_would_coerce_or_refuse_are_left_to_it(
    variables: dict[str, Any] | None,
) -> None:
    direct = DirectQuery.compile(SCHEMA, parse(_DOCUMENTS[1]))
    assert direct is not None

    assert direct.bind(variables, None) is None


async def test_the_hubs_own_profile_queries_are_executed_directly() -> None:
    manifests = [load_manifest_file(path) for path in sorted(BUILTIN_MANIFESTS.glob("*.yaml"))]
    async with HttpClient() as client:
        live = LiveSchema.compose(build_registry(manifests, client), load_policy())

    for text in (S1_QUERY, S2_QUERY):
        assert live.documents.prepare(text).direct is not None, text
