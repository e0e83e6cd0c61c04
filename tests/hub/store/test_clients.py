"""API clients: found by the hash of their key while active, listed with their history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from hub.apikeys import hash_api_key, new_api_key
from hub.errors import StoreError
from hub.roles import Role
from hub.store import Store


def a_key_hash() -> bytes:
    return hash_api_key(new_api_key(Role.PORTAL))


async def test_added_client_is_found_by_its_key_hash(store: Store) -> None:
    key_hash = a_key_hash()
    added = await store.add_client("street office 12", Role.AUDITOR, key_hash)

    assert (added.name, added.role, added.revoked_at) == ("street office 12", Role.AUDITOR, None)
    assert await store.client_by_key_hash(key_hash) == added


async def test_unknown_key_hash_finds_no_client(store: Store) -> None:
    await store.add_client("portal", Role.PORTAL, a_key_hash())

    assert await store.client_by_key_hash(a_key_hash()) is None


async def test_clients_sharing_a_name_get_distinct_short_ids(store: Store) -> None:
    added = [await store.add_client("portal", Role.PORTAL, a_key_hash()) for _ in range(3)]

    ids = {client.id for client in added}
    assert len(ids) == 3
    assert all(re.fullmatch(r"cl_[A-Za-z0-9_-]{11}", client_id) for client_id in ids)


async def test_creation_time_is_aware_utc_and_survives_the_round_trip(store: Store) -> None:
    before = datetime.now(UTC)
    added = await store.add_client("portal", Role.PORTAL, a_key_hash())
    [listed] = await store.list_clients()

    assert listed.created_at == added.created_at
    assert listed.created_at.utcoffset() == timedelta(0)
    assert before <= listed.created_at <= datetime.now(UTC)


async def test_revoked_client_is_no_longer_found(store: Store) -> None:
    key_hash = a_key_hash()
    added = await store.add_client("portal", Role.PORTAL, key_hash)

    assert await store.revoke_client(added.id) is True
    assert await store.client_by_key_hash(key_hash) is None


async def test_revoking_again_or_an_unknown_id_changes_nothing(store: Store) -> None:
    added = await store.add_client("portal", Role.PORTAL, a_key_hash())
    await store.revoke_client(added.id)
    [revoked] = await store.list_clients()

    assert await store.revoke_client(added.id) is False
    assert await store.revoke_client("cl_nosuchclient") is False
    assert await store.list_clients() == [revoked]


async def test_list_keeps_revoked_clients_oldest_first(store: Store) -> None:
    first = await store.add_client("old portal", Role.PORTAL, a_key_hash())
    second = await store.add_client("new portal", Role.PORTAL, a_key_hash())
    await store.revoke_client(first.id)

    listed = await store.list_clients()

    assert [client.id for client in listed] == [first.id, second.id]
    assert listed[0].revoked_at is not None
    assert listed[0].revoked_at.utcoffset() == timedelta(0)
    assert listed[1] == second


async def test_a_key_hash_belongs_to_one_client_only(store: Store) -> None:
    key_hash = a_key_hash()
    await store.add_client("portal", Role.PORTAL, key_hash)

    with pytest.raises(StoreError, match="could not add a client"):
        await store.add_client("impostor", Role.ADMIN, key_hash)
