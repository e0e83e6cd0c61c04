"""The consents a hub process has read, kept while the store's consents version stands.

Every change to a consent replaces ``Store.consents_version`` in its own transaction, whichever
process made it, so a request that reads the version and finds it unchanged may decide on what
an earlier request read: a revocation still holds from the next request on, everywhere.
Reading the version is one indexed row (on SQLite, on the event loop), where reading consents
took a query over the subjects and a record built per row. Expiry needs no invalidation: records
are kept, not decisions, and every decision weighs them at its own time.

Records are read *after* the version, so what is kept under a version is never older than it: a
write landing in between bumps the version past the one they are kept under.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection

from hub.store import ConsentRecord

SUBJECTS_KEPT = 20_000
"""Grantee, purpose and subject triples kept, least recently used dropped first: some tens of
MB at most, and twenty batches of ``citizens`` at their largest."""

_Key = tuple[str, str, str]


class ConsentMemo:
    """Per hub process: the records of each grantee, purpose and subject, under one version."""

    def __init__(self, subjects_kept: int = SUBJECTS_KEPT) -> None:
        self._kept: OrderedDict[_Key, tuple[ConsentRecord, ...]] = OrderedDict()
        self._version: int | None = None
        self._subjects_kept = subjects_kept

    def recall(
        self, version: int, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord] | None:
        """Every consent of ``subjects`` in scope, if all of them are kept under ``version``."""
        if version != self._version:
            self._kept.clear()
            self._version = version
            return None
        records: list[ConsentRecord] = []
        for subject in dict.fromkeys(subjects):  # each once, as a query would answer
            key = (grantee, purpose, subject)
            own = self._kept.get(key)
            if own is None:
                return None
            self._kept.move_to_end(key)
            records += own
        return records

    def keep(
        self,
        version: int,
        grantee: str,
        purpose: str,
        subjects: Collection[str],
        records: Collection[ConsentRecord],
    ) -> None:
        """What one read under ``version`` found for ``subjects`` (none, for those absent)."""
        if version != self._version:  # the version moved on while this read was under way
            return
        own: dict[str, list[ConsentRecord]] = {subject: [] for subject in subjects}
        for record in records:
            own[record.subject].append(record)
        for subject, found in own.items():
            self._kept[grantee, purpose, subject] = tuple(found)
        while len(self._kept) > self._subjects_kept:
            self._kept.popitem(last=False)
