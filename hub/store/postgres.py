"""The PostgreSQL store: for production, where several hub processes share one database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import orjson

from hub.errors import ConfigError, StoreError
from hub.roles import Role
from hub.store.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_POSTGRES
from hub.store.postgres_audit import PostgresAuditLog
from hub.store.records import (
    ClientRecord,
    ConnectorRecord,
    ConnectorStatus,
    ConsentRecord,
    new_client_id,
)
from hub.store.tag_sets import TagSetIds

_POOL_MIN_SIZE = 1
_POOL_MAX_SIZE = 10
# Any fixed number will do; it names Tongban's migration lock among the database's advisory locks.
_MIGRATION_LOCK = 0x746F6E6762616E  # "tongban"
# InternalClientError: what asyncpg raises on first use of a connection the server just closed.
_FAILURES = (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError)

_CLIENT = "SELECT id, name, role, created_at, revoked_at, subject, department FROM api_clients"
_CONNECTOR = "SELECT department, manifest, status, version, updated_at FROM connectors"
_CONSENT = (
    "SELECT id, subject, grantee, purpose, categories, valid_from, valid_until, created_at,"
    " revoked_at FROM consents"
)
_UPSERT_CONNECTOR = """
    INSERT INTO connectors (department, manifest, status, version, updated_at)
    VALUES ($1, $2, $3, 1, $4)
    ON CONFLICT (department) DO UPDATE SET manifest = excluded.manifest,
        status = excluded.status, version = connectors.version + 1,
        updated_at = excluded.updated_at
    RETURNING department, manifest, status, version, updated_at
