"""An empty store for one measurement: a new SQLite file, or a scratch PostgreSQL database.

Starting empty makes every run measure the same thing, whatever earlier runs or the tests (which
share the PostgreSQL server) left behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bench.errors import BenchFailed
from hub.errors import TongbanError
from hub.store import Store, open_store

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
POSTGRES_SERVER_URL = os.environ.get(
    "TONGBAN_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
"""A database to connect to while creating and dropping the scratch ones beside it."""


@contextlib.asynccontextmanager
async def fresh_store(backend: str) -> AsyncIterator[Store]:
    """An empty, migrated store of ``backend``; gone when the block ends."""
    async with fresh_url(backend) as url:
        try:
            store = await open_store(url)
        except TongbanError as error:
            raise BenchFailed(f"cannot open the {backend} store: {error.message}") from error
        try:
            yield store
        finally:
            await store.close()


@contextlib.asynccontextmanager
async def fresh_url(backend: str) -> AsyncIterator[str]:
    """The URL of a new, empty database of ``backend`` (not yet migrated: whoever opens it first
    does); gone when the block ends."""
    if backend == POSTGRESQL:
        name = f"tongban_bench_{secrets.token_hex(4)}"
        await _on_server(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(POSTGRES_SERVER_URL)._replace(path=f"/{name}"))
        finally:
            await _on_server(f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory(prefix="tongban-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'tongban.db'}"


async def _on_server(statement: str) -> None:
    try:
        connection = await asyncpg.connect(POSTGRES_SERVER_URL)
    except (OSError, asyncpg.PostgresError) as exc:
        raise BenchFailed(
            f"PostgreSQL at {POSTGRES_SERVER_URL} is unreachable ({exc}); start it, or name"
            " another server in TONGBAN_BENCH_DATABASE_URL"
        ) from exc
    try:
        await connection.execute(statement)
    except asyncpg.PostgresError as exc:
        raise BenchFailed(f"PostgreSQL refused {statement!r}: {exc}") from exc
    finally:
        await connection.close()
