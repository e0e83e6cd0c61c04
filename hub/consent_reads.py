"""Reading consents for decisions, coalesced across concurrent requests.

Every request reads consents afresh (a revocation holds from the next request on, in every hub
process), but concurrent requests of one client and purpose share one query (``hub.coalescing``).
A request queued behind a query in flight waits for the next one, which starts after it arrived,
so it never decides on consents older than itself.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial

from hub.coalescing import Coalescer
from hub.store import ConsentRecord, Store


class CoalescedConsents:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._readers: dict[tuple[str, str], Coalescer[str, list[ConsentRecord]]] = {}

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        reader = self._readers.get((grantee, purpose))
        if reader is None:
            reader = Coalescer(partial(self._read, grantee, purpose))
            self._readers[grantee, purpose] = reader
        records = await reader.submit(list(subjects))
        wanted = set(subjects)
        return [record for record in records if record.subject in wanted]

    async def _read(self, grantee: str, purpose: str, subjects: list[str]) -> list[ConsentRecord]:
        return await self._store.consents_in_scope(grantee, purpose, set(subjects))
