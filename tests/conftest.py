"""Fixtures shared by the whole suite: real databases, fresh and isolated for every test, and
the event loops a test may ask to run on."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
import uvloop

from hub.store import Store, open_store

LOOPS: Mapping[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop,
    "uvloop": uvloop.new_event_loop,
}


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """asyncio's loop for every test; a test also runs on uvloop (the loop the hub serves on)
    when its ``asyncio`` mark names it in ``loop_factories``."""
    mark = item.get_closest_marker("asyncio")
    named = mark.kwargs.get("loop_factories", ()) if mark else ()
    return {name: LOOPS[name] for name in ("asyncio", *named)}


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a database on the test server, for creating and dropping others."""
    return os.environ.get(
        "TONGBAN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )


@pytest.fixture
async def postgres_url(postgres_server: str) -> AsyncIterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    try:
        server = await asyncpg.connect(postgres_server)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(
            "PostgreSQL tests need a server; set"
            f" TONGBAN_TEST_DATABASE_URL=postgresql://user@host:port/db ({exc})",
            pytrace=False,
        )
    name = f"tongban_test_{secrets.token_hex(6)}"
    try:
        await server.execute(f"CREATE DATABASE {name}")
        yield urlsplit(postgres_server)._replace(path=f"/{name}").geturl()
        await server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await server.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store of each backend in turn: contract tests run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    opened = await open_store(store_url)
    yield opened
    await opened.close()


@pytest.fixture
async def second_store(store_url: str, store: Store) -> AsyncIterator[Store]:
    """The same database as ``store``, opened again: another hub process, or the CLI."""
    opened = await open_store(store_url)
    yield opened
    await opened.close()
