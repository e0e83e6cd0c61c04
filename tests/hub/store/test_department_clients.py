"""A department's client is bound to its department code, and the binding survives every read."""

from __future__ import annotations

from hub.apikeys import hash_api_key, new_api_key
from hub.roles import Role
from hub.store import Store


async def test_a_department_client_keeps_its_department(store: Store) -> None:
    key_hash = hash_api_key(new_api_key(Role.DEPARTMENT))
    added = await store.add_client("tax bureau", Role.DEPARTMENT, key_hash, department="tax")

    assert added.department == "tax"
    assert await store.client_by_key_hash(key_hash) == added
    assert await store.list_clients() == [added]


async def test_other_clients_speak_for_no_department(store: Store) -> None:
    key_hash = hash_api_key(new_api_key(Role.PORTAL))
    added = await store.add_client("portal", Role.PORTAL, key_hash)

    assert added.department is None
    assert await store.client_by_key_hash(key_hash) == added
