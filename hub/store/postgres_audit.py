"""The audit log's half of the PostgreSQL store, where several hub processes append at once.

Appends never contend: each takes its ids from a sequence and inserts. Sequencing is serialised
across processes by a transaction-level advisory lock, so exactly one sequencer at a time reads
the queue and gives the entries their leaf indices, and a crash anywhere rolls it all back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

import asyncpg

from hub.store import audit_search
from hub.store.audit_records import (
    AuditQuery,
    AuditRow,
    CheckpointRow,
    Integration,
    Integrator,
    NodeKey,
    PendingEntry,
    StoredEntry,
    TreeState,
    check_integration,
    frontier_keys,
    tag_set_key,
    tags_of,
)
from hub.store.audit_search import Condition
from hub.store.tag_sets import TagSetIds

# Any fixed number will do, distinct from the migration lock; it names the sequencer's lock.
_SEQUENCER_LOCK = 0x61756469746C6F67  # "auditlog"

# Ids are taken first, so that tags know their entry's id without relying on the order in which
# an INSERT assigns defaults or returns rows. Sorted, they follow the rows: a batch is sequenced in
# the order it was given.
_ALLOCATE_IDS = "SELECT ARRAY(SELECT nextval('audit_entries_id_seq') FROM generate_series(1, $1))"
_APPEND = """
    INSERT INTO audit_entries (id, body, time, request_id, subject, client_id, purpose, tag_set)
    SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::timestamptz[], $4::text[],
        $5::text[], $6::text[], $7::text[], $8::bigint[])
"""
# A set stored by another process concurrently is waited for, then found by the SELECT.
_STORE_TAG_SETS = """
    WITH new AS (
        INSERT INTO audit_tag_sets (tags) SELECT * FROM unnest($1::text[])
        ON CONFLICT (tags) DO NOTHING RETURNING id, tags
    ), members AS (
        INSERT INTO audit_set_tags (set_id, tag)
        SELECT new.id, tag FROM new, regexp_split_to_table(new.tags, E'\\n') AS tag
    )
    SELECT id, tags FROM new
    UNION ALL
    SELECT id, tags FROM audit_tag_sets WHERE tags = ANY($1::text[])
"""
_TAG_SETS = "SELECT id, tags FROM audit_tag_sets WHERE tags = ANY($1::text[])"
_QUEUE = "SELECT id, body FROM audit_entries WHERE leaf_index IS NULL ORDER BY id LIMIT $1"
_SIZE = "SELECT coalesce(max(leaf_index) + 1, 0) FROM audit_entries"
_SEQUENCE = """
    UPDATE audit_entries AS e SET leaf_index = $2 + queued.n - 1
    FROM unnest($1::bigint[]) WITH ORDINALITY AS queued (id, n) WHERE e.id = queued.id
"""
_INSERT_NODES = """
    INSERT INTO audit_nodes (level, idx, hash)
    SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bytea[])
"""
_NODES = """
    SELECT level, idx, hash FROM audit_nodes
    WHERE (level, idx) IN (SELECT * FROM unnest($1::integer[], $2::bigint[]))
"""
_CHECKPOINT = "SELECT size, root, note, time FROM audit_checkpoints"
_INSERT_CHECKPOINT = (
    "INSERT INTO audit_checkpoints (size, root, note, time) VALUES ($1, $2, $3, $4)"
)
_ENTRY = """
    SELECT e.leaf_index, e.body, e.time, e.request_id, e.subject, e.client_id, e.purpose,
        (SELECT s.tags FROM audit_tag_sets s WHERE s.id = e.tag_set) AS tags
    FROM audit_entries e
