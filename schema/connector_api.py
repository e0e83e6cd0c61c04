"""``registerConnector``, ``approveConnector``, ``disableConnector`` and ``connectors``.

A department registers its own connector; an admin approves it, after which every hub process
composes it into the schema within a poll of the registry. The ``connectors`` query also shows
each running connector's circuit breaker, as the process that answers sees it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from connectors.breaker import CircuitView
from connectors.connector import Connector
from connectors.registry import ConnectorRegistry
from hub.store.records import ConnectorRecord
from schema.context import RequestContext

Info = strawberry.Info[RequestContext, None]


@strawberry.type(description="A connector's circuit breaker in this hub process. 熔断状态。")
class Circuit:
    state: str = strawberry.field(
        description="CLOSED (asked), OPEN (not asked until the next probe) or HALF_OPEN (the "
        "probe is out). 闭合、断开或半开。"
    )
    consecutive_failures: int = strawberry.field(
        description="Failed calls in a row. 连续失败次数。"
    )
    last_failure: str | None = strawberry.field(
        description="Why the last call failed. 最近失败原因。"
    )
    last_failure_at: datetime | None


@strawberry.type(description="A department's registered connector. 部门连接器。")
class ConnectorInfo:
    department: str
    status: str = strawberry.field(description="PENDING, APPROVED or DISABLED. 审批状态。")
    version: int = strawberry.field(description="Counts the department's registrations.")
    updated_at: datetime
    manifest: JSON = strawberry.field(description="The manifest as registered. 注册清单。")
    circuit: Circuit | None = strawberry.field(
        description="Its circuit breaker in the hub process that answers (each keeps its own); "
        "null where that process does not run it, and in mutation results. 熔断状态。"
    )


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


class ConnectorList:
    """The ``connectors`` query of one composed schema, which knows that schema's connectors."""

    def __init__(self, registry: ConnectorRegistry) -> None:
        self._running = registry.connectors

    async def connectors(self, info: Info) -> list[ConnectorInfo]:
        """Every connector for an admin; its own for a department. 连接器列表。"""
        context = info.context
        records = await context.connector_desk.listed(context.caller)
        return [_typed(record, self._running.get(record.department)) for record in records]


def _typed(record: ConnectorRecord, running: Connector | None = None) -> ConnectorInfo:
    """A dict stands in for the type: the schema's default resolver reads dicts by Python name."""
    view = {
        "department": record.department,
        "status": record.status.value.upper(),
        "version": record.version,
        "updated_at": record.updated_at,
        "manifest": record.manifest,
        "circuit": None if running is None else _circuit(running.circuit),
    }
    return cast(ConnectorInfo, view)


def _circuit(view: CircuitView) -> Circuit:
    return cast(
        Circuit,
        {
            "state": view.state.value.upper(),
            "consecutive_failures": view.consecutive_failures,
            "last_failure": view.last_failure,
            "last_failure_at": view.last_failure_at,
        },
    )
