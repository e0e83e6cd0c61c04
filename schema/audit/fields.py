"""Root fields over the audit log: auditors search it and get proofs; citizens see their own.

Only auditor clients read the log. A citizen client is bound to one resident ID and reads the
entries about that ID, and nothing else: not the entries' other subjects, nor their operators.
Every other caller is refused with FORBIDDEN.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Optional

import strawberry

from hub.audit.leaf import decode_leaf
from hub.errors import Forbidden
from hub.roles import Role
from hub.store.audit_records import AuditQuery, CheckpointRow, StoredEntry
from schema.audit.pages import DEFAULT_PAGE, MAX_PAGE, page, page_start
from schema.audit.source import AuditSource
from schema.audit.types import (
    AuditCheckpoint,
    AuditEntry,
    AuditFilter,
    ConsistencyProof,
    DataAccess,
    InclusionProof,
    Page,
)
from schema.context import RequestContext

Info = strawberry.Info[RequestContext, None]
After = Annotated[
    str | None, strawberry.argument(description="endCursor of the page before. 上一页游标。")
]
First = Annotated[int, strawberry.argument(description=f"Page size, 1 to {MAX_PAGE}. 每页条数。")]


async def audit_entries(
    info: Info,
    where: Annotated[AuditFilter | None, strawberry.argument(name="filter")] = None,
    after: After = None,
    first: First = DEFAULT_PAGE,
) -> dict[str, Any]:
    start = page_start(after, first)
    found = await _auditor(info).search(_query(where), start, first + 1)
    return page(found, first, _entry)


async def inclusion_proof(
    info: Info,
    leaf_index: int,
    tree_size: Annotated[
        int | None, strawberry.argument(description="A checkpointed size; the latest if null.")
    ] = None,
) -> dict[str, Any]:
    proof = await _auditor(info).inclusion(leaf_index, tree_size)
    return {
        "leaf_index": proof.leaf_index,
        "tree_size": proof.checkpoint.size,
        "hashes": proof.hashes,
        "checkpoint": _checkpoint(proof.checkpoint),
    }


async def consistency_proof(
    info: Info, old_size: Annotated[int, strawberry.argument(name="from")], to: int
) -> dict[str, Any]:
    proof = await _auditor(info).consistency(old_size, to)
    return {
        "from_checkpoint": _checkpoint(proof.old),
        "to_checkpoint": _checkpoint(proof.new),
        "hashes": proof.hashes,
    }


async def audit_checkpoint(
    info: Info,
    size: Annotated[int | None, strawberry.argument(description="The latest if null.")] = None,
) -> dict[str, Any]:
    return _checkpoint(await _auditor(info).checkpoint(size))


async def my_data_access(
    info: Info, after: After = None, first: First = DEFAULT_PAGE
) -> dict[str, Any]:
    context = info.context
    if context.role is not Role.CITIZEN or context.subject is None:
        raise Forbidden("myDataAccess is for citizen clients, each bound to a resident ID")
    start = page_start(after, first)
    found = await context.audit_log.search(AuditQuery(subject=context.subject), start, first + 1)
    names = await context.audit_log.client_names()
    return page(found, first, lambda stored: _access(stored, names))


def audit_fields() -> dict[str, Any]:
    """The root fields, made afresh for each composed schema: a field belongs to one type.
    Each is nullable, so that a refusal blanks only its own field of a query."""
    return {
        "audit_entries": strawberry.field(
            resolver=audit_entries,
            graphql_type=Optional[Page[AuditEntry]],  # noqa: UP045 — a runtime type
            description="Audit entries matching the filter, in log order (auditors). 审计检索。",
        ),
        "inclusion_proof": strawberry.field(
            resolver=inclusion_proof,
            graphql_type=Optional[InclusionProof],  # noqa: UP045 — a runtime type
            description="Proof that an entry is in a checkpointed tree (auditors). 包含证明。",
        ),
        "consistency_proof": strawberry.field(
            resolver=consistency_proof,
            graphql_type=Optional[ConsistencyProof],  # noqa: UP045 — a runtime type
            description="Proof that one checkpoint extends another (auditors). 一致性证明。",
        ),
        "audit_checkpoint": strawberry.field(
            resolver=audit_checkpoint,
            graphql_type=Optional[AuditCheckpoint],  # noqa: UP045 — a runtime type
            description="A signed tree head of the audit log (auditors). 日志树头。",
        ),
        "my_data_access": strawberry.field(
            resolver=my_data_access,
            graphql_type=Optional[Page[DataAccess]],  # noqa: UP045 — a runtime type
            description="Who read your data, when, why, on which basis (citizens). 数据使用记录。",
        ),
    }


def _auditor(info: Info) -> AuditSource:
    if info.context.role is not Role.AUDITOR:
        raise Forbidden("only auditor clients may read the audit log")
    return info.context.audit_log


def _query(where: AuditFilter | None) -> AuditQuery:
    """The filter as a store query; labels are spelled as the audit trail tags entries."""
    if where is None:
        return AuditQuery()
    labels = {"department": where.department, "category": where.category}
    labels["decision"] = where.decision and where.decision.upper()
    return AuditQuery(
        subject=where.subject,
        client_id=where.client_id,
        purpose=where.purpose,
        tags=frozenset(f"{kind}:{value}" for kind, value in labels.items() if value),
        time_from=_aware(where.since),
        time_to=_aware(where.until),
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.utcoffset() is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _checkpoint(row: CheckpointRow) -> dict[str, Any]:
    return {"size": row.size, "root_hash": row.root, "note": row.note, "time": row.time}


def _entry(stored: StoredEntry) -> dict[str, Any]:
    entry = decode_leaf(stored.body)
    return {
        "leaf_index": stored.leaf_index,
        "leaf": stored.body,
        "time": entry.time,
        "request_id": entry.request_id,
        "client_id": entry.client_id,
        "role": entry.role,
        "operator": entry.operator,
        "case_ref": entry.case_ref,
        "subject": entry.subject,
        "purpose": entry.purpose,
        "legal_basis": entry.legal_basis,
        "consent_id": entry.consent_id,
        "fields": _fields(entry.fields),
        "departments": [{"department": d, "outcome": o} for d, o in entry.departments],
        "outcome": entry.outcome,
    }


def _access(stored: StoredEntry, names: dict[str, str]) -> dict[str, Any]:
    entry = decode_leaf(stored.body)
    return {
        "leaf_index": stored.leaf_index,
        "time": entry.time,
        "client_id": entry.client_id,
        "client_name": names.get(entry.client_id),
        "purpose": entry.purpose,
        "legal_basis": entry.legal_basis,
        "consent_id": entry.consent_id,
        "fields": _fields(entry.fields),
        "outcome": entry.outcome,
    }


def _fields(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"field": field, "decision": decision} for field, decision in pairs]
