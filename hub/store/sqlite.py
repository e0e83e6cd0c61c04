"""The embedded SQLite store: zero setup, one file, for one hub process and the CLI beside it.

Timestamps are stored as fixed-width ISO 8601 text in UTC, so text order is time order.
Needs SQLite 3.24 or later (upsert).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import orjson

from hub.errors import ConfigError
from hub.roles import Role
from hub.store.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_SQLITE, Migration
from hub.store.records import (
    ClientRecord,
    ConnectorRecord,
    ConnectorStatus,
    ConsentRecord,
    new_client_id,
)
from hub.store.sqlite_audit import SqliteAuditLog
from hub.store.sqlite_connection import BUSY_TIMEOUT_MS, Operation, SqliteConnection
from hub.store.tag_sets import TagSetIds

_CLIENT = "SELECT id, name, role, created_at, revoked_at, subject, department FROM api_clients"
_CONNECTOR = "SELECT department, manifest, status, version, updated_at FROM connectors"
_CONSENT = (
    "SELECT id, subject, grantee, purpose, categories, valid_from, valid_until, created_at,"
    " revoked_at FROM consents"
)
_UPSERT_CONNECTOR = """
    INSERT INTO connectors (department, manifest, status, version, updated_at)
    VALUES (?, ?, ?, 1, ?)
    ON CONFLICT (department) DO UPDATE SET manifest = excluded.manifest,
        status = excluded.status, version = connectors.version + 1,
        updated_at = excluded.updated_at
