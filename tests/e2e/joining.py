"""A department joining a running hub, as the end-to-end tests drive it: a department client,
its registration, an admin's decision, and waiting for the schema to show it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from hub.apikeys import hash_api_key, new_api_key
from hub.roles import Role
from hub.store import Store
from tests.e2e.conftest import HubClient

SWAP_WAIT_SECONDS = 10.0
"""How long a test waits for a swap before failing: generous, as speed is bench/'s business."""

REGISTER = """
mutation Register($manifest: String!) {
  registerConnector(manifest: $manifest) { department status version }
}
"""
DECIDE = 'mutation {{ {action}(department: "tax") {{ status version }} }}'


async def department_key(store: Store, department: str) -> str:
    key = new_api_key(Role.DEPARTMENT)
    await store.add_client(
        f"{department} bureau", Role.DEPARTMENT, hash_api_key(key), department=department
    )
    return key


async def data(hub: HubClient, query: str, variables: dict[str, Any], role: str) -> Any:
    status, body = await hub.post(query, variables, role=role)
    assert status == 200, body
    assert "errors" not in body, body
    return body["data"]


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(SWAP_WAIT_SECONDS):
        while not await check():  # noqa: ASYNC110 — the state is in another process
            await asyncio.sleep(0.02)


async def has_tax(hub: HubClient) -> bool:
    _, body = await hub.post('{ __type(name: "Citizen") { fields { name } } }')
    return "tax" in {field["name"] for field in body["data"]["__type"]["fields"]}
