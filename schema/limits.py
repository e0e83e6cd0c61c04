"""Limits on the size and depth of a query, with stable codes.

The schema is shallow by design (``citizen → household → members → name`` is four levels), so
anything much deeper is a mistake or an attack; bounding tokens bounds the parser's work before a
single rule runs.
"""

from __future__ import annotations

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


def depth_limit_rule(max_depth: int = MAX_DEPTH) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        """Rejects operations nested deeper than ``max_depth`` fields (fragments included)."""

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            depth = _depth(node.selection_set, fragments, frozenset())
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"query is {depth} levels deep; at most {max_depth} are allowed",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP"},
                    )
                )

    return DepthLimit


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    visiting: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            depth = 1 + _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in visiting:
            fragment = fragments.get(selection.name.value)
            inner = None if fragment is None else fragment.selection_set
            depth = _depth(inner, fragments, visiting | {selection.name.value})
        else:
            depth = 0
        deepest = max(deepest, depth)
    return deepest
