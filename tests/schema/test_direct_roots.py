"""Roots graphql-core calls directly: the same method, arguments and Info Strawberry would give,
and a field Strawberry must do more for is refused by name."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import ExecutionResult, execute, parse
from strawberry.extensions.field_extension import FieldExtension

from schema.direct_roots import resolve_directly


class _Echo:
    async def echo(
        self, info: strawberry.Info, subject_id: strawberry.ID, tags: list[str] | None = None
    ) -> str:
        return f"{info.context['who']} {info.field_name} {subject_id} {tags}"


class _Upper(FieldExtension):
    async def resolve_async(
        self, next_: Any, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        return (await next_(source, info, **kwargs)).upper()


@strawberry.input
class _Filter:
    name: str


def _schema(name: str, **field: Any) -> strawberry.Schema:
    namespace = {"__annotations__": {}, name: strawberry.field(**field)}
    return strawberry.Schema(strawberry.type(type("Query", (), namespace)))


def _refused(**field: Any) -> str:
    schema = _schema("odd", **field)
    with pytest.raises(TypeError) as refusal:
        resolve_directly(schema, ["odd"])
    return str(refusal.value)


async def test_a_direct_root_gets_python_named_arguments_and_its_info() -> None:
    schema = _schema("echo", resolver=_Echo().echo)
    resolve_directly(schema, ["echo"])

    result = execute(
        schema._schema,
        parse('{ echo(subjectId: "110101199003074518", tags: ["a"]) }'),
        context_value={"who": "portal"},
    )

    assert not isinstance(result, ExecutionResult)
    answer = await result
    assert answer.errors is None
    assert answer.data == {"echo": "portal echo 110101199003074518 ['a']"}


def test_a_root_with_an_extension_is_refused_by_name() -> None:
    assert "Query.odd" in _refused(resolver=_Echo().echo, extensions=[_Upper()])


def test_a_root_whose_argument_strawberry_must_convert_is_refused_by_name() -> None:
    def odd(info: strawberry.Info, where: _Filter) -> str:
        return where.name

    assert _refused(resolver=odd) == "Query.odd: argument where needs converting"
