"""Random requests: one to three root fields — ``citizen``, ``citizens`` batches and ``verify``
with drawn claims — each under its own purpose, rendered into one GraphQL document."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from hypothesis import strategies as st

from tests.support.catalogue import Catalogue
from tests.support.policy_draws import PURPOSES
from tests.support.selections import Sel, TypeGraph, Writer, selections

AGE = "identity.age"
PER_CAPITA = "household.perCapitaMonthlyIncome"
UNKNOWN_PURPOSE = "NO_SUCH_PURPOSE"

_ORDERED = ("eq", "ne", "lt", "le", "gt", "ge", "in")
_TEXT = ("eq", "ne", "in", "prefix")
_OPERATORS = {"Int": _ORDERED, "Float": _ORDERED, "String": _TEXT, "Boolean": ("eq", "ne")}
_OPERANDS: dict[str, st.SearchStrategy[object]] = {
    "Int": st.integers(-1, 120),
    "Float": st.integers(0, 20_000) | st.floats(0, 20_000).map(lambda x: round(x, 2)),
    "String": st.text(max_size=8),
    "Boolean": st.booleans(),
}


@dataclass(frozen=True)
class Claimable:
    domain: str
    field: str
    """The department field the claim is judged from."""
    value_type: str


def claimables(catalogue: Catalogue) -> dict[str, Claimable]:
    """Every scalar department field, and the two derived facts ``verify`` knows."""
    found = {
        f"{domain}.{name}": Claimable(domain, name, field.type_name)
        for domain, fields in catalogue.fields.items()
        for name, field in fields.items()
        if field.scalar and not field.is_list
    }
    found[AGE] = Claimable("identity", "birthDate", "Int")
    found[PER_CAPITA] = Claimable("household", "members", "Float")
    return found


@dataclass(frozen=True)
class ClaimDraw:
    field: str
    operator: str
    value: object


@dataclass(frozen=True)
class ProfileRoot:
    subjects: tuple[str, ...]
    many: bool
    """``citizens(ids: …)``, else ``citizen(id: …)`` of the one subject."""
    purpose: int | None
    """Index into the example's purposes; None for a code the policy does not know."""
    selection: tuple[Sel, ...]


@dataclass(frozen=True)
class VerifyRoot:
    subject: str
    purpose: int | None
    claims: tuple[ClaimDraw, ...]
    selection: tuple[Sel, ...]


Root = ProfileRoot | VerifyRoot


def root_subjects(root: Root) -> tuple[str, ...]:
    return (root.subject,) if isinstance(root, VerifyRoot) else root.subjects


def roots(
    graph: TypeGraph,
    subjects: Sequence[str],
    claims: Mapping[str, Claimable],
    operands: Mapping[str, Sequence[object]],
) -> st.SearchStrategy[tuple[Root, ...]]:
    """``operands`` holds true values per claimable field, so that claims sometimes hold."""
    sets = selections(graph)
    purpose = st.sampled_from([*range(PURPOSES)] * 2 + [None])
    citizen = st.builds(
        ProfileRoot,
        subjects=st.tuples(st.sampled_from(subjects)),
        many=st.just(False),
        purpose=purpose,
        selection=sets["Citizen"],
    )
    citizens = st.builds(
        ProfileRoot,
        subjects=st.lists(st.sampled_from(subjects), min_size=1, max_size=4).map(tuple),
        many=st.just(True),
        purpose=purpose,
        selection=sets["Citizen"],
    )
    verify = st.builds(
        VerifyRoot,
        subject=st.sampled_from(subjects),
        purpose=purpose,
        claims=st.lists(_claims(claims, operands), min_size=1, max_size=3).map(tuple),
        selection=sets["Verification"],
    )
    return st.lists(citizen | citizens | verify, min_size=1, max_size=3).map(tuple)


def _claims(
    claims: Mapping[str, Claimable], operands: Mapping[str, Sequence[object]]
) -> st.SearchStrategy[ClaimDraw]:
    options = []
    for field, claimable in sorted(claims.items()):
        seen = operands.get(field, ())
        value = _OPERANDS[claimable.value_type]
        if seen:
            value |= st.sampled_from(seen)
        for operator in _OPERATORS[claimable.value_type]:
            operand: st.SearchStrategy[object]
            if operator == "in":
                operand = st.lists(value, min_size=1, max_size=3)
            elif operator == "prefix":
                starts = sorted(
                    {text[:end] for text in map(str, seen) for end in range(len(text) + 1)}
                )
                operand = st.sampled_from(starts) if starts else value
            else:
                operand = value
            options.append(st.builds(ClaimDraw, st.just(field), st.just(operator), operand))
    return st.one_of(options)


def document(
    graph: TypeGraph, roots: Sequence[Root], codes: Sequence[str]
) -> tuple[str, dict[str, object]]:
    """The query text and its variables; root ``i`` answers under the key ``r{i}``."""
    writer = Writer(graph)
    fields = []
    for index, root in enumerate(roots):
        purpose = json.dumps(UNKNOWN_PURPOSE if root.purpose is None else codes[root.purpose])
        if isinstance(root, VerifyRoot):
            claims = writer.variable("[ClaimInput!]!", [asdict(claim) for claim in root.claims])
            call = f"verify(id: {json.dumps(root.subject)}, purpose: {purpose}, claims: {claims})"
            selection = writer.selection(root.selection, "Verification")
        elif root.many:
            ids = writer.variable("[ID!]!", list(root.subjects))
            call = f"citizens(ids: {ids}, purpose: {purpose})"
            selection = writer.selection(root.selection, "Citizen")
        else:
            call = f"citizen(id: {json.dumps(root.subjects[0])}, purpose: {purpose})"
            selection = writer.selection(root.selection, "Citizen")
        fields.append(f"r{index}: {call} {selection}")
    declared = ", ".join(f"${name}: {kind}" for name, (kind, _) in writer.variables.items())
    head = f"query Drawn({declared})" if declared else "query Drawn"
    text = f"{head} {{ {' '.join(fields)} }} {' '.join(writer.fragments)}"
    return text, {name: value for name, (_, value) in writer.variables.items()}
