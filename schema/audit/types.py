"""The audit log's GraphQL types. Values are plain dicts, as everywhere below ``Query``.

Hashes, leaves and roots are ``Base64`` (standard, padded): the exact bytes a verifier hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

import strawberry
from strawberry.scalars import Base64

T = TypeVar("T")


@strawberry.type(description="A page of results in log order. 按日志顺序分页。")
class Page(Generic[T]):
    entries: list[T]
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null when this page is empty. 游标。"
    )
    has_next_page: bool


@strawberry.type(description="A field asked for, and policy's decision on it. 字段及决定。")
class FieldDecision:
    field: str = strawberry.field(description="Domain and field, e.g. employment.monthlyWage.")
    decision: str = strawberry.field(
        description="allow, mask, predicate_only or deny, with the refusal's code after a colon."
    )


@strawberry.type(description="A department asked, and how its answer ended. 部门及结果。")
class DepartmentOutcome:
    department: str
    outcome: str = strawberry.field(description="OK, NOT_FOUND or the error code.")


@strawberry.type(description="One entry of the audit log. 审计日志条目。")
class AuditEntry:
    leaf_index: int = strawberry.field(description="Its place in the log, for good. 序号。")
    leaf: Base64 = strawberry.field(
        description="The leaf's exact bytes (docs/audit-leaf.md): its hash in the tree is"
        " SHA-256(0x00 || leaf). 叶子原始字节。"
    )
    time: datetime
    request_id: str
    client_id: str
    role: str
    operator: str | None
    case_ref: str | None
    subject: str = strawberry.field(description="Whose data: the resident ID. 数据主体。")
    purpose: str
    legal_basis: str | None
    consent_id: str | None
    fields: list[FieldDecision]
    departments: list[DepartmentOutcome]
    outcome: str = strawberry.field(description="ok, partial or failed.")


@strawberry.type(description="A signed tree head of the audit log. 已签名的日志树头。")
class AuditCheckpoint:
    size: int = strawberry.field(description="Entries in the tree. 条目数。")
    root_hash: Base64 = strawberry.field(description="RFC 9162 tree hash. 树根哈希。")
    note: str = strawberry.field(
        description="The C2SP signed note: check it with the key served at"
        " /.well-known/tongban/audit-key. 签名文本。"
    )
    time: datetime = strawberry.field(description="When the hub signed it. 签名时间。")


@strawberry.type(description="RFC 9162 inclusion proof of one entry. 包含证明。")
class InclusionProof:
    leaf_index: int
    tree_size: int
    hashes: list[Base64]
    checkpoint: AuditCheckpoint = strawberry.field(description="The tree the proof is against.")


@strawberry.type(description="RFC 9162 consistency proof between two tree heads. 一致性证明。")
class ConsistencyProof:
    from_checkpoint: AuditCheckpoint
    to_checkpoint: AuditCheckpoint
    hashes: list[Base64]


@strawberry.input(description="Entries matching every filter given. 审计检索条件。")
class AuditFilter:
    subject: str | None = strawberry.field(default=None, description="Resident ID.")
    client_id: str | None = None
    purpose: str | None = None
    department: str | None = strawberry.field(default=None, description="e.g. police.")
    category: str | None = strawberry.field(default=None, description="e.g. health.")
    decision: str | None = strawberry.field(
        default=None, description="ALLOW, MASK, PREDICATE_ONLY or DENY, for any field."
    )
    since: datetime | None = strawberry.field(
        default=None, description="From this time on (UTC if no offset is given)."
    )
    until: datetime | None = strawberry.field(
        default=None, description="Before this time (UTC if no offset is given)."
    )


@strawberry.type(description="Who read your data, when, why and on which basis. 数据使用记录。")
class DataAccess:
    leaf_index: int
    time: datetime
    client_id: str
    client_name: str | None = strawberry.field(description="The portal or office that asked.")
    purpose: str
    legal_basis: str | None
    consent_id: str | None = strawberry.field(description="Your consent it relied on, if any.")
    fields: list[FieldDecision]
    outcome: str
