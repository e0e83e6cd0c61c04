"""Executing a one-field profile query past graphql-core's set-up, where that changes nothing.

graphql-core builds an executor for each request: it coerces the variables, collects the root
fields, coerces their arguments and builds an Info, some 130 µs of S1 at concurrency 1 on this
host before the resolver starts. A document that is one query of one directly resolved root
field (``citizen``, ``citizens``; ``schema.direct_roots``), with no fragment and no directive,
taking variables that are strings or lists of strings and literals of the same kinds, does all
of that alike on every request: here it is worked out once per document, and a request only has
its variables checked (and its list literals copied, as graphql-core gives each request a list
of its own). The value resolved is then completed by the selection's compiled plan
(``schema.compiled_selections``).

Wherever the direct path could answer other than graphql-core would (a variable of another
kind, an operation name that does not match, an error raised or in place of a profile, a value
its plan does not expect), graphql-core executes the document after all, with the root's
outcome as the root value (``Resolved``): the resolver never runs twice, and the answer is
graphql-core's own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLField,
    GraphQLID,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    GraphQLString,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    execute,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import VariableValues, VariableValueSource
from graphql.pyutils import Path, gather_with_cancel
from graphql.utilities.coerce_input_value import coerce_input_literal

from schema.compiled_selections import Abandon, Complete
from schema.direct_roots import Resolved, is_direct
from schema.plain_fields import PLANS, PlainFieldExecutor, is_awaitable

_AS_GIVEN = (GraphQLID, GraphQLString)
"""Scalars whose input coercion hands a string back unchanged."""
_NO_VARIABLES = VariableValues({}, {})
"""What the compiled selection is collected under: it has no directive, so none are read."""


async def execute_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    direct: DirectQuery | None,
    context: Any,
    variables: dict[str, Any] | None,
    operation: str | None,
) -> ExecutionResult:
    """``document``'s result: directly where ``direct`` can give it, else graphql-core's, on
    the root ``direct`` resolved if it did."""
    root_value = None
    bound = None if direct is None else direct.bind(variables, operation)
    if bound is not None:
        root_value = await bound.query.resolve(bound, context)
        data = bound.query.complete(root_value)
        if data is not None:
            return ExecutionResult(data)
    result = execute(
        schema,
        document,
        root_value=root_value,
        context_value=context,
        variable_values=variables,
        operation_name=operation,
        executor_class=PlainFieldExecutor,
        is_awaitable=is_awaitable,
    )
    return result if isinstance(result, ExecutionResult) else await result


@dataclass(frozen=True, slots=True)
class _Variable:
    """A variable the direct path takes as given: ``ID!``/``String!``, or a non-null list of
    them when ``listed``."""

    signature: GraphQLVariableSignature
    listed: bool


@dataclass(frozen=True, slots=True)
class Bound:
    """A request's variables, coerced as graphql-core would, and the root's arguments."""

    query: DirectQuery
    variables: VariableValues
    arguments: dict[str, Any]


class DirectQuery:
    """One document's root field, its arguments and its selection's plan, compiled once."""

    def __init__(
        self,
        schema: GraphQLSchema,
        query_type: GraphQLObjectType,
        operation: OperationDefinitionNode,
        node: FieldNode,
        field: GraphQLField,
        variables: Sequence[_Variable],
        arguments: Mapping[str, Any],
        complete: Complete,
    ) -> None:
        self._schema = schema
        self._query_type = query_type
        self._operation = operation
        self._node = node
        self._field = field
        self._variables = variables
        self._arguments = arguments
        """Argument → its literal's value, or the ``VariableNode`` it takes its value from."""
        self._complete = complete
        self._key = (node.alias or node.name).value

    @classmethod
    def compile(cls, schema: GraphQLSchema, document: DocumentNode) -> DirectQuery | None:
        """The direct execution of a valid ``document``, or None where it has none."""
        query = schema.query_type
        operation = document.definitions[0] if len(document.definitions) == 1 else None
        if (
            query is None
            or not isinstance(operation, OperationDefinitionNode)
            or operation.operation is not OperationType.QUERY
            or operation.directives
            or len(operation.selection_set.selections) != 1
        ):
            return None
        node = operation.selection_set.selections[0]
        field = query.fields.get(node.name.value) if isinstance(node, FieldNode) else None
        if not isinstance(node, FieldNode) or node.directives or field is None:
            return None
        if not is_direct(field):
            return None
        variables: list[_Variable] = []
        for definition in operation.variable_definitions or ():
            variable = _variable(schema, definition)
            if variable is None:
                return None
            variables.append(variable)
        arguments = _arguments(field, node)
        if arguments is None:
            return None
        (details,) = collect_fields(
            schema, {}, _NO_VARIABLES, query, operation
        ).grouped_field_set.values()

        def collect(object_type: GraphQLObjectType, selected: FieldDetailsList) -> GroupedFieldSet:
            return collect_subfields(
                schema, {}, _NO_VARIABLES, operation, object_type, selected
            ).grouped_field_set

        complete = PLANS.field(field.type, details, {}, collect)
        if complete is None:
            return None
        return cls(schema, query, operation, node, field, variables, arguments, complete)

    def bind(self, inputs: Mapping[str, Any] | None, operation_name: str | None) -> Bound | None:
        """The request's variables and arguments, or None if graphql-core must coerce them."""
        own_name = self._operation.name
        if operation_name is not None and (own_name is None or own_name.value != operation_name):
            return None
        sources: dict[str, VariableValueSource] = {}
        coerced: dict[str, Any] = {}
        for variable in self._variables:
            name = variable.signature.name
            given = Undefined if inputs is None else inputs.get(name, Undefined)
            value = _as_given(given, variable.listed)
            if value is Undefined:
                return None
            sources[name] = VariableValueSource(variable.signature, given)
            coerced[name] = value
        arguments = {
            argument: _fresh(value, coerced) for argument, value in self._arguments.items()
        }
        return Bound(self, VariableValues(sources, coerced), arguments)

    async def resolve(self, bound: Bound, context: Any) -> Resolved:
        """What the root resolver returns, or raises, for ``bound``."""
        query = self._query_type
        info: GraphQLResolveInfo[Any] = GraphQLResolveInfo(
            field_name=self._node.name.value,
            field_nodes=[self._node],
            return_type=self._field.type,
            parent_type=query,
            path=Path(None, self._key, query.name),
            schema=self._schema,
            fragments={},
            root_value=None,
            operation=self._operation,
            variable_values=bound.variables,
            context=context,
            is_awaitable=is_awaitable,
            abort_signal=None,
            async_helpers=_HELPERS,
        )
        resolve = self._field.resolve
        assert resolve is not None  # a direct root has its own
        try:
            value = resolve(None, info, **bound.arguments)
            return Resolved(await value if is_awaitable(value) else value)
        except Exception as error:
            return Resolved(error=error)

    def complete(self, resolved: Resolved) -> dict[str, Any] | None:
        """The response's ``data``, or None if graphql-core must complete ``resolved``."""
        if resolved.error is not None:
            return None
        try:
            return {self._key: self._complete(resolved.value)}
        except Abandon:
            return None


