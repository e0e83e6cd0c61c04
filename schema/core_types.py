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
