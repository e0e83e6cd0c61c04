"""Searching the audit log: each filter narrows, a cursor pages, only sequenced entries count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta, timezone

import pytest

from hub.store import Store
from hub.store.audit_records import AuditQuery, AuditRow, StoredEntry
from tests.hub.store.auditing import T0, audit_row, sequence_all

ALICE, BOB = "110101199003074518", "310104198512120027"
OFFICE, RELIEF = "cl_office", "TEMPORARY_RELIEF"
HEALTH, DENY = "category:health", "decision:DENY"
AT_3S, AT_6S = T0 + timedelta(seconds=3), T0 + timedelta(seconds=6)

# Row n is logged n seconds after T0, as leaf n; every filter below keeps some rows, drops others.
LOG = [
    audit_row(0, subject=ALICE, tags=frozenset({HEALTH})),
    audit_row(1, subject=BOB, client_id=OFFICE),
    audit_row(2, subject=ALICE, client_id=OFFICE, tags=frozenset({HEALTH, DENY})),
    audit_row(3, subject=ALICE, purpose=RELIEF, tags=frozenset({DENY})),
    audit_row(4, subject=BOB, purpose=RELIEF, tags=frozenset({HEALTH})),
    audit_row(5, subject=ALICE, client_id=OFFICE, purpose=RELIEF),
    audit_row(6, subject=ALICE, tags=frozenset({HEALTH, DENY, "department:hrss"})),
    audit_row(7, subject=BOB, client_id=OFFICE, tags=frozenset({HEALTH, DENY})),
]

Matches = Callable[[AuditRow], bool]
FILTERS: dict[str, tuple[AuditQuery, Matches]] = {
    "subject": (AuditQuery(subject=ALICE), lambda row: row.subject == ALICE),
    "client": (AuditQuery(client_id=OFFICE), lambda row: row.client_id == OFFICE),
    "purpose": (AuditQuery(purpose=RELIEF), lambda row: row.purpose == RELIEF),
    "a tag": (AuditQuery(tags=frozenset({DENY})), lambda row: DENY in row.tags),
    "every tag": (
        AuditQuery(tags=frozenset({HEALTH, DENY})),
        lambda row: {HEALTH, DENY} <= row.tags,
    ),
    "time from, inclusive": (AuditQuery(time_from=AT_3S), lambda row: row.time >= AT_3S),
    "time to, exclusive": (AuditQuery(time_to=AT_3S), lambda row: row.time < AT_3S),
    "all at once": (
        AuditQuery(
            subject=ALICE,
            client_id=OFFICE,
            tags=frozenset({HEALTH}),
            time_from=T0 + timedelta(seconds=1),
            time_to=AT_6S,
        ),
        lambda row: (
            row.subject == ALICE
            and row.client_id == OFFICE
            and HEALTH in row.tags
            and T0 + timedelta(seconds=1) <= row.time < AT_6S
        ),
    ),
}


@pytest.fixture
async def logged(store: Store) -> Store:
    await store.append_audit_entries(LOG)
    await sequence_all(store)
    return store


def indices(entries: list[StoredEntry]) -> list[int]:
    return [entry.leaf_index for entry in entries]


async def test_each_filter_keeps_exactly_the_matching_entries(logged: Store) -> None:
    for name, (query, matches) in FILTERS.items():
        expected = [n for n, row in enumerate(LOG) if matches(row)]
        assert 0 < len(expected) < len(LOG), f"{name} must narrow the log to mean anything"

        assert indices(await logged.search_audit(query, None, 100)) == expected, name


async def test_an_empty_query_finds_every_entry_in_index_order(logged: Store) -> None:
    found = await logged.search_audit(AuditQuery(), None, 100)

    assert indices(found) == list(range(len(LOG)))
    assert [entry.body for entry in found] == [row.body for row in LOG]


async def test_time_bounds_in_another_zone_mean_the_same_instants(logged: Store) -> None:
    beijing = timezone(timedelta(hours=8))
    query = AuditQuery(time_from=AT_3S.astimezone(beijing), time_to=AT_6S.astimezone(beijing))

    assert indices(await logged.search_audit(query, None, 100)) == [3, 4, 5]


async def test_the_cursor_pages_through_every_match_once(logged: Store) -> None:
    query = AuditQuery(subject=ALICE)
    pages = [await logged.search_audit(query, None, 2)]
    while pages[-1]:
        pages.append(await logged.search_audit(query, pages[-1][-1].leaf_index, 2))

    assert [len(page) for page in pages] == [2, 2, 1, 0]
    assert [n for page in pages for n in indices(page)] == indices(
        await logged.search_audit(query, None, 100)
    )


async def test_queued_entries_are_not_found_until_sequenced(store: Store) -> None:
    await store.append_audit_entries(LOG)

    assert await store.search_audit(AuditQuery(subject=ALICE), None, 100) == []
    await sequence_all(store)
    assert len(await store.search_audit(AuditQuery(subject=ALICE), None, 100)) == 5
