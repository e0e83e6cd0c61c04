"""Opening a store: the URL picks the backend, and every failure says what to fix."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from hub.errors import ConfigError, StoreError
from hub.store import Store, open_store


async def test_unsupported_scheme_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="scheme 'mysql' is not supported"):
        await open_store("mysql://hub@127.0.0.1/tongban")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite://host/hub.db"])
async def test_sqlite_url_without_a_file_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="sqlite:///<relative path>"):
        await open_store(url)


async def test_sqlite_file_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "hub.db"

    with pytest.raises(StoreError, match=f"SQLite database {path}: could not open"):
        await open_store(f"sqlite:///{path}")


async def test_unreachable_postgres_is_a_store_error_naming_host_and_port() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1 could not be reached") as raised:
        await open_store("postgresql://postgres:s3cret@127.0.0.1:1/x")

    assert "s3cret" not in str(raised.value)


async def test_malformed_postgres_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="PostgreSQL store URL is malformed"):
        await open_store("postgresql://postgres@127.0.0.1:port/tongban")


@pytest.mark.postgres
async def test_postgres_scheme_alias_opens_the_same_backend(postgres_url: str) -> None:
    store = await open_store(postgres_url.replace("postgresql://", "postgres://", 1))
    try:
        await store.ping()
    finally:
        await store.close()


async def test_open_store_answers_ping(store: Store) -> None:
    await store.ping()


@pytest.mark.postgres
async def test_ping_reports_a_lost_database_as_store_error(
    postgres_server: str, postgres_url: str
) -> None:
    store = await open_store(postgres_url)
    server = await asyncpg.connect(postgres_server)
    try:
        await server.execute(f"DROP DATABASE {postgres_url.rpartition('/')[2]} WITH (FORCE)")
        with pytest.raises(StoreError, match="could not answer a ping"):
            await store.ping()
    finally:
        await server.close()
        await store.close()
