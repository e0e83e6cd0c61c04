"""Random GraphQL selection sets, and what they select once directives are applied.

A drawn field may carry an alias, sit in an inline fragment (typed or not) or a named fragment,
and be under ``@include``/``@skip`` bound to a variable. What it finally selects is worked out
here from the drawing, the way GraphQL's CollectFields defines it, not by asking the hub's planner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from hypothesis import strategies as st

from tests.support.catalogue import Catalogue

TypeGraph = Mapping[str, Mapping[str, str | None]]
"""Object type → its fields → the object type a field holds, or None for a leaf."""

_CORE_TYPES: dict[str, dict[str, str | None]] = {
    "Provenance": dict.fromkeys(
        ("department", "issuedAt", "fetchedAt", "signatureVerified", "keyId")
    ),
    "Release": dict.fromkeys(("category", "decision", "legalBasis", "consentId")),
    "Verification": {
        **dict.fromkeys(("subject", "purpose", "issued", "signature", "document")),
        "claims": "ClaimResult",
    },
    "ClaimResult": dict.fromkeys(("field", "operator", "value", "truth", "reason", "departments")),
}
PROVENANCE = "provenance"
RELEASES = "releases"


def type_graph(catalogue: Catalogue) -> TypeGraph:
    graph = dict(_CORE_TYPES)
    graph["Citizen"] = {"id": None, **{d: catalogue.type_name(d) for d in catalogue.fields}}
    for domain, fields in catalogue.fields.items():
        graph[catalogue.type_name(domain)] = {
            **{name: None if f.scalar else f.type_name for name, f in fields.items()},
            PROVENANCE: "Provenance",
            RELEASES: "Release",
        }
    for name, members in catalogue.objects.items():
        graph[name] = dict.fromkeys(members)
    return graph


class Wrap(StrEnum):
    NONE = "field"
    INLINE = "... { }"
    TYPED_INLINE = "... on T { }"
    FRAGMENT = "...F"


@dataclass(frozen=True)
class Directive:
    include: bool
    """``@include``, else ``@skip``."""
    value: bool
    """What its variable is bound to."""


_DIRECTIVES = (None,) * 4 + tuple(Directive(i, v) for i in (True, False) for v in (True, False))
"""Half the fields carry none; of the others, half are left out."""


@dataclass(frozen=True)
class Sel:
    name: str
    alias: str | None
    children: tuple[Sel, ...]
    wrap: Wrap
    directive: Directive | None

    @property
    def key(self) -> str:
        return self.alias or self.name

    @property
    def included(self) -> bool:
        return self.directive is None or self.directive.value is self.directive.include


@dataclass(frozen=True)
class Picked:
    """A field as the answer must hold it: its name, and its own selection by response key."""

    name: str
    children: Mapping[str, Picked]


def picked(selection: tuple[Sel, ...]) -> dict[str, Picked]:
    """What a selection set selects, by response key: fields under a directive that excludes
    them are dropped, and fields sharing a response key merge their selections."""
    merged: dict[str, tuple[str, list[Sel]]] = {}
    for sel in selection:
        if sel.included:
            merged.setdefault(sel.key, (sel.name, []))[1].extend(sel.children)
    return {key: Picked(name, picked(tuple(children))) for key, (name, children) in merged.items()}


def selections(graph: TypeGraph) -> dict[str, st.SearchStrategy[tuple[Sel, ...]]]:
    """Object type → a strategy for selection sets on it, all built once: strategies built while
    drawing cost more than the drawing."""
    placements = [
        (alias, wrap, directive) for directive in _DIRECTIVES for wrap in Wrap for alias in (0, 1)
    ]
    sets: dict[str, st.SearchStrategy[tuple[Sel, ...]]] = {}

    def one(name: str, inner: str | None) -> st.SearchStrategy[Sel]:
        def build(placement: tuple[int, Wrap, Directive | None], children: tuple[Sel, ...]) -> Sel:
            alias, wrap, directive = placement
            return Sel(name, f"{name}A" if alias else None, children, wrap, directive)

        children = st.just(()) if inner is None else st.deferred(lambda: sets[inner])
        return st.builds(build, st.sampled_from(placements), children)

    for type_name, fields in graph.items():
        some = st.one_of([one(name, inner) for name, inner in sorted(fields.items())])
        sets[type_name] = st.lists(some, min_size=1, max_size=3).map(tuple)
    return sets


@dataclass
class Writer:
    """Renders selections into one document, collecting its fragments and variables."""

    graph: TypeGraph
    fragments: list[str] = field(default_factory=list)
    variables: dict[str, tuple[str, object]] = field(default_factory=dict)
    """Name → (GraphQL type, value)."""

    def selection(self, selection: tuple[Sel, ...], type_name: str) -> str:
        return "{ " + " ".join(self._one(sel, type_name) for sel in selection) + " }"

    def variable(self, graphql_type: str, value: object) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (graphql_type, value)
        return f"${name}"

    def _one(self, sel: Sel, type_name: str) -> str:
        directive = ""
        if sel.directive is not None:
            which = "include" if sel.directive.include else "skip"
            directive = f" @{which}(if: {self.variable('Boolean!', sel.directive.value)})"
        head = f"{sel.alias}: {sel.name}" if sel.alias else sel.name
        inner = self.graph[type_name][sel.name]
        body = "" if inner is None else " " + self.selection(sel.children, inner)
        if sel.wrap is Wrap.NONE:
            return head + directive + body
        if sel.wrap is Wrap.INLINE:
            return f"...{directive} {{ {head}{body} }}"
        if sel.wrap is Wrap.TYPED_INLINE:
            return f"... on {type_name}{directive} {{ {head}{body} }}"
        fragment = f"F{len(self.fragments)}"
        self.fragments.append(f"fragment {fragment} on {type_name} {{ {head}{body} }}")
        return f"...{fragment}{directive}"
