"""Cursor pagination over the log: a cursor is the last leaf index a page showed.

Leaf indices never change and searches return entries in index order, so a cursor stays valid
for good, and paging on while entries are added neither skips nor repeats one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hub.errors import PageInvalid
from hub.store.audit_records import StoredEntry

MAX_PAGE = 500
DEFAULT_PAGE = 50


def page_start(after: str | None, first: int) -> int | None:
    """The last leaf index already seen, once ``after`` and ``first`` are found sound."""
    if not 1 <= first <= MAX_PAGE:
        raise PageInvalid(f"first must be 1 to {MAX_PAGE}, not {first}")
    if after is None:
        return None
    if not (after.isascii() and after.isdecimal() and len(after) <= 18):  # fits a bigint
        raise PageInvalid(f"{after!r} is not a cursor this field handed out")
    return int(after)


def page(
    found: Sequence[StoredEntry], first: int, item: Callable[[StoredEntry], dict[str, Any]]
) -> dict[str, Any]:
    """``found`` is up to ``first + 1`` entries: one more than shown tells a next page exists."""
    shown = found[:first]
    return {
        "entries": [item(entry) for entry in shown],
        "end_cursor": str(shown[-1].leaf_index) if shown else None,
        "has_next_page": len(found) > first,
    }
