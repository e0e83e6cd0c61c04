"""Decoding a department's signed batch answer (docs/wire-format.md) into records.

The answer is untrusted input: every shape error is a ``SourceBadResponse``, and a department
cannot slip in fields it was not asked for — they are dropped here, before anything else sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from connectors.records import FieldName, Provenance, ResidentId, SubjectRecord
from hub.errors import SourceBadResponse, SourceSignatureInvalid


def decode_answer(
    department: str,
    body: bytes,
    request_sha256: str,
    asked: Mapping[ResidentId, frozenset[FieldName]],
    signature_verified: bool,
    key_id: str | None,
) -> dict[ResidentId, SubjectRecord]:
    try:
        envelope = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise SourceBadResponse(department, "answer is not JSON") from exc
    if not isinstance(envelope, dict) or not isinstance(envelope.get("results"), list):
        raise SourceBadResponse(department, "answer has no 'results' list")
    if envelope.get("department") != department:
        raise SourceSignatureInvalid(
            department, f"answer is from department {envelope.get('department')!r}"
        )
    if envelope.get("request_sha256") != request_sha256:
        raise SourceSignatureInvalid(department, "answer is bound to another request")
    provenance = Provenance(
        department=department,
        issued_at=str(envelope.get("issued_at", "")),
        fetched_at=datetime.now(UTC),
        signature_verified=signature_verified,
        key_id=key_id,
    )
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
    subject = result.get("id")
    allowed = asked.get(subject) if isinstance(subject, str) else None
    if subject is None or allowed is None:
        raise SourceBadResponse(department, f"answered for a subject it was not asked: {subject!r}")
    if result.get("found") is not True:
        return subject, SubjectRecord(found=False, fields={}, provenance=provenance)
    fields = result.get("fields")
    if not isinstance(fields, dict):
        raise SourceBadResponse(department, f"result for {subject} has no 'fields' object")
    kept = {name: value for name, value in fields.items() if name in allowed}
    return subject, SubjectRecord(found=True, fields=kept, provenance=provenance)
