"""The hand-written part of the schema; department domains are composed from manifests."""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="Where a domain's facts came from. 出处：数据来源部门与签名核验结果。")
class Provenance:
    department: str = strawberry.field(description="Department code, e.g. police. 来源部门。")
    issued_at: str = strawberry.field(
        description="When the department signed its answer (its own clock). 部门签发时间。"
    )
    fetched_at: datetime = strawberry.field(description="When the hub received it. 接收时间。")
    signature_verified: bool = strawberry.field(
        description="Whether the department's Ed25519 signature verified. 签名是否核验通过。"
    )
    key_id: str | None = strawberry.field(
        description="Which department key signed it (16 hex characters). 签名密钥标识。"
    )


@strawberry.type(description="How policy released one data category of a domain. 放行依据。")
class Release:
    category: str = strawberry.field(description="Data category, e.g. income. 数据类别。")
    decision: str = strawberry.field(
        description="ALLOW, MASK, PREDICATE_ONLY or DENY. 决定：放行、脱敏、仅核验、拒绝。"
    )
    legal_basis: str = strawberry.field(
        description="The purpose's legal basis and any law it rests on. 法律依据。"
    )
    consent_id: str | None = strawberry.field(
        description="The consent that released it, if it rests on one. 同意书编号。"
    )
