"""Appending: entries queue durably and exactly as given, from any number of hub processes."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from hub.errors import StoreError
from hub.store import Store, open_store
from hub.store.audit_records import AuditRow
from tests.hub.store.auditing import T0, audit_row, sequence_all


async def test_appended_entries_wait_in_the_backlog_until_sequenced(store: Store) -> None:
    await store.append_audit_entries([audit_row(n) for n in range(3)])
    await store.append_audit_entries([audit_row(3)])

    assert await store.audit_backlog() == 4
    await sequence_all(store)
    assert await store.audit_backlog() == 0


async def test_appending_nothing_changes_nothing(store: Store) -> None:
    await store.append_audit_entries([])

    assert await store.audit_backlog() == 0


async def test_an_entry_comes_back_exactly_as_appended(store: Store) -> None:
    appended = AuditRow(
        body=b"\x00\xff leaf bytes, not text \xc3\x28",
        time=datetime(2024, 5, 1, 16, 30, 0, 250001, tzinfo=timezone(timedelta(hours=8))),
        request_id="9b2f6c1e",
        subject="110101199003074518",
        client_id="cl_portal",
        purpose="LOW_INCOME_REVIEW",
        tags=frozenset({"department:police", "category:health", "decision:DENY"}),
    )
    await store.append_audit_entries([appended])
    await sequence_all(store)

    stored = await store.audit_entry(0)

    assert stored is not None
    assert (stored.body, stored.request_id, stored.tags) == (
        appended.body,
        appended.request_id,
        appended.tags,
    )
    assert (stored.subject, stored.client_id, stored.purpose) == (
        appended.subject,
        appended.client_id,
        appended.purpose,
    )
    assert stored.time == appended.time
    assert stored.time.utcoffset() == timedelta(0)


def test_an_entry_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        audit_row(0, time=datetime(2024, 5, 1, 8, 30))


async def test_appends_from_two_hub_processes_interleave_without_loss(
    store: Store, store_url: str
) -> None:
    other = await open_store(store_url)
    try:
        batches = [[audit_row(10 * b + n) for n in range(10)] for b in range(20)]
        await asyncio.gather(
            *(
                (store if b % 2 else other).append_audit_entries(batch)
                for b, batch in enumerate(batches)
            )
        )
        await sequence_all(store)

        exported = await other.export_audit(0, 1000)
    finally:
        await other.close()
    assert [entry.leaf_index for entry in exported] == list(range(200))
    appended = sorted(row.body for batch in batches for row in batch)
    assert sorted(entry.body for entry in exported) == appended


async def test_a_batch_is_sequenced_in_the_order_given(store: Store) -> None:
    rows = [audit_row(n, time=T0 - timedelta(seconds=n)) for n in (5, 1, 4, 2, 3)]
    await store.append_audit_entries(rows)
    await sequence_all(store)

    exported = await store.export_audit(0, 10)

    assert [entry.body for entry in exported] == [row.body for row in rows]


async def test_tag_sets_stored_by_another_hub_process_come_back_right(
    store: Store, store_url: str
) -> None:
    other = await open_store(store_url)
    try:
        tag_sets = [frozenset({f"department:d{n}", "decision:ALLOW"}) for n in range(4)]
        for n, tags in enumerate(tag_sets):  # each process meets sets the other stored first
            await (store if n % 2 else other).append_audit_entries([audit_row(n, tags=tags)])
            await (other if n % 2 else store).append_audit_entries([audit_row(10 + n, tags=tags)])
        await sequence_all(store)

        exported = await store.export_audit(0, 100)
    finally:
        await other.close()
    by_body = {entry.body: entry.tags for entry in exported}
    for n, tags in enumerate(tag_sets):
        assert by_body[audit_row(n).body] == by_body[audit_row(10 + n).body] == tags


async def test_a_tag_set_stored_by_a_failed_append_is_not_taken_for_stored(
    store: Store, store_url: str
) -> None:
    """The append's entry is refused after its new tag set was written in the same transaction:
    whatever became of that set, the next append with the same tags must come back with them."""
    tags = frozenset({"category:health", "outcome:SOURCE_TIMEOUT"})
    await _refuse_subject(store_url, REFUSED)
    with pytest.raises(StoreError):
        await store.append_audit_entries([audit_row(0, subject=REFUSED, tags=tags)])

    await store.append_audit_entries([audit_row(1, tags=tags)])
    await sequence_all(store)

    exported = await store.export_audit(0, 10)
    assert [(entry.body, entry.tags) for entry in exported] == [(audit_row(1).body, tags)]


REFUSED = "110101200001011232"


async def _refuse_subject(store_url: str, subject: str) -> None:
    """A trigger in the database itself refuses any entry about ``subject``."""
    if store_url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(store_url.removeprefix("sqlite:///"))) as db:
            db.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries"
                f" WHEN NEW.subject = '{subject}'"
                " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
            db.commit()
        return
    conn = await asyncpg.connect(store_url)
    try:
        await conn.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF NEW.subject = '{subject}' THEN RAISE 'refused by the test'; END IF;"
            " RETURN NEW; END $$"
        )
        await conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON audit_entries"
            " FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    finally:
        await conn.close()
