"""A department's own JSON over HTTP, described by a mapping in its manifest (docs/transports.md).

The mapping language is dotted paths and nothing more: ``data.person.idNo`` names the value at
key ``idNo`` of the object at ``person`` of the object at ``data``. The request is built by
placing values at paths, the answer read by looking them up: an answer without its list of
results, or with a result naming no subject that was asked, is a ``SourceBadResponse``; a field
that is not where its path says is left out. The signature still covers the exact answer bytes,
and what the department can echo (the request's SHA-256, its name, the time it answered) is
checked wherever the mapping's ``binding`` says it lies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import orjson

from connectors.answer import (
    answer_provenance,
    asked_subject,
    check_department,
    check_request,
    load_json,
    sha256_hex,
)
from connectors.http_json import HttpCall
from connectors.records import FetchItem, Provenance, ResidentId, SubjectRecord
from connectors.transport_specs import Binding, JsonMapping
from hub.errors import SourceBadResponse


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


MISSING: Final = _Missing()
"""What ``lookup`` finds where a path leads nowhere (a JSON ``null`` is a value: ``None``)."""


def lookup(document: Any, path: str) -> Any:
    """The value at the dotted ``path`` in ``document``, or ``MISSING``."""
    for key in path.split("."):
        if not isinstance(document, dict) or key not in document:
            return MISSING
        document = document[key]
    return document


def place(document: dict[str, Any], path: str, value: Any) -> None:
    """Put ``value`` at the dotted ``path`` in ``document``, making the objects on the way."""
    *parents, last = path.split(".")
    for key in parents:
        document = document.setdefault(key, {})
    document[last] = value


def bound_provenance(
    department: str, answer: Any, binding: Binding, sent: bytes, key_id: str | None
) -> Provenance:
    """Check what ``binding`` says the answer echoes, and the provenance it gives."""
    if binding.department is not None:
        check_department(department, lookup(answer, binding.department))
    if binding.request_sha256 is not None:
        check_request(department, lookup(answer, binding.request_sha256), sha256_hex(sent))
    issued_at = None if binding.issued_at is None else lookup(answer, binding.issued_at)
    return answer_provenance(department, None if issued_at is MISSING else issued_at, key_id)


def mapped_values(result: Any, paths: Mapping[str, str], asked: frozenset[str]) -> dict[str, Any]:
    """The asked fields ``result`` holds, each read where ``paths`` says (or at its own name);
    a field the department left out stays out."""
    values = {name: lookup(result, paths.get(name, name)) for name in asked}
    return {name: value for name, value in values.items() if value is not MISSING}


class MappedWire:
    def __init__(self, department: str, endpoint: str, mapping: JsonMapping) -> None:
        base = endpoint.rstrip("/")
        self._department = department
        self._mapping = mapping
        self.batch_url = base + mapping.batch_path
        self.health = HttpCall("GET", base + mapping.health_path)

    def encode(self, items: Sequence[FetchItem]) -> bytes:
        request, names = self._mapping.request, self._mapping.fields
        entries: list[dict[str, Any]] = []
        for item in items:
            entry: dict[str, Any] = {}
            place(entry, request.id, item.subject)
            place(entry, request.fields, sorted(names.get(field, field) for field in item.fields))
            entries.append(entry)
        body: dict[str, Any] = {}
        place(body, request.items, entries)
        return orjson.dumps(body)

    def decode(
        self, answer: bytes, sent: bytes, items: Sequence[FetchItem], key_id: str | None
    ) -> dict[ResidentId, SubjectRecord]:
        department, response = self._department, self._mapping.response
        document = load_json(department, answer)
        results = lookup(document, response.results)
        if not isinstance(results, list):
            raise SourceBadResponse(department, f"answer has no list at {response.results!r}")
        provenance = bound_provenance(department, document, self._mapping.binding, sent, key_id)
        asked = {item.subject: item.fields for item in items}
        missing = SubjectRecord(found=False, fields={}, provenance=provenance)
        records = dict.fromkeys(asked, missing) if response.found is None else {}
        for result in results:
            subject = asked_subject(department, lookup(result, response.id), asked)
            if response.found is not None and lookup(result, response.found) is not True:
                records[subject] = missing
                continue
            fields = mapped_values(result, self._mapping.fields, asked[subject])
            records[subject] = SubjectRecord(True, fields, provenance)
        return records
