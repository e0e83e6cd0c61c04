"""A citizen's client is bound to their resident ID, and the binding survives every read."""

from __future__ import annotations

from hub.apikeys import hash_api_key, new_api_key
from hub.roles import Role
from hub.store import Store

SUBJECT = "110101199003074518"


async def test_a_citizen_client_keeps_its_resident_id(store: Store) -> None:
    key_hash = hash_api_key(new_api_key(Role.CITIZEN))
    added = await store.add_client("王芳", Role.CITIZEN, key_hash, SUBJECT)

    assert added.subject == SUBJECT
    assert await store.client_by_key_hash(key_hash) == added
    assert await store.list_clients() == [added]


async def test_other_clients_are_bound_to_no_one(store: Store) -> None:
    key_hash = hash_api_key(new_api_key(Role.AUDITOR))
    added = await store.add_client("audit office", Role.AUDITOR, key_hash)

    assert added.subject is None
    assert await store.client_by_key_hash(key_hash) == added
