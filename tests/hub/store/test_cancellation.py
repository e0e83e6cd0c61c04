"""A write cancelled part way (a request whose client went away, a task stopped at shutdown)
leaves the store as usable as before: the next write goes through."""

from __future__ import annotations

import asyncio

import pytest

from hub.store import ConnectorStatus, Store


@pytest.mark.parametrize("turns", range(6))
async def test_a_write_cancelled_at_any_point_leaves_the_store_usable(
    store: Store, turns: int
) -> None:
    cancelled = asyncio.create_task(_add(store, f"cancelled-{turns}"))
    for _ in range(turns):
        await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)

    added = await asyncio.wait_for(_add(store, f"after-{turns}"), timeout=5)

    assert await store.get_connector(added) is not None


async def _add(store: Store, department: str) -> str:
    """A write that takes a transaction of several statements."""
    await store.put_connector(department.replace("-", "_"), {"v": 1}, ConnectorStatus.PENDING)
    return department.replace("-", "_")
