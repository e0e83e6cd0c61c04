"""PlainFieldExecutor answers exactly what graphql-core's own executor answers: the same data and
the same errors, at the same paths, for any selection over dicts holding values, nulls, errors
and values a scalar cannot serialise, whether a compiled plan completes it or not."""

from __future__ import annotations

import enum
import gc
import weakref
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
import strawberry
from graphql import ExecutionResult, GraphQLError, execute, parse
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.schema.config import StrawberryConfig

from schema.plain_fields import PlainFieldExecutor, is_awaitable


@strawberry.enum
class Decision(enum.Enum):
    ALLOW = "ALLOW"
    DENY = "DENY"


@strawberry.type
class Member:
    name: str
    age: int | None


@strawberry.type
class Domain:
    size: int
    label: str | None
    wage: float | None
    insured: bool
    decision: Decision | None
    fetched_at: datetime | None
    members: list[Member] | None
    tags: list[str] | None
    owner: Member | None
    boss: Member

    @strawberry.field
    def shout(self) -> str:
        return "computed"


@strawberry.type
class Query:
    domain: Domain | None
    strict: Domain


SCHEMA = strawberry.Schema(Query, config=StrawberryConfig(default_resolver=dict.get))

_LEAVES = {
    "size": st.integers(-(2**31), 2**31 - 1),
    "label": st.text(max_size=5),
    "wage": st.floats(allow_nan=False, allow_infinity=False),
    "insured": st.booleans(),
    "decision": st.sampled_from(["ALLOW", "DENY", Decision.ALLOW]),
    "fetched_at": st.just(datetime(2026, 12, 1, 8, 30, tzinfo=UTC)),
}
_FIELDS = (
    *_LEAVES,
    "members { name age }",
    "tags",
    "shout",
    "__typename",
    "owner { name age __typename }",
    "boss { age name }",
)


def _value(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A good value, a null, an error, or something the scalar must refuse."""
    return st.one_of(
        good,
        st.none(),
        st.builds(GraphQLError, st.just("withheld"), extensions=st.just({"code": "FORBIDDEN"})),
        st.sampled_from(["not a number", 2**40, object()]),
    )


_member = st.fixed_dictionaries(
    {"name": _value(st.text(max_size=3)), "age": _value(st.integers(0, 99))}
)
_domain = st.fixed_dictionaries(
    {field: _value(good) for field, good in _LEAVES.items()}
    | {
        "members": _value(st.lists(_member, max_size=2)),
        "tags": _value(st.just(["a", None])),
        "owner": _value(_member),
        "boss": _value(_member),
    }
)
_selection = st.lists(
    st.tuples(st.sampled_from(_FIELDS), st.sampled_from(["", "alias: ", "other: "])),
    min_size=1,
    max_size=8,
).map(lambda picked: " ".join(f"{alias}{field}" for field, alias in picked))


def _query(root: str, selection: str, directives: bool) -> str:
    """Through fragments; with directives the selection depends on the request, without them
    it is compiled once (``schema.compiled_selections``)."""
    skip, include = ("@skip(if: $skip)", "@include(if: $skip)") if directives else ("", "")
    return (
        f"query($skip: Boolean!) {{ {root} {{ {selection}"
        f" ... on Domain {{ size {skip} }} ...More }} }}"
        f" fragment More on Domain {{ label {include} insured }}"
    )


@settings(max_examples=600, deadline=None)
@given(
    root=st.sampled_from(["domain", "strict"]),
    selection=_selection,
    source=_domain,
    skip=st.booleans(),
    directives=st.booleans(),
)
def test_plain_fields_answer_as_graphql_core_does(
    root: str, selection: str, source: dict[str, Any], skip: bool, directives: bool
) -> None:
    document = parse(_query(root, selection, directives))
    schema = SCHEMA._schema
    arguments: dict[str, Any] = {
        "root_value": {root: source},
        "variable_values": {"skip": skip},
    }

    theirs = execute(schema, document, **arguments)
    ours = execute(
        schema, document, executor_class=PlainFieldExecutor, is_awaitable=is_awaitable, **arguments
    )

    assert isinstance(theirs, ExecutionResult)
    assert isinstance(ours, ExecutionResult)
    assert ours.data == theirs.data
    assert [e.formatted for e in ours.errors or []] == [e.formatted for e in theirs.errors or []]


def test_a_plain_field_is_read_without_its_resolver_and_an_error_lands_at_its_path() -> None:
    source = {"size": 3, "label": GraphQLError("withheld", extensions={"code": "FORBIDDEN"})}
    document = parse("{ domain { size label shout } }")

    result = execute(
        SCHEMA._schema,
        document,
        root_value={"domain": source},
        executor_class=PlainFieldExecutor,
        is_awaitable=is_awaitable,
    )

    assert isinstance(result, ExecutionResult)
    assert result.data == {"domain": {"size": 3, "label": None, "shout": "computed"}}
    assert [(e.message, e.path) for e in result.errors or []] == [("withheld", ["domain", "label"])]


class _FieldsExecuted(PlainFieldExecutor):
    executed: ClassVar[list[str]] = []

    def execute_field(self, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        self.executed.append(f"{parent_type}.{details[0].node.name.value}")
        return super().execute_field(parent_type, source, details, *rest)


@pytest.mark.parametrize(
    ("selection", "executed"),
    [
        ("{ domain { size tags owner { name } } }", ["Query.domain"]),
        ("{ domain { size @skip(if: false) } }", ["Query.domain", "Domain.size"]),
        ("{ domain { size shout } }", ["Query.domain", "Domain.size", "Domain.shout"]),
    ],
    ids=["planned", "a directive", "a resolver"],
)
def test_a_selection_the_request_cannot_change_is_completed_by_its_plan(
    selection: str, executed: list[str]
) -> None:
    source = {"size": 3, "tags": ["a"], "owner": {"name": "x", "age": 1}}
    _FieldsExecuted.executed = []

    result = execute(
        SCHEMA._schema,
        parse(selection),
        root_value={"domain": source},
        executor_class=_FieldsExecuted,
        is_awaitable=is_awaitable,
    )

    assert isinstance(result, ExecutionResult)
    assert result.errors is None
    assert result.data is not None
    assert result.data["domain"]["size"] == 3
    assert _FieldsExecuted.executed == executed


@pytest.mark.parametrize("awaited", [False, True], ids=["sync", "async"])
async def test_an_execution_is_freed_by_reference_counting_alone(awaited: bool) -> None:
    executors: list[weakref.ref[PlainFieldExecutor]] = []

    class Watched(PlainFieldExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            executors.append(weakref.ref(self))

    async def later() -> dict[str, Any]:
        return {"size": 3}

    gc.collect()
    gc.disable()  # whatever is freed now was freed without the cyclic collector
    try:
        result = execute(
            SCHEMA._schema,
            parse("{ domain { size } }"),
            root_value={"domain": later() if awaited else {"size": 3}},
            executor_class=Watched,
            is_awaitable=is_awaitable,
        )
        if not isinstance(result, ExecutionResult):
            result = await result
        assert result.data == {"domain": {"size": 3}}
        del result
        assert executors[0]() is None
    finally:
        gc.enable()
