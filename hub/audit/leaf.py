"""The bytes of an audit entry's Merkle leaf, defined here and nowhere else.

A leaf is canonical JSON: UTF-8, keys sorted, no whitespace, non-ASCII written as itself, every
key present (``null`` when a value is absent), with a version tag ``"v": 1``::

    {"case_ref":"DB-2024-000731","client_id":"portal-minzheng","consent_id":null,
     "departments":[["hrss","OK"]],"fields":[["employment.employed","allow"],
     ["health.chronicConditions","deny:SEPARATE_CONSENT_REQUIRED"]],
     "legal_basis":"PIPL Art. 13(1)(3)","operator":"民政窗口-王芳","outcome":"partial",
     "purpose":"LOW_INCOME_REVIEW","request_id":"9b2f6c1e-4d7a-4f0e-8c3b-2a5d9e7f1b60",
     "role":"portal","subject":"110101199003074518","time":"2024-05-01T08:30:00.250000Z","v":1}

(one line in a leaf). ``time`` is UTC with exactly six fractional digits and a ``Z``; ``fields``
and ``departments`` are ``[name, value]`` pairs in the order the request produced them. The leaf
hash is ``SHA-256(0x00 || leaf)``. Nothing in a leaf depends on its position in the log, so an
entry can be hashed before it is sequenced. docs/audit-leaf.md documents the same format for
people who verify exports with tools of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson

from hub.errors import AuditMalformed
from hub.roles import Role

LEAF_VERSION = 1

Pairs = tuple[tuple[str, str], ...]
_UTC_OFFSET = timedelta(0)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who read whose data, which fields with what decision, why, and how it ended."""

    time: datetime
    request_id: str
    client_id: str
    role: Role
    operator: str | None
    case_ref: str | None
    subject: str
    purpose: str
    legal_basis: str | None
    consent_id: str | None
    fields: Pairs
    departments: Pairs
    outcome: str

    def __post_init__(self) -> None:
        if self.time.utcoffset() != _UTC_OFFSET:
            raise AuditMalformed("audit entry has a non-UTC time")


def _well_typed(entry: AuditEntry) -> bool:
    """What mypy proves of the entries the hub builds, checked of those rebuilt from a leaf:
    the re-encoding alone would let a number pass for a string."""
    texts = (entry.request_id, entry.client_id, entry.role, entry.subject, entry.purpose)
    optional = (entry.operator, entry.case_ref, entry.legal_basis, entry.consent_id)
    pairs = (*entry.fields, *entry.departments)
    return (
        all(isinstance(text, str) for text in (*texts, entry.outcome))
        and all(text is None or isinstance(text, str) for text in optional)
        and isinstance(entry.fields, tuple)
        and isinstance(entry.departments, tuple)
        and all(isinstance(p, tuple) and len(p) == 2 for p in pairs)
        and all(isinstance(text, str) for pair in pairs for text in pair)
    )


def encode_leaf(entry: AuditEntry) -> bytes:
    return orjson.dumps(
        {
            "v": LEAF_VERSION,
            "time": entry.time.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z",
            "request_id": entry.request_id,
            "client_id": entry.client_id,
            "role": entry.role,
            "operator": entry.operator,
            "case_ref": entry.case_ref,
            "subject": entry.subject,
            "purpose": entry.purpose,
            "legal_basis": entry.legal_basis,
            "consent_id": entry.consent_id,
            "fields": entry.fields,
            "departments": entry.departments,
            "outcome": entry.outcome,
        },
        option=orjson.OPT_SORT_KEYS,
    )


def decode_leaf(leaf: bytes) -> AuditEntry:
    """The entry a leaf encodes; bytes that ``encode_leaf`` would not have written are rejected.

    Re-encoding and comparing is what makes the check exact: a leaf that decodes but differs in
    spelling (spaces, key order, escapes, time format) would hash differently from the logged one.
    """
    try:
        body = orjson.loads(leaf)
        if body.pop("v") != LEAF_VERSION:
            raise ValueError("unknown leaf version")
        entry = AuditEntry(
            **body
            | {
                "time": datetime.fromisoformat(body["time"]),
                "role": Role(body["role"]),
                "fields": tuple(map(tuple, body["fields"])),
                "departments": tuple(map(tuple, body["departments"])),
            }
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise AuditMalformed(f"leaf is not a version {LEAF_VERSION} audit entry") from exc
    if not _well_typed(entry):
        raise AuditMalformed("audit entry has a value of the wrong type")
    if encode_leaf(entry) != leaf:
        raise AuditMalformed("leaf is not in canonical form")
    return entry
