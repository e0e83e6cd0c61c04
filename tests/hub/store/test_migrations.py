"""Migrations: applied once per database, however often and however concurrently it is opened."""

from __future__ import annotations

import asyncio

from hub.roles import Role
from hub.store import ConnectorStatus, open_store


async def test_reopening_keeps_the_data_and_migrates_nothing_twice(store_url: str) -> None:
    first = await open_store(store_url)
    added = await first.add_client("portal", Role.PORTAL, b"\x01" * 32)
    await first.close()

    second = await open_store(store_url)
    try:
        assert await second.list_clients() == [added]
    finally:
        await second.close()


async def test_hubs_opening_a_fresh_database_together_all_succeed(store_url: str) -> None:
    results = await asyncio.gather(
        *(open_store(store_url) for _ in range(4)), return_exceptions=True
    )
    opened = [result for result in results if not isinstance(result, BaseException)]
    try:
        assert results == opened
        await opened[0].put_connector("police", {}, ConnectorStatus.PENDING)
        assert [await store.registry_version() for store in opened] == [1, 1, 1, 1]
    finally:
        await asyncio.gather(*(store.close() for store in opened))
