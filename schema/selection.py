"""Which domains, and which of their fields, a query selects under ``citizen``/``citizens``.

This is the plan's input: a department is asked for exactly the fields selected (through
aliases, fragments, inline fragments, @skip and @include), never for the whole domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionNode,
)
from graphql.execution.values import VariableValues, get_directive_values


@dataclass(frozen=True, slots=True)
class Selection:
    plan: dict[str, frozenset[str]]
    """Domain → the department fields selected in it: what the departments are asked."""
    own: dict[str, frozenset[str]]
    """Domain → the hub's own fields selected in it (``provenance``, ``releases``): what the
    hub builds for each subject only when asked."""


def plan_domains(
    field_nodes: Iterable[FieldNode],
    domain_fields: Mapping[str, frozenset[str]],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: VariableValues,
) -> Selection:
    """What the field(s) ``field_nodes`` select in each domain; ``domain_fields`` names each
    domain's department fields."""
    plan: dict[str, frozenset[str]] = {}
    own: dict[str, frozenset[str]] = {}
    for name, nodes in _collect(field_nodes, fragments, variables).items():
        if name in domain_fields:
            selected = frozenset(_collect(nodes, fragments, variables))
            plan[name] = selected & domain_fields[name]
            own[name] = selected - domain_fields[name]
    return Selection(plan, own)


def _collect(
    field_nodes: Iterable[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: VariableValues,
) -> dict[str, list[FieldNode]]:
    found: dict[str, list[FieldNode]] = {}
    for node in field_nodes:
        if node.selection_set is not None:
            _walk(node.selection_set.selections, fragments, variables, found, set())
    return found


def _walk(
    selections: Iterable[SelectionNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: VariableValues,
    found: dict[str, list[FieldNode]],
    spread: set[str],
) -> None:
    for selection in selections:
        if not _included(selection, variables):
            continue
        if isinstance(selection, FieldNode):
            found.setdefault(selection.name.value, []).append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set.selections, fragments, variables, found, spread)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
            spread.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                _walk(fragment.selection_set.selections, fragments, variables, found, spread)


def _included(node: SelectionNode, variables: VariableValues) -> bool:
    if not node.directives:
        return True
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip is not None and skip.get("if") is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return include is None or include.get("if") is not False