"""


class SqliteStore(SqliteAuditLog):
    """A Store on one connection (``hub.store.sqlite_connection``): the request path's consent
    reads, client lookups and audit appends on the event loop, everything else on its thread."""

    def __init__(self, db: SqliteConnection) -> None:
        self._db = db
        self._tag_sets = TagSetIds()

    @classmethod
    async def open(cls, url: str) -> SqliteStore:
        """Open and migrate the file a URL names as SQLAlchemy does: ``sqlite:///relative/path``
        or ``sqlite:////absolute/path``."""
        store = cls(SqliteConnection(sqlite_file(url)))
        try:
            await store._db.read("configure the connection", _configure)
            for migration in MIGRATIONS:
                # BEGIN IMMEDIATE takes the file's write lock: it is also the migration lock.
                await store._db.write(
                    f"apply migration {migration.version}", partial(_migrate, migration)
                )
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def ping(self) -> None:
        await self._db.fetch("answer a ping", "SELECT 1", request_rows=1)

    async def add_client(
        self,
        name: str,
        role: Role,
        key_hash: bytes,
        subject: str | None = None,
        department: str | None = None,
    ) -> ClientRecord:
        client = ClientRecord(
            new_client_id(), name, role, datetime.now(UTC), None, subject, department
        )
        row = (
            *(client.id, name, role.value, key_hash, _text(client.created_at)),
            *(subject, department),
        )
        await self._db.write(
            "add a client",
            lambda db: db.execute(
                "INSERT INTO api_clients"
                " (id, name, role, key_hash, created_at, subject, department)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            ),
        )
        return client

    async def client_by_key_hash(self, key_hash: bytes) -> ClientRecord | None:
        rows = await self._db.fetch(
            "look up a client",
            f"{_CLIENT} WHERE key_hash = ? AND revoked_at IS NULL",
            (key_hash,),
            request_rows=1,
        )
        return next((_client(row) for row in rows), None)

    async def list_clients(self) -> list[ClientRecord]:
        rows = await self._db.fetch("list clients", f"{_CLIENT} ORDER BY created_at, id")
        return [_client(row) for row in rows]

    async def revoke_client(self, client_id: str) -> bool:
        revoked = await self._db.write(
            "revoke a client",
            _changes(
                "UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_text(datetime.now(UTC)), client_id),
            ),
        )
        return revoked == 1

    async def put_connector(
        self, department: str, manifest: Mapping[str, Any], status: ConnectorStatus
    ) -> ConnectorRecord:
        document = orjson.dumps(dict(manifest)).decode()

        def put(db: sqlite3.Connection) -> list[sqlite3.Row]:
            db.execute("UPDATE registry_version SET version = version + 1")
            db.execute(
                _UPSERT_CONNECTOR, (department, document, status.value, _text(datetime.now(UTC)))
            )
            return db.execute(f"{_CONNECTOR} WHERE department = ?", (department,)).fetchall()

        [row] = await self._db.write("register a connector", put)
        return _connector(row)

    async def get_connector(self, department: str) -> ConnectorRecord | None:
        rows = await self._db.fetch(
            "read a connector", f"{_CONNECTOR} WHERE department = ?", (department,)
        )
        return next((_connector(row) for row in rows), None)

    async def list_connectors(self) -> list[ConnectorRecord]:
        rows = await self._db.fetch("list connectors", f"{_CONNECTOR} ORDER BY department")
        return [_connector(row) for row in rows]

    async def registry_version(self) -> int:
        [row] = await self._db.fetch(
            "read the registry version", "SELECT version FROM registry_version", request_rows=1
        )
        version: int = row["version"]
        return version

    async def add_consent(
        self,
        *,
        subject: str,
        grantee: str,
        purpose: str,
        categories: Collection[str],
        valid_from: datetime,
        valid_until: datetime,
    ) -> ConsentRecord:
        consent = ConsentRecord.granted_now(
            subject, grantee, purpose, categories, valid_from, valid_until
        )
        row = (
            *(consent.id, subject, grantee, purpose),
            orjson.dumps(sorted(consent.categories)).decode(),
            *(_text(consent.valid_from), _text(consent.valid_until), _text(consent.created_at)),
        )
        await self._db.write(
            "add a consent",
            lambda db: db.execute(
                "INSERT INTO consents (id, subject, grantee, purpose, categories, valid_from,"
                " valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            ),
        )
        return consent

    async def get_consent(self, consent_id: str) -> ConsentRecord | None:
        rows = await self._db.fetch("read a consent", f"{_CONSENT} WHERE id = ?", (consent_id,))
        return next((_consent(row) for row in rows), None)

    async def list_consents(
        self, subject: str | None = None, grantee: str | None = None
    ) -> list[ConsentRecord]:
        narrowed = {"subject": subject, "grantee": grantee}
        given = {column: value for column, value in narrowed.items() if value is not None}
        where = "".join(f" AND {column} = ?" for column in given)
        rows = await self._db.fetch(
            "list consents",
            f"{_CONSENT} WHERE TRUE{where} ORDER BY created_at, id",
            tuple(given.values()),
        )
        return [_consent(row) for row in rows]

    async def revoke_consent(self, consent_id: str, at: datetime) -> bool:
        revoked = await self._db.write(
            "revoke a consent",
            _changes(
                "UPDATE consents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_text(at.astimezone(UTC)), consent_id),
            ),
        )
        return revoked == 1

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        # One JSON parameter instead of one per subject: a batch may name a thousand.
        rows = await self._db.fetch(
            "read consents",
            f"{_CONSENT} WHERE grantee = ? AND purpose = ?"
            " AND subject IN (SELECT value FROM json_each(?)) ORDER BY created_at, id",
            (grantee, purpose, orjson.dumps(list(subjects)).decode()),
            request_rows=len(subjects),
        )
        return [_consent(row) for row in rows]

    async def consents_version(self) -> int:
        [row] = await self._db.fetch(
            "read the consents version", "SELECT version FROM consents_version", request_rows=1
        )
        version: int = row["version"]
        return version


def _configure(db: sqlite3.Connection) -> None:
    _switch_to_wal(db)
    # With WAL, a commit survives a crash of the process; a power cut may undo the last few
    # commits, never corrupt the file.
    db.execute("PRAGMA synchronous = NORMAL")
    # The connection checkpoints on its thread (SqliteConnection), not inside a commit, which
    # may be running on the event loop.
    db.execute("PRAGMA wal_autocheckpoint = 0")


def _migrate(migration: Migration, db: sqlite3.Connection) -> None:
    db.execute(SCHEMA_MIGRATIONS_SQLITE)
    applied = db.execute(
        "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
    ).fetchall()
    if applied:
        return
    for statement in migration.sqlite:
        db.execute(statement)
    db.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
        (migration.version, _text(datetime.now(UTC))),
    )


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """Make readers and the writer never block each other (the file keeps the mode).

    SQLite fails this switch at once, ignoring busy_timeout, while another connection is
    switching the same file, as when two processes open a fresh file together; so retry for as
    long as busy_timeout would wait. Once the file is in WAL mode the switch is a no-op.
    """
    for retries_left in range(BUSY_TIMEOUT_MS // 50, -1, -1):
        try:
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or not retries_left:
                raise
            time.sleep(0.05)
        else:
            return


def sqlite_file(url: str) -> str:
    """The file a ``sqlite:///`` store URL names."""
    parts = urlsplit(url)
    path = parts.path[1:]
    if parts.netloc or not path or parts.query:
        raise ConfigError(
            "a SQLite store URL is sqlite:///<relative path> or sqlite:////<absolute path>"
        )
    return path


def _changes(sql: str, parameters: Sequence[object]) -> Operation[int]:
    """A statement, and how many rows it changed."""
    return lambda db: db.execute(sql, parameters).rowcount


def _text(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _client(row: sqlite3.Row) -> ClientRecord:
    revoked_at = row["revoked_at"]
    return ClientRecord(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        revoked_at=None if revoked_at is None else datetime.fromisoformat(revoked_at),
        subject=row["subject"],
        department=row["department"],
    )


def _connector(row: sqlite3.Row) -> ConnectorRecord:
    return ConnectorRecord(
        department=row["department"],
        manifest=orjson.loads(row["manifest"]),
        status=ConnectorStatus(row["status"]),
        version=row["version"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _consent(row: sqlite3.Row) -> ConsentRecord:
    revoked_at = row["revoked_at"]
    return ConsentRecord(
        id=row["id"],
        subject=row["subject"],
        grantee=row["grantee"],
        purpose=row["purpose"],
        categories=frozenset(orjson.loads(row["categories"])),
        valid_from=datetime.fromisoformat(row["valid_from"]),
        valid_until=datetime.fromisoformat(row["valid_until"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        revoked_at=None if revoked_at is None else datetime.fromisoformat(revoked_at),
    )
