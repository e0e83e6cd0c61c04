"""Completing a whole profile in one pass, with a plan compiled once per selection.

``schema.plain_fields`` skips graphql-core's per-field resolver machinery, yet each object still
cost a sub-field collection and a walk of the completion steps per field: some 190 µs for S1's six
domains on a slow host. A selection that cannot depend on the request (no directive anywhere in
it, no argument, every field read from a dict by the default resolver, no abstract type) is the
same on every request, so it is compiled once into a plan of keys and coercions, and a value is
completed by walking the plan. Anything the plan does not expect (an error in place of a value, a
null where the schema forbids one, a value a scalar refuses, something awaitable) abandons the
plan for that object, and graphql-core completes it from scratch: completion has no side effects,
so the answer and its errors are exactly graphql-core's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    SelectionSetNode,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails

from schema.identity_cache import IdentityCache

Complete = Callable[[Any], Any]
"""Completes one value under a plan, or raises ``Abandon``."""
Collect = Callable[[GraphQLObjectType, FieldDetailsList], Mapping[str, FieldDetailsList]]
"""The executor's sub-field collection: response key → the field details grouped under it."""
DictKey = Callable[[GraphQLField], str | None]
IsAwaitable = Callable[[Any], bool]

PLANS_KEPT = 1024


class Abandon(Exception):
    """The value is not what the plan was compiled for."""


class SelectionPlans:
    """Compiled plans by object type and field nodes, kept by their identity."""

    def __init__(self, dict_key: DictKey, is_awaitable: IsAwaitable) -> None:
        self._dict_key = dict_key
        self._is_awaitable = is_awaitable
        self._plans: IdentityCache[Complete | None] = IdentityCache(PLANS_KEPT)

    def plan(
        self,
        object_type: GraphQLObjectType,
        details: FieldDetailsList,
        fragments: Mapping[str, FragmentDetails],
        collect: Collect,
    ) -> Complete | None:
        """The plan for ``object_type`` selected by the field ``details`` (graphql-core's field
        group), or None if it cannot have one."""
        selected = (object_type, *(detail.node for detail in details))
        found = self._plans.find(selected)
        if found is not None:
            return found[0]
        plan = None
        if not _depends_on_request(details, fragments):
            plan = self._object(object_type, details, collect)
        self._plans.keep(selected, plan)
        return plan

    def field(
        self,
        of: GraphQLOutputType,
        details: FieldDetailsList,
        fragments: Mapping[str, FragmentDetails],
        collect: Collect,
    ) -> Complete | None:
        """A plan for a whole field's value of type ``of`` (lists and non-null included), not
        kept here: its caller keeps it."""
        return None if _depends_on_request(details, fragments) else self._type(of, details, collect)

    def _object(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, collect: Collect
    ) -> Complete | None:
        if object_type.is_type_of is not None:
            return None
        entries: list[tuple[str, str | None, Complete]] = []
        for response_key, group in collect(object_type, details).items():
            node: FieldNode = group[0].node
            name = node.name.value
            if name == "__typename":
                entries.append((response_key, None, _constant(object_type.name)))
                continue
            field = object_type.fields.get(name)
            dict_key = None if field is None or node.arguments else self._dict_key(field)
            complete = None if dict_key is None else self._type(field.type, group, collect)
            if dict_key is None or complete is None:
                return None
            entries.append((response_key, dict_key, complete))
        return _object_completion(entries)

    def _type(
        self, of: GraphQLOutputType, details: FieldDetailsList, collect: Collect
    ) -> Complete | None:
        if isinstance(of, GraphQLNonNull):
            inner = self._type(of.of_type, details, collect)
            return None if inner is None else _non_null(inner)
        if isinstance(of, GraphQLList):
            inner = self._type(of.of_type, details, collect)
            return None if inner is None else _shaped(list, _items(inner))
        if isinstance(of, GraphQLObjectType):
            inner = self._object(of, details, collect)
            return None if inner is None else _shaped(dict, inner)
        if isinstance(of, GraphQLLeafType):
            return _leaf(of, self._is_awaitable)
        return None  # an interface or a union: its runtime type is the resolver's business


def _object_completion(entries: list[tuple[str, str | None, Complete]]) -> Complete:
    def complete(value: Any) -> dict[str, Any]:
        return {
            response_key: complete_field(None if key is None else value.get(key))
            for response_key, key, complete_field in entries
        }

    return complete


def _shaped(shape: type, complete: Complete) -> Complete:
    """A nullable value that must be a ``shape`` (a dict, a list) to be ``complete``d."""

    def nullable(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is not shape:
            raise Abandon
        return complete(value)

    return nullable


def _items(complete: Complete) -> Complete:
    return lambda items: [complete(item) for item in items]


def _non_null(complete: Complete) -> Complete:
    def non_null(value: Any) -> Any:
        completed = complete(value)
        if completed is None:
            raise Abandon
        return completed

    return non_null


_PLAIN = frozenset({str, int, float, bool})


def _leaf(leaf: GraphQLLeafType, is_awaitable: IsAwaitable) -> Complete:
    coerce = leaf.coerce_output_value

    def complete(value: Any) -> Any:
        if value is None:
            return None
        if type(value) not in _PLAIN and (isinstance(value, Exception) or is_awaitable(value)):
            raise Abandon
        try:
            coerced = coerce(value)
        except Exception as refused:
            raise Abandon from refused
        if coerced is None or coerced is Undefined:
            raise Abandon
        return coerced

    return complete


def _constant(value: str) -> Complete:
    return lambda _: value


def _depends_on_request(
    details: FieldDetailsList, fragments: Mapping[str, FragmentDetails]
) -> bool:
    """Whether the fields collected under ``details`` could differ from one request to the
    next: fragment variables bound to them, or a directive anywhere below."""
    return any(
        detail.fragment_variable_values
        or _has_directives(detail.node.selection_set, fragments, set())
        for detail in details
    )


def _has_directives(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDetails],
    spread: set[str],
) -> bool:
    """Whether anything under ``selection_set`` (through fragments) depends on the request: a
    directive (``@skip``, ``@include``, ``@defer``) or a fragment taking variables."""
    if selection_set is None:
        return False
    selections: Iterable[Any] = selection_set.selections
    for selection in selections:
        if selection.directives:
            return True
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if name in spread or fragment is None:
                continue
            spread.add(name)
            if fragment.variable_signatures or fragment.definition.directives:
                return True
            below = fragment.definition.selection_set
        else:
            below = selection.selection_set
        if _has_directives(below, fragments, spread):
            return True
    return False
