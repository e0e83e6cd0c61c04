"""Consents: granted, listed, revoked and looked up by scope, alike on both backends."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta, timezone

import asyncpg
import pytest

from hub.errors import StoreError
from hub.store import Store
from hub.store.sqlite import sqlite_file
from tests.support.consents import CITIZEN, DAY, NEIGHBOUR, NOW, grant

BEIJING = timezone(timedelta(hours=8))


async def test_granted_consent_is_read_back_as_written(store: Store) -> None:
    added = await grant(store, categories=("basic", "income"))

    assert (added.subject, added.grantee, added.purpose, added.categories) == (
        CITIZEN,
        "cl_portal",
        "TEMPORARY_ASSISTANCE",
        frozenset({"basic", "income"}),
    )
    assert added.revoked_at is None
    assert re.fullmatch(r"cs_[A-Za-z0-9_-]{16}", added.id)
    assert await store.get_consent(added.id) == added


async def test_unknown_consent_is_not_found(store: Store) -> None:
    await grant(store)

    assert await store.get_consent("cs_nosuchconsent0") is None


async def test_times_in_any_zone_come_back_as_the_same_moments_in_utc(store: Store) -> None:
    start = datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=BEIJING)
    added = await store.add_consent(
        subject=CITIZEN,
        grantee="cl_portal",
        purpose="CITIZEN_PROFILE",
        categories=["basic"],
        valid_from=start,
        valid_until=start + 365 * DAY,
    )

    [listed] = await store.list_consents()

    assert listed == added
    assert (listed.valid_from, listed.valid_from.utcoffset()) == (start, timedelta(0))
    assert listed.created_at.utcoffset() == timedelta(0)


async def test_consent_ending_before_it_begins_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="could not add a consent"):
        await grant(store, days=(5, 1))


async def test_list_is_oldest_first_and_narrowed_by_subject_and_grantee(store: Store) -> None:
    first = await grant(store)
    second = await grant(store, grantee="cl_street_office")
    third = await grant(store, subject=NEIGHBOUR)

    assert await store.list_consents() == [first, second, third]
    assert await store.list_consents(subject=CITIZEN) == [first, second]
    assert await store.list_consents(grantee="cl_portal") == [first, third]
    assert await store.list_consents(subject=CITIZEN, grantee="cl_street_office") == [second]


async def test_revoked_consent_keeps_its_record_with_the_time_of_revocation(store: Store) -> None:
    added = await grant(store)
    at = datetime(2025, 3, 2, 9, 0, tzinfo=BEIJING)

    assert await store.revoke_consent(added.id, at) is True

    [listed] = await store.list_consents()
    assert listed.revoked_at == at
    assert listed.revoked_at is not None
    assert listed.revoked_at.utcoffset() == timedelta(0)


async def test_revoking_again_or_an_unknown_id_changes_nothing(store: Store) -> None:
    added = await grant(store)
    await store.revoke_consent(added.id, NOW)
    [revoked] = await store.list_consents()

    assert await store.revoke_consent(added.id, NOW + DAY) is False
    assert await store.revoke_consent("cs_nosuchconsent0", NOW) is False
    assert await store.list_consents() == [revoked]


async def test_scope_lookup_finds_every_consent_of_the_subjects_to_that_grantee_and_purpose(
    store: Store,
) -> None:
    active = await grant(store)
    expired = await grant(store, days=(-30, -1))
    revoked = await grant(store)
    await store.revoke_consent(revoked.id, NOW)
    neighbours = await grant(store, subject=NEIGHBOUR)
    await grant(store, grantee="cl_other_portal")
    await grant(store, purpose="CITIZEN_PROFILE")
    await grant(store, subject="110105200001010012")

    found = await store.consents_in_scope("cl_portal", "TEMPORARY_ASSISTANCE", [CITIZEN, NEIGHBOUR])

    assert [c.id for c in found] == [active.id, expired.id, revoked.id, neighbours.id]


async def test_scope_lookup_takes_a_whole_batch_of_subjects(store: Store) -> None:
    added = await grant(store)
    batch = [f"1101051950010{n:04d}X" for n in range(1_000)] + [CITIZEN]

    assert await store.consents_in_scope("cl_portal", "TEMPORARY_ASSISTANCE", batch) == [added]
    assert await store.consents_in_scope("cl_portal", "TEMPORARY_ASSISTANCE", []) == []


async def test_revocation_through_one_hub_is_seen_by_another_at_its_next_call(
    store: Store, second_store: Store
) -> None:
    added = await grant(store)
    [seen] = await second_store.consents_in_scope("cl_portal", "TEMPORARY_ASSISTANCE", [CITIZEN])
    assert seen.revoked_at is None

    await store.revoke_consent(added.id, NOW)

    [seen] = await second_store.consents_in_scope("cl_portal", "TEMPORARY_ASSISTANCE", [CITIZEN])
    assert seen.revoked_at == NOW


async def test_every_consent_change_replaces_the_consents_version(store: Store) -> None:
    start = await store.consents_version()
    added = await grant(store)
    granted = await store.consents_version()

    await store.revoke_consent(added.id, NOW)

    assert start != granted != await store.consents_version()


async def test_a_write_that_changes_no_consent_leaves_the_version(store: Store) -> None:
    added = await grant(store)
    await store.revoke_consent(added.id, NOW)
    start = await store.consents_version()

    assert not await store.revoke_consent(added.id, NOW)
    assert not await store.revoke_consent("cs_unknown", NOW)
    with pytest.raises(StoreError):
        await grant(store, days=(5, 1))
    await store.consents_in_scope("cl_portal", "TEMPORARY_ASSISTANCE", [CITIZEN])

    assert await store.consents_version() == start


async def test_a_consent_changed_by_plain_sql_replaces_the_version_too(
    store_url: str, store: Store
) -> None:
    """An operator's SQL, or a hub of an older release during an upgrade, writes past the store's
    code: the database itself replaces the version."""
    added = await grant(store)
    start = await store.consents_version()

    await plain_sql(store_url, f"DELETE FROM consents WHERE id = '{added.id}'")

    assert await store.consents_version() != start


async def plain_sql(store_url: str, statement: str) -> None:
    if store_url.startswith("sqlite"):
        with sqlite3.connect(sqlite_file(store_url)) as db:
            db.execute(statement)
        return
    connection = await asyncpg.connect(store_url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
