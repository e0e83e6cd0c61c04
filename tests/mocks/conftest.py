"""Mock departments served over real sockets in the session's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import aiohttp
import pytest

from mocks.app import create_app
from mocks.departments import DEPARTMENTS
from mocks.population import Population, build_population
from tests.support.servers import serving

SIZE = 2_000


@pytest.fixture(scope="session")
def population() -> Population:
    return build_population(SIZE, seed=0)


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(scope="session")
async def urls(population: Population) -> AsyncIterator[dict[str, str]]:
    """Department name → base URL of a fault-free mock serving it."""
    async with AsyncExitStack() as stack:
        yield {
            name: await stack.enter_async_context(serving(create_app(name, population)))
            for name in DEPARTMENTS
        }
