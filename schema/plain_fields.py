"""Executing the leaves of assembled profiles without graphql-core's per-field machinery.

Profiles are plain dicts (``schema.assembly``), and their leaves are Strawberry fields with no
resolver, read with ``dict.get``. graphql-core still builds a resolve-info object, calls
Strawberry's wrapper, which calls ``dict.get``, and walks ``complete_value``'s type tests for
each of them: at 1,000 profiles that is 12,000 leaves and 6,000 domain objects, the largest share
of the query's time. For a field with no resolver and no arguments, on a dict, whose type is a
scalar, an enum or an object type (not a list, not abstract), ``PlainFieldExecutor`` reads the
key and completes it itself, with graphql-core's own coercion, sub-selection, error location and
null propagation; every other field goes through graphql-core unchanged.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from types import CoroutineType
from typing import Any, ParamSpec, TypeGuard, TypeVar, cast

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution.executor import Executor
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from schema.compiled_selections import Abandon, SelectionPlans

P = ParamSpec("P")
R = TypeVar("R")

_NOT_AWAITABLE = frozenset({dict, list, str, int, float, bool, type(None)})
_NO_VALUE = object()
_KEY = "tongban.plain_key"


def is_awaitable(value: Any) -> TypeGuard[Any]:
    """graphql-core's test, with the values profiles are made of answered first."""
    if type(value) in _NOT_AWAITABLE:
        return False
    return isinstance(value, CoroutineType) or hasattr(value, "__await__")


class PlainFieldExecutor(Executor[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """graphql-core's resolver helpers hold two methods bound to the executor: a cycle that
        made every request's executor, with all it reaches (the collected fields, the context),
        garbage only the cyclic collector could free, some 85 objects a request, and a
        collection every few requests. Referenced weakly, they leave no cycle."""
        super().__init__(*args, **kwargs)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_weakly(self.gather_async_work), track=_weakly(self.track_async_work)
        )

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
        value = source.get(key) if key is not None and type(source) is dict else _NO_VALUE
        if value is _NO_VALUE or self.middleware_manager or self.is_awaitable(value):
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        assert field_def is not None  # a key is only found on a field
        return_type = field_def.type
        try:
            completed = self._complete(
                parent_type, return_type, field_details_list, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return self._awaited(completed, return_type, field_details_list, path)
        return completed

    def _complete(
        self,
        parent_type: GraphQLObjectType,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
        value: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        """``complete_value``'s steps for a leaf or an object with no ``is_type_of``."""
        if isinstance(value, Exception):
            raise value
        if value is None:
            if isinstance(return_type, GraphQLNonNull):
                field = f"{parent_type}.{field_details_list[0].node.name.value}"
                raise TypeError(f"Cannot return null for non-nullable field {field}.")
            return None
        nullable = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if isinstance(nullable, GraphQLObjectType):
            planned = self._planned(nullable, field_details_list, value)
            if planned is not _NO_VALUE:
                return planned
            return self.collect_and_execute_subfields(
                nullable, field_details_list, path, value, position_context
            )
        return self.complete_leaf_value(cast(GraphQLLeafType, nullable), value)

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """What a resolver returned (a profile, each of a list of profiles), by its plan."""
        planned = self._planned(return_type, field_details_list, result)
        if planned is not _NO_VALUE:
            return cast(dict[str, Any], planned)
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _planned(self, object_type: GraphQLObjectType, field_details_list: Any, value: Any) -> Any:
        """``value`` completed by its selection's compiled plan, or ``_NO_VALUE``."""
        if type(value) is not dict or self.middleware_manager:
            return _NO_VALUE
        plan = PLANS.plan(object_type, field_details_list, self.fragments, self._grouped)
        if plan is None:
            return _NO_VALUE
        try:
            return plan(value)
        except Abandon:
            return _NO_VALUE

    def _grouped(self, object_type: GraphQLObjectType, field_details_list: Any) -> Any:
        return self.collect_subfields(object_type, field_details_list).grouped_field_set

    async def _awaited(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


def _weakly(method: Callable[P, R]) -> Callable[P, R]:
    """``method``, called through a weak reference to its object, alive while it is in use."""
    reference = weakref.WeakMethod(method)

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        bound = reference()
        if bound is None:
            raise RuntimeError("the execution these helpers served has ended")
        return bound(*args, **kwargs)

    return call


def _plain_key(field_def: GraphQLField) -> str | None:
    """The dict key a field with no resolver reads, if it is a scalar, an enum or an object
    type with no ``is_type_of``; else None. Worked out once per field, kept in its extensions."""
    extensions = field_def.extensions
    if _KEY in extensions:
        key: str | None = extensions[_KEY]
        return key
    extensions[_KEY] = key = _key_of(field_def)
    return key


def _key_of(field_def: GraphQLField) -> str | None:
    nullable = get_nullable_type(field_def.type)
    if not (
        is_leaf_type(nullable)
        or (isinstance(nullable, GraphQLObjectType) and nullable.is_type_of is None)
    ):
        return None
    return dict_key(field_def)


def dict_key(field_def: GraphQLField) -> str | None:
    """The key a field's default resolver reads from a dict, or None if it has a resolver."""
    if not getattr(field_def.resolve, "_is_default", False):
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return None
    return definition.python_name


PLANS = SelectionPlans(dict_key, is_awaitable)
