"""The profile roots called by graphql-core directly, past Strawberry's resolver wrapper.

Strawberry wraps every resolver: it converts each argument to its Python type, builds its Info,
runs the field's extensions and permissions and awaits through helpers of its own. For
``citizen`` and ``citizens`` none of that does anything (their arguments are IDs and strings,
which graphql-core has already coerced, and they carry no extension or permission), yet at
concurrency 1 it took some 50–120 µs of a profile on a slow host. The Strawberry field stays what
the schema is built from (name, type, arguments, descriptions); graphql-core calls the same
method with the same kind of Info. A root value of ``Resolved`` is a root already resolved
(``schema.direct_execution``): the method is not called again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import strawberry
from graphql import GraphQLField, GraphQLFieldResolver, GraphQLResolveInfo
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info

from schema.plain_fields import is_awaitable

_AS_GRAPHQL_CORE_GIVES_THEM = (str, strawberry.ID)
_DIRECT = "tongban.direct_root"


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a root's method returned, or raised."""

    value: Any = None
    error: Exception | None = None

    def outcome(self) -> Any:
        """The resolver's answer again, for graphql-core to complete. graphql-core awaits once
        what a resolver returns, and that await was made: a value that is itself awaitable is
        handed back inside an awaitable, so that it is awaited no more than it would have been.
        """
        if self.error is not None:
            raise self.error
        if is_awaitable(self.value):
            return _already(self.value)
        return self.value


async def _already(value: Any) -> Any:
    return value


def resolve_directly(schema: strawberry.Schema, fields: Iterable[str]) -> None:
    """Query ``fields`` resolved by their methods alone. Refuses, naming the field, one for
    which Strawberry does more than call the method."""
    query = schema._schema.query_type
    if query is None:
        raise TypeError("the schema has no Query type")
    for name in fields:
        field = query.fields[name]
        definition = field.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
        field.resolve = _direct(definition, schema.config.name_converter)
        field.extensions = {**field.extensions, _DIRECT: True}


def is_direct(field: GraphQLField) -> bool:
    """Whether ``field`` was made a direct root by ``resolve_directly``."""
    return bool(field.extensions.get(_DIRECT))


def _direct(definition: StrawberryField, names: NameConverter) -> GraphQLFieldResolver:
    resolver = definition.base_resolver
    field = definition.python_name
    if resolver is None or resolver.info_parameter is None:
        raise TypeError(f"Query.{field}: no resolver taking an Info to call")
    if definition.extensions or definition.permission_classes:
        raise TypeError(f"Query.{field}: Strawberry runs its extensions or permissions")
    python_names = {}
    for argument in definition.arguments:
        if not _coerced_alike(argument.type):
            raise TypeError(f"Query.{field}: argument {argument.python_name} needs converting")
        python_names[names.from_argument(argument)] = argument.python_name
    method = cast(Callable[..., Any], resolver.wrapped_func)  # a bound method or a function
    info_parameter = resolver.info_parameter.name

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        if type(source) is Resolved:
            return source.outcome()
        given = {python_names[name]: value for name, value in arguments.items()}
        given[info_parameter] = Info(_raw_info=info, _field=definition)
        return method(**given)

    return resolve


def _coerced_alike(annotation: object) -> bool:
    """Whether graphql-core's coerced value is the value Strawberry would pass: a string, an
    ID (a string at run time), or a list or an optional of those."""
    if isinstance(annotation, StrawberryList | StrawberryOptional):
        return _coerced_alike(annotation.of_type)
    return annotation in _AS_GRAPHQL_CORE_GIVES_THEM
