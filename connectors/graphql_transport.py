"""A department's own GraphQL service, asked through one root field that takes a list of ids.

A batch is one document with one aliased root field per distinct set of fields in it, so each
subject is asked exactly the fields policy released for it (data minimisation per subject):

    query Batch($ids0: [ID!]!, $ids1: [ID!]!) {
      q0: persons(ids: $ids0) { id income { taxable } }
      q1: persons(ids: $ids1) { id }
    }

The service signs its answer as the HTTP/JSON transport's departments do — Ed25519 over the
exact response bytes in ``Tongban-Key-Id`` / ``Tongban-Signature`` — and may echo the request's
SHA-256 (for instance in ``extensions``) where the manifest's ``binding`` says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from connectors.answer import asked_subject, load_json
from connectors.http_json import HttpCall
from connectors.json_mapping import bound_provenance, lookup, mapped_values
from connectors.manifest import Manifest
from connectors.records import FetchItem, ResidentId, SubjectRecord, by_field_set
from connectors.transport_specs import GraphQLTransportSpec
from hub.errors import SourceBadResponse, SourceUnavailable

Tree = dict[str, "Tree"]
"""A selection set: each field with its own selection (empty for a leaf)."""


class GraphQLWire:
    def __init__(self, manifest: Manifest, spec: GraphQLTransportSpec) -> None:
        self._department = manifest.department
        self._spec = spec
        self.batch_url = spec.endpoint
        self.health = HttpCall("POST", spec.endpoint, orjson.dumps({"query": "{ __typename }"}))
        self._subfields = {
            name: tuple(manifest.types[field.type.name].fields)
            for domain in manifest.domains.values()
            for name, field in domain.fields.items()
            if field.type.name in manifest.types
        }
        """A field of an object type is asked with every member the manifest declares."""

    def encode(self, items: Sequence[FetchItem]) -> bytes:
        spec = self._spec
        declared: list[str] = []
        selected: list[str] = []
        variables: dict[str, list[ResidentId]] = {}
        for index, (asked, subjects) in enumerate(by_field_set(items).items()):
            declared.append(f"$ids{index}: {spec.ids_type}")
            selected.append(
                f"q{index}: {spec.query_field}({spec.ids_argument}: $ids{index}) "
                + _render(self._selection(asked))
            )
            variables[f"ids{index}"] = subjects
        query = f"query Batch({', '.join(declared)}) {{ {' '.join(selected)} }}"
        return orjson.dumps({"query": query, "variables": variables})

    def decode(
        self, answer: bytes, sent: bytes, items: Sequence[FetchItem], key_id: str | None
    ) -> dict[ResidentId, SubjectRecord]:
        department = self._department
        document = load_json(department, answer)
        if not isinstance(document, dict):
            raise SourceBadResponse(department, "answer is not a GraphQL response")
        if document.get("errors"):
            raise SourceUnavailable(department, f"answered errors: {_first(document['errors'])}")
        data = document.get("data")
        if not isinstance(data, dict):
            raise SourceBadResponse(department, "answer has no 'data' object")
        provenance = bound_provenance(department, document, self._spec.binding, sent, key_id)
        missing = SubjectRecord(found=False, fields={}, provenance=provenance)
        records: dict[ResidentId, SubjectRecord] = {}
        for index, (asked, subjects) in enumerate(by_field_set(items).items()):
            listed = data.get(f"q{index}")
            if not isinstance(listed, list):
                raise SourceBadResponse(department, f"answer has no list at 'data.q{index}'")
            members = frozenset(subjects)  # a subject answered under another alias is refused
            records.update(dict.fromkeys(members, missing))
            for entry in (entry for entry in listed if entry is not None):
                subject = asked_subject(department, lookup(entry, self._spec.id_field), members)
                fields = mapped_values(entry, self._spec.fields, asked)
                records[subject] = SubjectRecord(True, fields, provenance)
        return records

    def _selection(self, asked: Iterable[str]) -> Tree:
        tree: Tree = {}
        _grow(tree, self._spec.id_field.split("."))
        for name in asked:
            leaf = _grow(tree, self._spec.fields.get(name, name).split("."))
            for member in self._subfields.get(name, ()):
                leaf.setdefault(member, {})
        return tree


def _grow(tree: Tree, path: list[str]) -> Tree:
    for key in path:
        tree = tree.setdefault(key, {})
    return tree


def _render(tree: Tree) -> str:
    members = (f"{name} {_render(sub)}" if sub else name for name, sub in sorted(tree.items()))
    return "{ " + " ".join(members) + " }"


def _first(errors: Any) -> str:
    first = errors[0] if isinstance(errors, list) else errors
    message = first.get("message") if isinstance(first, dict) else None
    return str(message if message is not None else first)[:300]
