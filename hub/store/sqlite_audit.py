"""The audit log's half of the SQLite store.

Every write runs under BEGIN IMMEDIATE, which takes the file's write lock: it serialises appends
and makes the sequencer one at a time across every process that opens the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

import orjson

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
from hub.store.sqlite_connection import SqliteConnection
from hub.store.tag_sets import TagSetIds

_INSERT_ENTRY = """
    INSERT INTO audit_entries (body, time, request_id, subject, client_id, purpose, tag_set)
    VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_QUEUE = "SELECT id, body FROM audit_entries WHERE leaf_index IS NULL ORDER BY id LIMIT ?"
_SIZE = "SELECT coalesce(max(leaf_index) + 1, 0) FROM audit_entries"
# One JSON parameter, however many keys: SQLite caps the number of parameters.
_NODES = """
    SELECT level, idx, hash FROM audit_nodes
    WHERE (level, idx) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))
"""
_CHECKPOINT = "SELECT size, root, note, time FROM audit_checkpoints"
_ENTRY = """
    SELECT e.leaf_index, e.body, e.time, e.request_id, e.subject, e.client_id, e.purpose,
        (SELECT s.tags FROM audit_tag_sets s WHERE s.id = e.tag_set) AS tags
    FROM audit_entries e
"""


class SqliteAuditLog:
    """Mixed into SqliteStore, whose connection runs each operation whole, one at a time, and
    maps database failures to StoreError."""

    _db: SqliteConnection
    _tag_sets: TagSetIds

    async def append_audit_entries(self, rows: Sequence[AuditRow]) -> None:
        keys = {row.tags: tag_set_key(row.tags) for row in rows}
        wanted = set(keys.values()) - {""}
        known = self._tag_sets.known(wanted)

        def append(db: sqlite3.Connection) -> dict[str, int]:
            # A null id is the largest so far plus one: under the write lock, the rows take ids
            # in this order, the order the sequencer gives them leaves in.
            sets = _tag_set_ids(db, wanted) if known is None else known
            db.executemany(
                _INSERT_ENTRY,
                [
                    (
                        *(row.body, _utc_text(row.time), row.request_id, row.subject),
                        *(row.client_id, row.purpose, sets.get(keys[row.tags])),
                    )
                    for row in rows
                ],
            )
            return sets

        sets = await self._db.write("append audit entries", append, request_rows=len(rows))
        if known is None:  # committed: the sets it stored are there for good
            self._tag_sets.learn(sets)

    async def integrate_audit(self, limit: int, integrate: Integrator) -> Integration | None:
        def integrating(db: sqlite3.Connection) -> Integration | None:
            queued = db.execute(_QUEUE, (limit,)).fetchall()
            pending = [PendingEntry(row["id"], row["body"]) for row in queued]
            if not pending:
                return None
            [[size]] = db.execute(_SIZE).fetchall()
            last = db.execute(f"{_CHECKPOINT} ORDER BY size DESC LIMIT 1").fetchall()
            state = TreeState(
                size=size,
                last_checkpoint=next((_checkpoint(row) for row in last), None),
                frontier=_nodes(db, frontier_keys(size)),
            )
            integration = integrate(state, pending)
            check_integration(state, pending, integration)
            db.executemany(
                "UPDATE audit_entries SET leaf_index = ? WHERE id = ?",
                [(size + n, entry.id) for n, entry in enumerate(pending)],
            )
            db.executemany(
                "INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)",
                [(level, index, hash_) for (level, index), hash_ in integration.nodes.items()],
            )
            checkpoint = integration.checkpoint
            db.execute(
                "INSERT INTO audit_checkpoints (size, root, note, time) VALUES (?, ?, ?, ?)",
                (checkpoint.size, checkpoint.root, checkpoint.note, _utc_text(checkpoint.time)),
            )
            return integration

        return await self._db.write("integrate audit entries", integrating)

    async def audit_checkpoint(self, size: int | None = None) -> CheckpointRow | None:
        action = "read an audit checkpoint"
        if size is None:
            rows = await self._db.fetch(action, f"{_CHECKPOINT} ORDER BY size DESC LIMIT 1")
        else:
            rows = await self._db.fetch(action, f"{_CHECKPOINT} WHERE size = ?", (size,))
        return next((_checkpoint(row) for row in rows), None)

    async def audit_checkpoints(
        self, after_size: int = 0, limit: int = 1000
    ) -> list[CheckpointRow]:
        rows = await self._db.fetch(
            "list audit checkpoints",
            f"{_CHECKPOINT} WHERE size > ? ORDER BY size LIMIT ?",
            (after_size, limit),
        )
        return [_checkpoint(row) for row in rows]

    async def audit_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        return await self._db.read("read audit tree nodes", partial(_nodes, keys=keys))

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
        [[backlog]] = await self._db.fetch(
            "count queued audit entries",
            "SELECT count(*) FROM audit_entries WHERE leaf_index IS NULL",
        )
        return int(backlog)

    async def _entries(
        self, action: str, conditions: Sequence[Condition], limit: int
    ) -> list[StoredEntry]:
        where = " AND ".join(c.sql.format("?") for c in conditions)
        values = [
            _utc_text(c.value) if isinstance(c.value, datetime) else c.value for c in conditions
        ]
        sql = f"{_ENTRY} WHERE {where} ORDER BY e.leaf_index LIMIT ?"
        rows = await self._db.fetch(action, sql, [*values, limit])
        return [_stored_entry(row) for row in rows]


def _nodes(db: sqlite3.Connection, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
    rows = db.execute(_NODES, (orjson.dumps(list(keys)).decode(),)).fetchall()
    return {(row["level"], row["idx"]): row["hash"] for row in rows}


def _utc_text(moment: datetime) -> str:
    """Audit times come from callers in any zone; stored as UTC text, text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _tag_set_ids(db: sqlite3.Connection, keys: set[str]) -> dict[str, int]:
    """The id of each tag set, stored now if new (the caller holds the write lock); an empty set
    has none, and its entries no tag_set, so it is never asked for."""
    found = db.execute(
        "SELECT id, tags FROM audit_tag_sets WHERE tags IN (SELECT value FROM json_each(?))",
        (orjson.dumps(sorted(keys)).decode(),),
    ).fetchall()
    ids = {row["tags"]: row["id"] for row in found}
    for key in sorted(keys - ids.keys()):
        cursor = db.execute("INSERT INTO audit_tag_sets (tags) VALUES (?)", (key,))
        ids[key] = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT INTO audit_set_tags (set_id, tag) VALUES (?, ?)",
            [(ids[key], tag) for tag in key.split("\n")],
        )
    return ids


def _checkpoint(row: sqlite3.Row) -> CheckpointRow:
    return CheckpointRow(
        size=row["size"],
        root=row["root"],
        note=row["note"],
        time=datetime.fromisoformat(row["time"]),
    )


def _stored_entry(row: sqlite3.Row) -> StoredEntry:
    return StoredEntry(
        leaf_index=row["leaf_index"],
        body=row["body"],
        time=datetime.fromisoformat(row["time"]),
        request_id=row["request_id"],
        subject=row["subject"],
        client_id=row["client_id"],
        purpose=row["purpose"],
        tags=tags_of(row["tags"]),
    )
