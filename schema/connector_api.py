"""``registerConnector``, ``approveConnector``, ``disableConnector`` and ``connectors``.

A department registers its own connector; an admin approves it, after which every hub process
composes it into the schema within a poll of the registry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from hub.store.records import ConnectorRecord
from schema.context import RequestContext

Info = strawberry.Info[RequestContext, None]


@strawberry.type(description="A department's registered connector. 部门连接器。")
class ConnectorInfo:
    department: str
    status: str = strawberry.field(description="PENDING, APPROVED or DISABLED. 审批状态。")
    version: int = strawberry.field(description="Counts the department's registrations.")
    updated_at: datetime
    manifest: JSON = strawberry.field(description="The manifest as registered. 注册清单。")


async def register_connector(
    info: Info,
    manifest: Annotated[
        str, strawberry.argument(description="The manifest, YAML or JSON. 连接器清单。")
    ],
) -> ConnectorInfo:
    """Register or update the caller's department connector; it waits for an admin's approval.
    注册或更新本部门连接器，待管理员审批。"""
    context = info.context
    return _typed(await context.connector_desk.register(context.caller, manifest, "manifest"))


async def approve_connector(info: Info, department: str) -> ConnectorInfo:
    """Admit a registered connector into the schema. 批准连接器。"""
    context = info.context
    return _typed(await context.connector_desk.approve(context.caller, department))


async def disable_connector(info: Info, department: str) -> ConnectorInfo:
    """Take a connector out of the schema; requests under way get SOURCE_DISABLED. 停用连接器。"""
    context = info.context
    return _typed(await context.connector_desk.disable(context.caller, department))


async def connectors(info: Info) -> list[ConnectorInfo]:
    """Every connector for an admin; its own for a department. 连接器列表。"""
    context = info.context
    return [_typed(record) for record in await context.connector_desk.listed(context.caller)]


def _typed(record: ConnectorRecord) -> ConnectorInfo:
    """A dict stands in for the type: the schema's default resolver reads dicts by Python name."""
    view = {
        "department": record.department,
        "status": record.status.value.upper(),
        "version": record.version,
        "updated_at": record.updated_at,
        "manifest": record.manifest,
    }
    return cast(ConnectorInfo, view)
