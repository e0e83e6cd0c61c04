"""The ids of stored tag sets, remembered by the process that stored or found them.

An audit append names each entry's tag set by id, and finding the ids was one statement on
every append, on the request path. A tag set's row never changes once committed (no statement
updates or deletes one), so an id learnt from a committed transaction stays true for good; an
append that knows every set it names skips the statement.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

KEPT = 4096
"""Distinct tag sets remembered; past this the memory starts afresh (sets are few in practice:
one per combination of categories, decisions, departments and failures a query can leave)."""


class TagSetIds:
    def __init__(self, kept: int = KEPT) -> None:
        self._ids: dict[str, int] = {}
        self._kept = kept

    def known(self, keys: Collection[str]) -> dict[str, int] | None:
        """The id of every key, or None when any is not known here."""
        ids = self._ids
        if not all(key in ids for key in keys):
            return None
        return {key: ids[key] for key in keys}

    def learn(self, ids: Mapping[str, int]) -> None:
        """Only ids a committed transaction stored or read: a rolled-back insert's id is void."""
        if len(self._ids) + len(ids) > self._kept:
            self._ids.clear()
        self._ids.update(ids)
