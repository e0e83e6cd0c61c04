"""The store two hub processes share while departments join: the mock connectors approved, the
demo clients (portal, admin…), and one department client bound to each department code that is
to register."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hub.apikeys import hash_api_key, new_api_key
from hub.demo import issue_demo_keys, register_mock_connectors
from hub.roles import Role
from hub.store import open_store


@dataclass(frozen=True, slots=True)
class JoinKeys:
    portal: str
    admin: str
    departments: Mapping[str, str]
    """Department code → the key of a client bound to it."""


async def prepare_join(
    database_url: str, urls: Mapping[str, str], departments: Iterable[str]
) -> JoinKeys:
    store = await open_store(database_url)
    try:
        await register_mock_connectors(store, dict(urls))
        keys = await issue_demo_keys(store)
        bound: dict[str, str] = {}
        for department in departments:
            bound[department] = new_api_key(Role.DEPARTMENT)
            key_hash = hash_api_key(bound[department])
            await store.add_client(
                f"{department} registry", Role.DEPARTMENT, key_hash, department=department
            )
    finally:
        await store.close()
    return JoinKeys(keys[Role.PORTAL.value], keys[Role.ADMIN.value], bound)
