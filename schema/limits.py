"""Limits on the size and depth of a query, with stable codes.

The schema is shallow by design (``citizen → household → members → name`` is four levels), so
anything much deeper is a mistake or an attack; bounding tokens bounds the parser's work before a
single rule runs. Introspection is measured apart: the standard introspection query (GraphiQL's)
nests ``ofType`` to unwrap list and non-null types and is 15 levels deep, and it reaches the
schema only, never citizen data.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

MAX_TOKENS = 5_000
MAX_QUERY_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_INTROSPECTION_DEPTH = 20
INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})

RootFilter = Callable[[str], bool]
"""Which root fields a measurement counts, by name."""


def depth_limit_rule(
    max_depth: int = MAX_DEPTH, max_introspection_depth: int = MAX_INTROSPECTION_DEPTH
) -> type[ValidationRule]:
    limits: list[tuple[str, RootFilter, int]] = [
        ("query", lambda name: name not in INTROSPECTION_ROOTS, max_depth),
        ("introspection", lambda name: name in INTROSPECTION_ROOTS, max_introspection_depth),
    ]

    class DepthLimit(ValidationRule):
        """Rejects operations nested deeper than ``max_depth`` fields (fragments included), or
        introspection deeper than ``max_introspection_depth``."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            for what, counted, limit in limits:
                depth = _depth(node.selection_set, fragments, frozenset(), counted)
                if depth > limit:
                    self.report_error(
                        GraphQLError(
                            f"{what} is {depth} levels deep; at most {limit} are allowed",
                            node,
                            extensions={"code": "QUERY_TOO_DEEP"},
                        )
                    )

    return DepthLimit


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    visiting: frozenset[str],
    counted: RootFilter | None = None,
) -> int:
    """Fields deep; ``counted`` picks the root fields measured (below the root, all count)."""
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            skipped = counted is not None and not counted(selection.name.value)
            depth = 0 if skipped else 1 + _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments, visiting, counted)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in visiting:
            fragment = fragments.get(selection.name.value)
            inner = None if fragment is None else fragment.selection_set
            depth = _depth(inner, fragments, visiting | {selection.name.value}, counted)
        else:
            depth = 0
        deepest = max(deepest, depth)
    return deepest
