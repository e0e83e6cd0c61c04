"""Values kept by the identity of the objects they were worked out from.

A cached document's nodes, and the schema's types, are the same objects request after request:
their ids name what was worked out from them, where hashing the trees would cost more than the
work. An entry holds its objects, so an id in its key is never reused while it is kept; when
full, the cache starts afresh, so the bound holds whatever the documents are.
"""

from __future__ import annotations

from typing import Generic, TypeVar

Value = TypeVar("Value")


class IdentityCache(Generic[Value]):
    def __init__(self, kept: int) -> None:
        self._kept = kept
        self._entries: dict[tuple[int, ...], tuple[tuple[object, ...], Value]] = {}

    def find(self, objects: tuple[object, ...]) -> tuple[Value] | None:
        """``(value,)`` as kept for exactly these objects, or None: a kept value may be None."""
        entry = self._entries.get(tuple(map(id, objects)))
        return None if entry is None else (entry[1],)

    def keep(self, objects: tuple[object, ...], value: Value) -> None:
        if len(self._entries) >= self._kept:
            self._entries.clear()
        self._entries[tuple(map(id, objects))] = (objects, value)
