"""``tongban connectors``: register, approve, disable and list connectors on the store.

Whoever runs these holds the store already, so they act as an admin; the checks are the desk's,
the same as over GraphQL, and every hub process picks the change up within a registry poll.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from hub.connector_desk import OPERATOR, ConnectorDesk
from hub.errors import ManifestError
from hub.store import ConnectorRecord, Store
from policies.policy import load_policy


def _desk(store: Store, auto_approve: bool = False) -> ConnectorDesk:
    return ConnectorDesk(store, load_policy().categories.by_code.keys(), auto_approve)


async def register(store: Store, path: Path, approve: bool) -> ConnectorRecord:
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(str(path), "", f"cannot read: {exc}") from exc
    return await _desk(store, approve).register(OPERATOR, text, str(path))


async def approve(store: Store, department: str) -> ConnectorRecord:
    return await _desk(store).approve(OPERATOR, department)


async def disable(store: Store, department: str) -> ConnectorRecord:
    return await _desk(store).disable(OPERATOR, department)


async def show(store: Store, console: Console) -> None:
    table = Table("department", "status", "version", "updated", "transport")
    for record in await _desk(store).listed(OPERATOR):
        transport = record.manifest.get("transport", {})
        table.add_row(
            record.department,
            record.status.value,
            str(record.version),
            record.updated_at.isoformat(timespec="seconds"),
            f"{transport.get('kind')} {_target(transport)}",
        )
    console.print(table)


def _target(transport: dict[str, Any]) -> str:
    """Where a transport goes: its endpoint, its view or its plugin."""
    for key in ("endpoint", "view", "name"):
        if key in transport:
            return str(transport[key])
    return ""
