"""The department side of docs/wire-format.md: reading batch requests, writing signed answers."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

import orjson


class Refusal(Exception):
    """A request answered with an error body instead of data."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> bytes:
        return error_body(self.code, self.message)


class Item(NamedTuple):
    id: str
    fields: Sequence[str]


def error_body(code: str, message: str) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message}})


def parse_batch(body: bytes, known: Collection[str], limit: int) -> list[Item]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Refusal(400, "BAD_REQUEST", f"body is not JSON: {exc}") from exc
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise Refusal(400, "BAD_REQUEST", 'body must be {"items": [...]}')
    if len(items) > limit:
        raise Refusal(413, "BATCH_TOO_LARGE", f"{len(items)} items; at most {limit} per batch")
    return [_item(item, known) for item in items]


def parse_fields(query: str | None, known: Collection[str]) -> list[str]:
    """The ``fields`` query parameter of a one-subject GET: comma-separated names."""
    if query is None:
        raise Refusal(400, "BAD_REQUEST", "the fields query parameter is required")
    return _known(query.split(",") if query else [], known)


def _known(fields: list[str], known: Collection[str]) -> list[str]:
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise Refusal(400, "UNKNOWN_FIELD", f"no such field: {', '.join(unknown)}")
    return fields


def _item(document: object, known: Collection[str]) -> Item:
    if not isinstance(document, dict):
        raise Refusal(400, "BAD_REQUEST", "each item must be an object")
    subject, fields = document.get("id"), document.get("fields")
    if not isinstance(subject, str) or not isinstance(fields, list):
        raise Refusal(400, "BAD_REQUEST", 'each item needs an "id" string and a "fields" list')
    if not all(isinstance(name, str) for name in fields):
        raise Refusal(400, "BAD_REQUEST", "field names must be strings")
    return Item(subject, _known(fields, known))


def answer_body(department: str, request: bytes, results: Sequence[Mapping[str, object]]) -> bytes:
    """``request`` is what the answer is bound to: the batch body, or a GET's request target."""
    issued_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return orjson.dumps(
        {
            "department": department,
            "request_sha256": hashlib.sha256(request).hexdigest(),
            "issued_at": issued_at,
            "results": results,
        }
    )
