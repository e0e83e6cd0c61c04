"""Persistent state behind one contract: embedded SQLite by default, PostgreSQL to share it."""

from __future__ import annotations

from urllib.parse import urlsplit

from hub.errors import ConfigError
from hub.store.contract import Store
from hub.store.postgres import PostgresStore
from hub.store.records import ClientRecord, ConnectorRecord, ConnectorStatus, ConsentRecord
from hub.store.sqlite import SqliteStore

__all__ = [
    "ClientRecord",
    "ConnectorRecord",
    "ConnectorStatus",
    "ConsentRecord",
    "Store",
    "open_store",
]


async def open_store(url: str) -> Store:
    """Open the store a URL names, its scheme choosing the backend, migrated and ready to use."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError as exc:
        raise ConfigError(f"store URL is malformed: {exc}") from exc
    if scheme == "sqlite":
        return await SqliteStore.open(url)
    if scheme in ("postgresql", "postgres"):
        return await PostgresStore.open(url)
    raise ConfigError(
        f"store URL scheme {scheme!r} is not supported:"
        " use sqlite:///<path> or postgresql://<user>@<host>:<port>/<database>"
    )
