"""The standard wire format (docs/wire-format.md), and the checks every JSON answer shares.

An answer is untrusted input: every shape error is a ``SourceBadResponse``, and a department
cannot slip in fields it was not asked for — they are dropped here, before anything else sees them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from connectors.http_json import HttpCall
from connectors.records import FetchItem, FieldName, Provenance, ResidentId, SubjectRecord
from hub.errors import SourceBadResponse, SourceSignatureInvalid


class StandardWire:
    """``POST {endpoint}/v1/batch`` with ``{"items": [...]}``; the signed envelope back."""

    def __init__(self, department: str, endpoint: str) -> None:
        base = endpoint.rstrip("/")
        self._department = department
        self.batch_url = base + "/v1/batch"
        self.health = HttpCall("GET", base + "/healthz")

    def encode(self, items: Sequence[FetchItem]) -> bytes:
        return orjson.dumps(
            {"items": [{"id": item.subject, "fields": sorted(item.fields)} for item in items]}
        )

    def decode(
        self, answer: bytes, sent: bytes, items: Sequence[FetchItem], key_id: str | None
    ) -> dict[ResidentId, SubjectRecord]:
        asked = {item.subject: item.fields for item in items}
        return decode_answer(self._department, answer, sha256_hex(sent), asked, key_id)


def decode_answer(
    department: str,
    body: bytes,
    request_sha256: str,
    asked: Mapping[ResidentId, frozenset[FieldName]],
    key_id: str | None,
) -> dict[ResidentId, SubjectRecord]:
    envelope = load_json(department, body)
    if not isinstance(envelope, dict) or not isinstance(envelope.get("results"), list):
        raise SourceBadResponse(department, "answer has no 'results' list")
    check_department(department, envelope.get("department"))
    check_request(department, envelope.get("request_sha256"), request_sha256)
    provenance = answer_provenance(department, envelope.get("issued_at"), key_id)
    records: dict[ResidentId, SubjectRecord] = {}
    for result in envelope["results"]:
        subject, record = _decode_result(department, result, asked, provenance)
        records[subject] = record
    return records


def _decode_result(
    department: str,
    result: Any,
    asked: Mapping[ResidentId, frozenset[FieldName]],
    provenance: Provenance,
) -> tuple[ResidentId, SubjectRecord]:
    if not isinstance(result, dict):
        raise SourceBadResponse(department, "a result is not an object")
    subject = asked_subject(department, result.get("id"), asked)
    if result.get("found") is not True:
        return subject, SubjectRecord(found=False, fields={}, provenance=provenance)
    fields = result.get("fields")
    if not isinstance(fields, dict):
        raise SourceBadResponse(department, f"result for {subject} has no 'fields' object")
    return subject, SubjectRecord(True, fields, provenance).narrowed(asked[subject])


def load_json(department: str, body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise SourceBadResponse(department, "answer is not JSON") from exc


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def asked_subject(department: str, subject: object, asked: Container[ResidentId]) -> ResidentId:
    """``subject`` if the hub asked about it; an answer about anyone else is not believed."""
    if not isinstance(subject, str) or subject not in asked:
        raise SourceBadResponse(department, f"answered for a subject it was not asked: {subject!r}")
    return subject


def check_department(department: str, stated: object) -> None:
    if stated != department:
        raise SourceSignatureInvalid(department, f"answer is from department {stated!r}")


def check_request(department: str, stated: object, request_sha256: str) -> None:
    """The answer names the request it answers: one replayed for another request fails."""
    if stated != request_sha256:
        raise SourceSignatureInvalid(department, "answer is bound to another request")


def answer_provenance(department: str, issued_at: object, key_id: str | None) -> Provenance:
    """One provenance for every subject of an answer; signed iff a key verified it."""
    return Provenance(
        department=department,
        issued_at="" if issued_at is None else str(issued_at),
        fetched_at=datetime.now(UTC),
        signature_verified=key_id is not None,
        key_id=key_id,
    )
