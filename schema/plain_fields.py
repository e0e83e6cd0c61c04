"""Executing the leaves of assembled profiles without graphql-core's per-field machinery.

Profiles are plain dicts (``schema.assembly``), and their leaves are Strawberry fields with no
resolver, read with ``dict.get``. graphql-core still builds a resolve-info object, calls
Strawberry's wrapper, which calls ``dict.get``, and walks ``complete_value``'s type tests for
each of them: at 1,000 profiles that is 12,000 times, the largest share of the query's time. For a
scalar or enum field with no resolver and no arguments, on a dict, ``PlainFieldExecutor`` reads
the key and completes it itself, with graphql-core's own coercion, error location and null
propagation; every other field goes through graphql-core unchanged.
"""

from __future__ import annotations

from types import CoroutineType
from typing import Any, TypeGuard

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution.executor import Executor
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_NOT_AWAITABLE = frozenset({dict, list, str, int, float, bool, type(None)})


def is_awaitable(value: Any) -> TypeGuard[Any]:
    """graphql-core's test, with the values profiles are made of answered first."""
    if type(value) in _NOT_AWAITABLE:
        return False
    return isinstance(value, CoroutineType) or hasattr(value, "__await__")


class PlainFieldExecutor(Executor[Any]):
    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        key = None if field_def is None or node.arguments else _plain_key(field_def)
        if key is None or type(source) is not dict or self.middleware_manager:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        assert field_def is not None  # a key is only found on a field
        value = source.get(key)
        if self.is_awaitable(value):
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        return_type = field_def.type
        try:
            if isinstance(value, Exception):
                raise value
            if value is None:
                if isinstance(return_type, GraphQLNonNull):
                    field = f"{parent_type}.{node.name.value}"
                    raise TypeError(f"Cannot return null for non-nullable field {field}.")
                return None
            leaf: GraphQLLeafType = get_nullable_type(return_type)  # type: ignore[assignment]
            return self.complete_leaf_value(leaf, value)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


def _plain_key(field_def: GraphQLField) -> str | None:
    """The dict key a scalar or enum field with no resolver reads, else None."""
    if not getattr(field_def.resolve, "_is_default", False):
        return None
    if not is_leaf_type(get_nullable_type(field_def.type)):
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return None
    return definition.python_name
