"""A hub process decides on consents it remembers only while no consent anywhere has changed."""

from __future__ import annotations

from collections.abc import Collection

from hub.consent_reads import CoalescedConsents
from hub.store import ConsentRecord, Store
from tests.support.consents import CITIZEN, GRANTEE, NEIGHBOUR, NOW, PURPOSE, grant


async def test_asking_again_unchanged_answers_alike_without_a_query(store: Store) -> None:
    added = await grant(store)
    consents = CoalescedConsents(store)

    first = await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN, NEIGHBOUR])
    again = await consents.consents_in_scope(GRANTEE, PURPOSE, [NEIGHBOUR, CITIZEN])

    assert first == again == [added]
    assert consents.reads == 1


async def test_a_subject_not_yet_read_is_queried(store: Store) -> None:
    added = await grant(store, subject=NEIGHBOUR)
    consents = CoalescedConsents(store)
    await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN])

    assert await consents.consents_in_scope(GRANTEE, PURPOSE, [NEIGHBOUR]) == [added]
    assert await consents.consents_in_scope(GRANTEE, "OTHER_PURPOSE", [NEIGHBOUR]) == []
    assert consents.reads == 3


async def test_a_grant_through_the_same_store_holds_at_the_next_call(store: Store) -> None:
    consents = CoalescedConsents(store)
    assert await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN]) == []

    added = await grant(store)

    assert await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN]) == [added]


async def test_a_revocation_through_another_process_holds_at_the_next_call(
    store: Store, second_store: Store
) -> None:
    added = await grant(second_store)
    consents = CoalescedConsents(store)
    [seen] = await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN])
    assert seen.revoked_at is None

    await second_store.revoke_consent(added.id, NOW)

    [seen] = await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN])
    assert seen.revoked_at == NOW
    assert consents.reads == 2


class RevokedBehindTheRead:
    """A store whose first consents read is followed, before it returns, by a revocation through
    another process: the records read are already stale when the memo keeps them."""

    def __init__(self, store: Store, elsewhere: Store, consent_id: str) -> None:
        self._store = store
        self._elsewhere = elsewhere
        self._consent_id: str | None = consent_id

    async def consents_version(self) -> int:
        return await self._store.consents_version()

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        records = await self._store.consents_in_scope(grantee, purpose, subjects)
        if self._consent_id is not None:
            await self._elsewhere.revoke_consent(self._consent_id, NOW)
            self._consent_id = None
        return records


async def test_a_revocation_landing_during_a_read_holds_at_the_next_call(
    store: Store, second_store: Store
) -> None:
    added = await grant(second_store)
    consents = CoalescedConsents(RevokedBehindTheRead(store, second_store, added.id))
    [seen] = await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN])
    assert seen.revoked_at is None

    [seen] = await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN])

    assert seen.revoked_at == NOW


async def test_a_subject_named_twice_is_answered_once(store: Store) -> None:
    added = await grant(store)
    consents = CoalescedConsents(store)

    assert await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN, CITIZEN]) == [added]
    assert await consents.consents_in_scope(GRANTEE, PURPOSE, [CITIZEN, CITIZEN]) == [added]