"""


class PostgresAuditLog:
    """Mixed into PostgresStore, whose ``_connection`` maps database failures to StoreError."""

    _connection: Callable[[str], AbstractAsyncContextManager[asyncpg.Connection]]
    _tag_sets: TagSetIds

    async def append_audit_entries(self, rows: Sequence[AuditRow]) -> None:
        async with self._connection("append audit entries") as conn:
            ids = sorted(await conn.fetchval(_ALLOCATE_IDS, len(rows)))
            keys = {row.tags: tag_set_key(row.tags) for row in rows}
            sets = await self._tag_set_ids(conn, set(keys.values()) - {""})
            await conn.execute(
                _APPEND,
                ids,
                [row.body for row in rows],
                [row.time for row in rows],
                [row.request_id for row in rows],
                [row.subject for row in rows],
                [row.client_id for row in rows],
                [row.purpose for row in rows],
                [sets.get(keys[row.tags]) for row in rows],
            )

    async def _tag_set_ids(self, conn: asyncpg.Connection, wanted: set[str]) -> dict[str, int]:
        """Each statement commits on its own, so what it stored or found is there for good."""
        known = self._tag_sets.known(wanted)
        if known is not None:
            return known
        keys = sorted(wanted)
        sets = {row["tags"]: row["id"] for row in await conn.fetch(_STORE_TAG_SETS, keys)}
        if missing := [key for key in keys if key not in sets]:
            # Stored by another process after this statement's snapshot: a fresh one sees it.
            found = await conn.fetch(_TAG_SETS, missing)
            sets.update({row["tags"]: row["id"] for row in found})
        self._tag_sets.learn(sets)
        return sets

    async def integrate_audit(self, limit: int, integrate: Integrator) -> Integration | None:
        async with self._connection("integrate audit entries") as conn, conn.transaction():
            # Held until commit or rollback; each later statement sees what the last holder
            # committed, since READ COMMITTED takes a fresh snapshot per statement.
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _SEQUENCER_LOCK)
            pending = [
                PendingEntry(row["id"], row["body"]) for row in await conn.fetch(_QUEUE, limit)
            ]
            if not pending:
                return None
            size: int = await conn.fetchval(_SIZE)
            last = await conn.fetchrow(f"{_CHECKPOINT} ORDER BY size DESC LIMIT 1")
            state = TreeState(
                size=size,
                last_checkpoint=None if last is None else _checkpoint(last),
                frontier=await _nodes(conn, frontier_keys(size)),
            )
            integration = integrate(state, pending)
            check_integration(state, pending, integration)
            await conn.execute(_SEQUENCE, [entry.id for entry in pending], size)
            await conn.execute(
                _INSERT_NODES,
                [level for level, _ in integration.nodes],
                [index for _, index in integration.nodes],
                list(integration.nodes.values()),
            )
            checkpoint = integration.checkpoint
            await conn.execute(
                _INSERT_CHECKPOINT,
                checkpoint.size,
                checkpoint.root,
                checkpoint.note,
                checkpoint.time,
            )
        return integration

    async def audit_checkpoint(self, size: int | None = None) -> CheckpointRow | None:
        async with self._connection("read an audit checkpoint") as conn:
            if size is None:
                row = await conn.fetchrow(f"{_CHECKPOINT} ORDER BY size DESC LIMIT 1")
            else:
                row = await conn.fetchrow(f"{_CHECKPOINT} WHERE size = $1", size)
        return None if row is None else _checkpoint(row)

    async def audit_checkpoints(
        self, after_size: int = 0, limit: int = 1000
    ) -> list[CheckpointRow]:
        async with self._connection("list audit checkpoints") as conn:
            rows = await conn.fetch(
                f"{_CHECKPOINT} WHERE size > $1 ORDER BY size LIMIT $2", after_size, limit
            )
        return [_checkpoint(row) for row in rows]

    async def audit_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        async with self._connection("read audit tree nodes") as conn:
            return await _nodes(conn, keys)

    async def audit_entry(self, leaf_index: int) -> StoredEntry | None:
        found = await self._entries("read an audit entry", audit_search.at(leaf_index), 1)
        return next(iter(found), None)

    async def search_audit(
        self, query: AuditQuery, after: int | None, limit: int
    ) -> list[StoredEntry]:
        return await self._entries("search the audit log", audit_search.search(query, after), limit)

    async def export_audit(self, start: int, limit: int) -> list[StoredEntry]:
        return await self._entries("export the audit log", audit_search.starting_at(start), limit)

    async def audit_backlog(self) -> int:
        async with self._connection("count queued audit entries") as conn:
            backlog: int = await conn.fetchval(
                "SELECT count(*) FROM audit_entries WHERE leaf_index IS NULL"
            )
        return backlog

    async def _entries(
        self, action: str, conditions: Sequence[Condition], limit: int
    ) -> list[StoredEntry]:
        where = " AND ".join(c.sql.format(f"${n}") for n, c in enumerate(conditions, 1))
        sql = f"{_ENTRY} WHERE {where} ORDER BY e.leaf_index LIMIT ${len(conditions) + 1}"
        async with self._connection(action) as conn:
            rows = await conn.fetch(sql, *(c.value for c in conditions), limit)
        return [_stored_entry(row) for row in rows]


async def _nodes(conn: asyncpg.Connection, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
    rows = await conn.fetch(_NODES, [level for level, _ in keys], [index for _, index in keys])
    return {(row["level"], row["idx"]): row["hash"] for row in rows}


def _checkpoint(row: asyncpg.Record) -> CheckpointRow:
    return CheckpointRow(size=row["size"], root=row["root"], note=row["note"], time=row["time"])


def _stored_entry(row: asyncpg.Record) -> StoredEntry:
    return StoredEntry(
        leaf_index=row["leaf_index"],
        body=row["body"],
        time=row["time"],
        request_id=row["request_id"],
        subject=row["subject"],
        client_id=row["client_id"],
        purpose=row["purpose"],
        tags=tags_of(row["tags"]),
    )