def _variable(schema: GraphQLSchema, definition: VariableDefinitionNode) -> _Variable | None:
    """``$x: ID!``, ``$x: String!`` or a non-null list of them, with no default; else None."""
    signature = get_variable_signature(schema, definition)
    if not isinstance(signature, GraphQLVariableSignature) or definition.directives:
        return None
    if signature.default is not None or not isinstance(signature.type, GraphQLNonNull):
        return None
    of = signature.type.of_type
    listed = isinstance(of, GraphQLList)
    if isinstance(of, GraphQLList):
        item = of.of_type
        if not isinstance(item, GraphQLNonNull):
            return None
        of = item.of_type
    return _Variable(signature, listed) if of in _AS_GIVEN else None


def _arguments(field: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
    """Every argument given, each a variable or a literal coerced once; None if one is not."""
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    arguments: dict[str, Any] = {}
    for name, definition in field.args.items():
        value = given.get(name)
        if value is None:
            return None
        if not isinstance(value, VariableNode):
            value = _literal(value, definition.type)
            if value is Undefined:
                return None
        arguments[definition.out_name or name] = value
    return arguments


def _literal(node: ValueNode, of: GraphQLInputType) -> Any:
    """A literal string or list of strings, coerced; else ``Undefined``. A variable inside a
    list literal takes its request's value, so such a literal is left to graphql-core, which
    coerces it per request."""
    if _holds_variable(node):
        return Undefined
    value = coerce_input_literal(node, of)
    return _as_given(value, listed=type(value) is list)


def _holds_variable(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(_holds_variable(item) for item in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_holds_variable(field.value) for field in node.fields)
    return False


def _fresh(value: Any, variables: Mapping[str, Any]) -> Any:
    """An argument's value for one request: its variable's, or a list of its own."""
    if isinstance(value, VariableNode):
        return variables[value.name.value]
    return list(value) if type(value) is list else value


def _as_given(value: Any, listed: bool) -> Any:
    """``value`` as ``ID!``/``String!`` (or a list of them) coerce it, when that leaves it as it
    is; else ``Undefined``."""
    if not listed:
        return value if type(value) is str else Undefined
    if type(value) is list and all(type(item) is str for item in value):
        return list(value)
    return Undefined


_SETTLING: set[asyncio.Future[list[Any]]] = set()
"""Work a root left to settle: referenced until done, as graphql-core's executor does."""


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)


def _track(values: Sequence[Any]) -> None:
    awaitables = [value for value in values if is_awaitable(value)]
    if awaitables:
        settling = asyncio.gather(*awaitables, return_exceptions=True)
        _SETTLING.add(settling)
        settling.add_done_callback(_SETTLING.discard)


_HELPERS = GraphQLResolveInfoHelpers(gather=_gather, track=_track)
"""``info.async_helpers`` as graphql-core's executor gives them, for a root that uses them."""
