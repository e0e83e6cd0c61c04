"""The SQLite store's connection: request-path operations run on the event loop, yet a lock held
by another process never stalls the loop, and the WAL is checkpointed though no commit does it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.store import open_store
from hub.store.audit_records import AuditRow
from hub.store.sqlite import SqliteStore
from hub.store.sqlite_connection import CHECKPOINT_EVERY


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = await open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    assert isinstance(opened, SqliteStore)
    yield opened
    await opened.close()


async def test_an_append_waits_off_the_loop_while_another_process_holds_the_write_lock(
    sqlite_store: SqliteStore, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "hub.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(tick())
    appending = asyncio.create_task(sqlite_store.append_audit_entries([_row("while-locked")]))
    await asyncio.sleep(0.3)
    assert not appending.done()  # waiting for the lock, not failed at once
    threading.Thread(target=other.execute, args=("COMMIT",)).start()
    await asyncio.wait_for(appending, timeout=5)
    ticking.cancel()

    assert ticks >= 20  # the loop ran on while the append waited
    assert await sqlite_store.audit_backlog() == 1
    other.close()


async def test_the_wal_stays_bounded_though_no_commit_checkpoints_it(
    sqlite_store: SqliteStore, tmp_path: Path
) -> None:
    wal = tmp_path / "hub.db-wal"
    for round_ in range(4):
        for n in range(CHECKPOINT_EVERY):
            await sqlite_store.append_audit_entries([_row(f"{round_}-{n}")])
        await asyncio.sleep(0.05)  # the checkpoint runs on the connection's thread
        if round_ == 0:
            after_first = wal.stat().st_size

    assert wal.stat().st_size <= after_first * 1.5
    assert await sqlite_store.audit_backlog() == 4 * CHECKPOINT_EVERY


def _row(request_id: str) -> AuditRow:
    return AuditRow(
        body=b'{"v":1}',
        time=datetime.now(UTC),
        request_id=request_id,
        subject="110101199003074518",
        client_id="portal",
        purpose="CITIZEN_PROFILE",
        tags=frozenset({"department:police"}),
    )
