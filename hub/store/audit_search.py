"""Which audit entries a read selects, as SQL conditions both backends render in their dialect.

Every read selects sequenced entries only, in leaf-index order: an entry is citable by its index,
and an auditor can prove it against a checkpoint only once it has one. An entry still queued has
neither, and a search that showed it could not be repeated to give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.store.audit_records import AuditQuery


@dataclass(frozen=True, slots=True)
class Condition:
    """One conjunct over ``audit_entries e``; ``{}`` marks where its one parameter goes."""

    sql: str
    value: str | int | datetime


_HAS_TAG = "e.tag_set IN (SELECT t.set_id FROM audit_set_tags t WHERE t.tag = {})"


def search(query: AuditQuery, after: int | None) -> list[Condition]:
    """The entries matching ``query`` past ``after``, the last leaf index already seen."""
    optional = {
        "e.subject = {}": query.subject,
        "e.client_id = {}": query.client_id,
        "e.purpose = {}": query.purpose,
        "e.time >= {}": query.time_from,
        "e.time < {}": query.time_to,
    }
    return [
        *starting_at(0 if after is None else after + 1),
        *(Condition(sql, value) for sql, value in optional.items() if value is not None),
        *(Condition(_HAS_TAG, tag) for tag in sorted(query.tags)),
    ]


def starting_at(leaf_index: int) -> list[Condition]:
    """Every sequenced entry from ``leaf_index`` on: an export's range."""
    return [Condition("e.leaf_index >= {}", leaf_index)]


def at(leaf_index: int) -> list[Condition]:
    return [Condition("e.leaf_index = {}", leaf_index)]
