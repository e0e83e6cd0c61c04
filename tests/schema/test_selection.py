"""A query's selection per domain: kept for a document that cannot vary by request, walked
afresh on every request for one whose directives read the variables."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    build_schema,
    parse,
)
from graphql.execution.values import VariableValues, get_variable_values

from schema.selection import Selection, Selections

_SCHEMA = build_schema(
    """
    type Identity { name: String sex: String provenance: String }
    type Household { size: Int }
    type Citizen { identity: Identity household: Household }
    type Query { citizen(id: ID!): Citizen }
    """
)
_DOMAIN_FIELDS = {"identity": frozenset({"name", "sex"}), "household": frozenset({"size"})}


def _select(selections: Selections, document: Any, inputs: dict[str, Any]) -> Selection:
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    variables = get_variable_values(_SCHEMA, operation.variable_definitions or (), inputs)
    assert isinstance(variables, VariableValues)
    (field,) = operation.selection_set.selections
    assert isinstance(field, FieldNode)
    return selections.of([field], fragments, variables)


def test_a_directive_makes_each_request_follow_its_own_variables() -> None:
    document = parse(
        """query($with: Boolean!) { citizen(id: "x") {
            identity { name } ...H @include(if: $with) } }
        fragment H on Citizen { household { size } }"""
    )
    selections = Selections(_DOMAIN_FIELDS)

    with_household = _select(selections, document, {"with": True})
    without = _select(selections, document, {"with": False})

    assert with_household.plan == {"identity": {"name"}, "household": {"size"}}
    assert without.plan == {"identity": {"name"}}


def test_a_selection_without_directives_is_walked_once_per_document() -> None:
    text = 'query { citizen(id: "x") { identity { name sex provenance } ... on Citizen { '
    text += "household { size } } } }"
    document = parse(text)
    selections = Selections(_DOMAIN_FIELDS)

    first = _select(selections, document, {})
    again = _select(selections, document, {})
    other_document = _select(selections, parse(text), {})

    assert first.plan == {"identity": {"name", "sex"}, "household": {"size"}}
    assert first.own == {"identity": {"provenance"}, "household": frozenset()}
    assert again is first
    assert other_document == first
    assert other_document is not first
