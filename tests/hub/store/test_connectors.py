"""The connector registry: one row per department, versioned, with a global change counter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hub.store import ConnectorStatus, Store

POLICE: dict[str, Any] = {
    "department": "police",
    "fields": [{"name": "household_address", "label": "户籍地址", "category": "household"}],
    "transport": {"kind": "http", "url": "http://127.0.0.1:9001/batch", "timeout_ms": 800},
}


async def test_put_connector_is_read_back_as_written(store: Store) -> None:
    put = await store.put_connector("police", POLICE, ConnectorStatus.PENDING)

    assert (put.department, put.manifest, put.status, put.version) == (
        "police",
        POLICE,
        ConnectorStatus.PENDING,
        1,
    )
    assert put.updated_at.utcoffset() == timedelta(0)
    assert await store.get_connector("police") == put


async def test_unregistered_department_has_no_connector(store: Store) -> None:
    await store.put_connector("police", POLICE, ConnectorStatus.APPROVED)

    assert await store.get_connector("tax") is None


async def test_putting_again_replaces_the_row_and_bumps_its_version(store: Store) -> None:
    first = await store.put_connector("police", POLICE, ConnectorStatus.PENDING)
    slower = {**POLICE, "transport": {**POLICE["transport"], "timeout_ms": 1500}}

    again = await store.put_connector("police", slower, ConnectorStatus.APPROVED)

    assert (again.manifest, again.status, again.version) == (slower, ConnectorStatus.APPROVED, 2)
    assert again.updated_at >= first.updated_at
    assert await store.list_connectors() == [again]


async def test_every_put_bumps_the_registry_version(store: Store) -> None:
    start = await store.registry_version()

    await store.put_connector("police", POLICE, ConnectorStatus.PENDING)
    await store.put_connector("housing", {"department": "housing"}, ConnectorStatus.PENDING)
    await store.put_connector("police", POLICE, ConnectorStatus.APPROVED)

    assert await store.registry_version() == start + 3


async def test_connectors_are_listed_by_department(store: Store) -> None:
    for department in ("police", "health", "hrss"):
        await store.put_connector(department, {"department": department}, ConnectorStatus.PENDING)

    listed = await store.list_connectors()

    assert [connector.department for connector in listed] == ["health", "hrss", "police"]