"""


class PostgresStore(PostgresAuditLog):
    """A Store on an asyncpg pool."""

    def __init__(self, pool: asyncpg.Pool, address: str) -> None:
        self._pool = pool
        self._address = address
        self._tag_sets = TagSetIds()

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        """Connect to and migrate the database a ``postgresql://`` or ``postgres://`` URL names."""
        address = _address(url)
        try:
            pool = await asyncpg.create_pool(
                url, min_size=_POOL_MIN_SIZE, max_size=_POOL_MAX_SIZE, init=_use_orjson
            )
        except OSError as exc:
            raise StoreError(f"PostgreSQL at {address} could not be reached: {exc}") from exc
        except ValueError as exc:  # asyncpg's ClientConfigurationError is one too
            raise ConfigError(f"the PostgreSQL store URL is malformed: {exc}") from exc
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreError(f"PostgreSQL at {address} refused the connection: {exc}") from exc
        store = cls(pool, address)
        try:
            await store._migrate()
        except BaseException:
            await pool.close()
            raise
        return store

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self) -> None:
        async with self._connection("answer a ping") as conn:
            await conn.execute("SELECT 1")

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
        async with self._connection("add a client") as conn:
            await conn.execute(
                "INSERT INTO api_clients"
                " (id, name, role, key_hash, created_at, subject, department)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                client.id,
                name,
                role.value,
                key_hash,
                client.created_at,
                subject,
                department,
            )
        return client

    async def client_by_key_hash(self, key_hash: bytes) -> ClientRecord | None:
        async with self._connection("look up a client") as conn:
            row = await conn.fetchrow(
                f"{_CLIENT} WHERE key_hash = $1 AND revoked_at IS NULL", key_hash
            )
        return None if row is None else _client(row)

    async def list_clients(self) -> list[ClientRecord]:
        async with self._connection("list clients") as conn:
            rows = await conn.fetch(f"{_CLIENT} ORDER BY created_at, id")
        return [_client(row) for row in rows]

    async def revoke_client(self, client_id: str) -> bool:
        async with self._connection("revoke a client") as conn:
            revoked = await conn.fetchval(
                "UPDATE api_clients SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"
                " RETURNING id",
                client_id,
                datetime.now(UTC),
            )
        return revoked is not None

    async def put_connector(
        self, department: str, manifest: Mapping[str, Any], status: ConnectorStatus
    ) -> ConnectorRecord:
        async with self._connection("register a connector") as conn, conn.transaction():
            # Updating the one row also queues concurrent puts behind this one until it commits.
            await conn.execute("UPDATE registry_version SET version = version + 1")
            row = await conn.fetchrow(
                _UPSERT_CONNECTOR, department, dict(manifest), status.value, datetime.now(UTC)
            )
        return _connector(row)

    async def get_connector(self, department: str) -> ConnectorRecord | None:
        async with self._connection("read a connector") as conn:
            row = await conn.fetchrow(f"{_CONNECTOR} WHERE department = $1", department)
        return None if row is None else _connector(row)

    async def list_connectors(self) -> list[ConnectorRecord]:
        async with self._connection("list connectors") as conn:
            rows = await conn.fetch(f"{_CONNECTOR} ORDER BY department")
        return [_connector(row) for row in rows]

    async def registry_version(self) -> int:
        async with self._connection("read the registry version") as conn:
            version: int = await conn.fetchval("SELECT version FROM registry_version")
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
        async with self._connection("add a consent") as conn:
            await conn.execute(
                "INSERT INTO consents (id, subject, grantee, purpose, categories, valid_from,"
                " valid_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                consent.id,
                subject,
                grantee,
                purpose,
                sorted(consent.categories),
                consent.valid_from,
                consent.valid_until,
                consent.created_at,
            )
        return consent

    async def get_consent(self, consent_id: str) -> ConsentRecord | None:
        async with self._connection("read a consent") as conn:
            row = await conn.fetchrow(f"{_CONSENT} WHERE id = $1", consent_id)
        return None if row is None else _consent(row)

    async def list_consents(
        self, subject: str | None = None, grantee: str | None = None
    ) -> list[ConsentRecord]:
        narrowed = {"subject": subject, "grantee": grantee}
        given = {column: value for column, value in narrowed.items() if value is not None}
        where = "".join(f" AND {column} = ${n}" for n, column in enumerate(given, 1))
        async with self._connection("list consents") as conn:
            rows = await conn.fetch(
                f"{_CONSENT} WHERE TRUE{where} ORDER BY created_at, id", *given.values()
            )
        return [_consent(row) for row in rows]

    async def revoke_consent(self, consent_id: str, at: datetime) -> bool:
        async with self._connection("revoke a consent") as conn:
            revoked = await conn.fetchval(
                "UPDATE consents SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"
                " RETURNING id",
                consent_id,
                at,
            )
        return revoked is not None

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        async with self._connection("read consents") as conn:
            rows = await conn.fetch(
                f"{_CONSENT} WHERE grantee = $1 AND purpose = $2 AND subject = ANY($3::text[])"
                " ORDER BY created_at, id",
                grantee,
                purpose,
                list(subjects),
            )
        return [_consent(row) for row in rows]

    async def consents_version(self) -> int:
        async with self._connection("read the consents version") as conn:
            version: int = await conn.fetchval("SELECT version FROM consents_version")
        return version

    async def _migrate(self) -> None:
        for migration in MIGRATIONS:
            action = f"apply migration {migration.version}"
            async with self._connection(action) as conn, conn.transaction():
                # Held until commit: hub processes starting together migrate one at a time.
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                await conn.execute(SCHEMA_MIGRATIONS_POSTGRES)
                applied = await conn.fetchval(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", migration.version
                )
                if applied:
                    continue
                for statement in migration.postgres:
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    migration.version,
                    datetime.now(UTC),
                )

    @asynccontextmanager
    async def _connection(self, action: str) -> AsyncIterator[asyncpg.Connection]:
        try:
            async with self._pool.acquire() as conn:
                yield conn
        except _FAILURES as exc:
            raise StoreError(f"PostgreSQL at {self._address}: could not {action}: {exc}") from exc


async def _use_orjson(conn: asyncpg.Connection) -> None:
    """Let jsonb columns take and give Python objects, through the fastest JSON codec we have."""
    await conn.set_type_codec(
        "jsonb", schema="pg_catalog", encoder=_json_text, decoder=orjson.loads, format="text"
    )


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _address(url: str) -> str:
    """The host:port a URL names, for messages; never the credentials before it."""
    hosts = urlsplit(url).netloc.rpartition("@")[2] or "localhost"
    return hosts if ":" in hosts else f"{hosts}:5432"


def _client(row: asyncpg.Record) -> ClientRecord:
    return ClientRecord(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        subject=row["subject"],
        department=row["department"],
    )


def _connector(row: asyncpg.Record) -> ConnectorRecord:
    return ConnectorRecord(
        department=row["department"],
        manifest=row["manifest"],
        status=ConnectorStatus(row["status"]),
        version=row["version"],
        updated_at=row["updated_at"],
    )


def _consent(row: asyncpg.Record) -> ConsentRecord:
    return ConsentRecord(
        id=row["id"],
        subject=row["subject"],
        grantee=row["grantee"],
        purpose=row["purpose"],
        categories=frozenset(row["categories"]),
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )
