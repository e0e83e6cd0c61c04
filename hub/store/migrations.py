"""The schema, as ordered migrations with each backend's SQL side by side.

Both dialects must describe the same tables; they differ only in column types (SQLite keeps
timestamps as ISO 8601 text in UTC, JSON as text, bytes as BLOB). A released migration is never
edited: change the schema by appending one. Each backend applies every migration it has not yet
recorded in ``schema_migrations``, once, in its own transaction, under a lock that serialises
hub processes opening the same database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


# The ledger itself: created if missing by every open, under the same lock, never recorded.
SCHEMA_MIGRATIONS_SQLITE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TEXT NOT NULL
)"""
SCHEMA_MIGRATIONS_POSTGRES = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TIMESTAMPTZ NOT NULL
)"""

# registry_version is a one-row table, not a SEQUENCE: nextval is not transactional, so a poller
# could read the new number before the connector row commits, and then miss the change for good.
MIGRATIONS = (
    Migration(
        version=1,
        sqlite=(
            """CREATE TABLE api_clients (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                role        TEXT NOT NULL,
                key_hash    BLOB NOT NULL UNIQUE,
                created_at  TEXT NOT NULL,
                revoked_at  TEXT
            )""",
            """CREATE TABLE connectors (
                department  TEXT PRIMARY KEY,
                manifest    TEXT NOT NULL,
                status      TEXT NOT NULL,
                version     BIGINT NOT NULL,
                updated_at  TEXT NOT NULL
            )""",
            """CREATE TABLE registry_version (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL
            )""",
            "INSERT INTO registry_version (id, version) VALUES (1, 0)",
        ),
        postgres=(
            """CREATE TABLE api_clients (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                role        TEXT NOT NULL,
                key_hash    BYTEA NOT NULL UNIQUE,
                created_at  TIMESTAMPTZ NOT NULL,
                revoked_at  TIMESTAMPTZ
            )""",
            """CREATE TABLE connectors (
                department  TEXT PRIMARY KEY,
                manifest    JSONB NOT NULL,
                status      TEXT NOT NULL,
                version     BIGINT NOT NULL,
                updated_at  TIMESTAMPTZ NOT NULL
            )""",
            """CREATE TABLE registry_version (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                version     BIGINT NOT NULL
            )""",
            "INSERT INTO registry_version (id, version) VALUES (1, 0)",
        ),
    ),
)
