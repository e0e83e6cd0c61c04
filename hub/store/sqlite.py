"""The embedded SQLite store: zero setup, one file, for one hub process and the CLI beside it.

Timestamps are stored as fixed-width ISO 8601 text in UTC, so text order is time order.
Needs SQLite 3.24 or later (upsert).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Collection, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiosqlite
import orjson

from hub.errors import ConfigError, StoreError
from hub.roles import Role
from hub.store.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_SQLITE
from hub.store.records import (
    ClientRecord,
    ConnectorRecord,
    ConnectorStatus,
    ConsentRecord,
    new_client_id,
)
from hub.store.sqlite_audit import SqliteAuditLog

_BUSY_TIMEOUT_MS = 5000

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
    """A Store on one aiosqlite connection. A lock keeps this process's coroutines from
    interleaving inside one another's transactions on that shared connection."""

    def __init__(self, db: aiosqlite.Connection, path: str) -> None:
        self._db = db
        self._path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, url: str) -> SqliteStore:
        """Open and migrate the file a URL names as SQLAlchemy does: ``sqlite:///relative/path``
        or ``sqlite:////absolute/path``."""
        path = sqlite_file(url)
        with _failures(path, "open the database"):
            db = await aiosqlite.connect(path, isolation_level=None)
        db.row_factory = sqlite3.Row
        store = cls(db, path)
        try:
            await store._prepare()
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self._db.close()

    async def ping(self) -> None:
        async with self._session("answer a ping") as db:
            await db.execute("SELECT 1")

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
        async with self._session("add a client") as db:
            await db.execute(
                "INSERT INTO api_clients"
                " (id, name, role, key_hash, created_at, subject, department)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    client.id,
                    name,
                    role.value,
                    key_hash,
                    _text(client.created_at),
                    subject,
                    department,
                ),
            )
        return client

    async def client_by_key_hash(self, key_hash: bytes) -> ClientRecord | None:
        async with self._session("look up a client") as db:
            rows = await db.execute_fetchall(
                f"{_CLIENT} WHERE key_hash = ? AND revoked_at IS NULL", (key_hash,)
            )
        return next((_client(row) for row in rows), None)

    async def list_clients(self) -> list[ClientRecord]:
        async with self._session("list clients") as db:
            rows = await db.execute_fetchall(f"{_CLIENT} ORDER BY created_at, id")
        return [_client(row) for row in rows]

    async def revoke_client(self, client_id: str) -> bool:
        async with self._session("revoke a client") as db:
            cursor = await db.execute(
                "UPDATE api_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_text(datetime.now(UTC)), client_id),
            )
        return cursor.rowcount == 1

    async def put_connector(
        self, department: str, manifest: Mapping[str, Any], status: ConnectorStatus
    ) -> ConnectorRecord:
        document = orjson.dumps(dict(manifest)).decode()
        async with self._transaction("register a connector") as db:
            await db.execute("UPDATE registry_version SET version = version + 1")
            await db.execute(
                _UPSERT_CONNECTOR, (department, document, status.value, _text(datetime.now(UTC)))
            )
            [row] = await db.execute_fetchall(f"{_CONNECTOR} WHERE department = ?", (department,))
        return _connector(row)

    async def get_connector(self, department: str) -> ConnectorRecord | None:
        async with self._session("read a connector") as db:
            rows = await db.execute_fetchall(f"{_CONNECTOR} WHERE department = ?", (department,))
        return next((_connector(row) for row in rows), None)

    async def list_connectors(self) -> list[ConnectorRecord]:
        async with self._session("list connectors") as db:
            rows = await db.execute_fetchall(f"{_CONNECTOR} ORDER BY department")
        return [_connector(row) for row in rows]

    async def registry_version(self) -> int:
        async with self._session("read the registry version") as db:
            [row] = await db.execute_fetchall("SELECT version FROM registry_version")
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
        async with self._session("add a consent") as db:
            await db.execute(
                "INSERT INTO consents (id, subject, grantee, purpose, categories, valid_from,"
                " valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    consent.id,
                    subject,
                    grantee,
                    purpose,
                    orjson.dumps(sorted(consent.categories)).decode(),
                    _text(consent.valid_from),
                    _text(consent.valid_until),
                    _text(consent.created_at),
                ),
            )
        return consent

    async def get_consent(self, consent_id: str) -> ConsentRecord | None:
        async with self._session("read a consent") as db:
            rows = await db.execute_fetchall(f"{_CONSENT} WHERE id = ?", (consent_id,))
        return next((_consent(row) for row in rows), None)

    async def list_consents(
        self, subject: str | None = None, grantee: str | None = None
    ) -> list[ConsentRecord]:
        narrowed = {"subject": subject, "grantee": grantee}
        given = {column: value for column, value in narrowed.items() if value is not None}
        where = "".join(f" AND {column} = ?" for column in given)
        async with self._session("list consents") as db:
            rows = await db.execute_fetchall(
                f"{_CONSENT} WHERE TRUE{where} ORDER BY created_at, id", list(given.values())
            )
        return [_consent(row) for row in rows]

    async def revoke_consent(self, consent_id: str, at: datetime) -> bool:
        async with self._session("revoke a consent") as db:
            cursor = await db.execute(
                "UPDATE consents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_text(at.astimezone(UTC)), consent_id),
            )
        return cursor.rowcount == 1

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        # One JSON parameter instead of one per subject: a batch may name a thousand.
        async with self._session("read consents") as db:
            rows = await db.execute_fetchall(
                f"{_CONSENT} WHERE grantee = ? AND purpose = ?"
                " AND subject IN (SELECT value FROM json_each(?)) ORDER BY created_at, id",
                (grantee, purpose, orjson.dumps(list(subjects)).decode()),
            )
        return [_consent(row) for row in rows]

    async def _prepare(self) -> None:
        async with self._session("configure the connection") as db:
            # Wait for a write in another process (say, the CLI) instead of failing at once.
            await db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            await _switch_to_wal(db)
            # With WAL, a commit survives a crash of the process; a power cut may undo the last
            # few commits, never corrupt the file.
            await db.execute("PRAGMA synchronous = NORMAL")
        for migration in MIGRATIONS:
            # BEGIN IMMEDIATE takes the file's write lock: it is also the migration lock.
            async with self._transaction(f"apply migration {migration.version}") as db:
                await db.execute(SCHEMA_MIGRATIONS_SQLITE)
                applied = await db.execute_fetchall(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                )
                if applied:
                    continue
                for statement in migration.sqlite:
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (migration.version, _text(datetime.now(UTC))),
                )

    @asynccontextmanager
    async def _session(self, action: str) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            with _failures(self._path, action):
                yield self._db

    @asynccontextmanager
    async def _transaction(self, action: str) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction. IMMEDIATE takes the write lock up front, so two processes never
        deadlock each trying to upgrade a read lock."""
        async with self._session(action) as db:
            try:
                await db.execute("BEGIN IMMEDIATE")
                yield db
                await db.execute("COMMIT")
            except BaseException:
                # A statement whose caller was cancelled still runs on the connection's thread,
                # ahead of this one; only then is it known whether a transaction is open (a
                # BEGIN that ran, a COMMIT that failed) or not (some errors end it themselves).
                with suppress(sqlite3.OperationalError):
                    await db.execute("ROLLBACK")
                raise


async def _switch_to_wal(db: aiosqlite.Connection) -> None:
    """Make readers and the writer never block each other (the file keeps the mode).

    SQLite fails this switch at once, ignoring busy_timeout, while another connection is
    switching the same file, as when two processes open a fresh file together; so retry for as
    long as busy_timeout would wait. Once the file is in WAL mode the switch is a no-op.
    """
    for retries_left in range(_BUSY_TIMEOUT_MS // 50, -1, -1):
        try:
            await db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or not retries_left:
                raise
            await asyncio.sleep(0.05)
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


@contextmanager
def _failures(path: str, action: str) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"SQLite database {path}: could not {action}: {exc}") from exc


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
