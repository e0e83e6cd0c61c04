"""What the store keeps of the audit log, as opaque bytes plus the columns an auditor searches by.

The store never hashes, parses or signs: hub/audit decides what the bytes are. It only keeps the
log's one order (queue, then sequence) and hands the sequencer what it needs to extend the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TypeAlias

NodeKey: TypeAlias = tuple[int, int]
"""``(level, index)`` of a perfect subtree: the hash of the ``2**level`` leaves from leaf
``index * 2**level`` on. It never changes once the tree holds those leaves, so it is stored for
good; level 0 holds the leaf hashes."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An audit entry as appended: its leaf bytes, exactly, and copies of what searches filter on,
    so that a search never parses leaves. ``time`` must be aware; it comes back in UTC."""

    body: bytes
    time: datetime
    request_id: str
    subject: str
    client_id: str
    purpose: str
    tags: frozenset[str]
    """Searchable labels such as ``category:health`` or ``decision:DENY``."""

    def __post_init__(self) -> None:
        _require_aware(self.time, "an audit entry's time")


@dataclass(frozen=True, slots=True)
class StoredEntry(AuditRow):
    """An appended entry once sequenced: ``leaf_index`` is its place in the log, for good."""

    leaf_index: int


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """An appended entry awaiting its leaf index; ``id`` orders the queue."""

    id: int
    body: bytes


@dataclass(frozen=True, slots=True)
class CheckpointRow:
    """A tree head as signed: ``note`` is the signed note's text, ``root`` the tree hash."""

    size: int
    root: bytes
    note: str
    time: datetime


@dataclass(frozen=True, slots=True)
class TreeState:
    """The tree as the sequencer resumes it, with no read-back beyond its right edge:
    ``frontier`` holds the hashes of ``frontier_keys(size)``."""

    size: int
    last_checkpoint: CheckpointRow | None
    frontier: Mapping[NodeKey, bytes]


@dataclass(frozen=True, slots=True)
class Integration:
    """What a sequencing step adds: the perfect-subtree hashes the new leaves completed, and
    the checkpoint of the grown tree."""

    new_size: int
    nodes: Mapping[NodeKey, bytes]
    checkpoint: CheckpointRow

    def __post_init__(self) -> None:
        if self.checkpoint.size != self.new_size:
            raise ValueError(
                f"a checkpoint of size {self.checkpoint.size} cannot head a tree of {self.new_size}"
            )


Integrator: TypeAlias = Callable[[TreeState, list[PendingEntry]], Integration]
"""Extends the tree by the pending entries, in their order: pure and quick, since the store calls
it inside the transaction that holds the sequencing lock."""


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which sequenced entries a search returns: those matching every filter given, the time in
    ``[time_from, time_to)``."""

    subject: str | None = None
    client_id: str | None = None
    purpose: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    time_from: datetime | None = None
    time_to: datetime | None = None

    def __post_init__(self) -> None:
        for bound in (self.time_from, self.time_to):
            if bound is not None:
                _require_aware(bound, "a search's time bound")


@lru_cache(maxsize=1024)
def tag_set_key(tags: frozenset[str]) -> str:
    """How a set of tags is stored: sorted, one per line (a tag never holds a newline). Kept per
    set: entries of one kind carry the same set request after request, and checking and sorting
    a dozen tags cost some 35 µs of an append after the hub has been idle a few milliseconds."""
    if any("\n" in tag for tag in tags):
        raise ValueError("an audit tag cannot contain a newline")
    return "\n".join(sorted(tags))


def tags_of(key: str | None) -> frozenset[str]:
    return frozenset(key.split("\n")) if key else frozenset()


def frontier_keys(size: int) -> list[NodeKey]:
    """The perfect subtrees tiling leaves ``[0, size)``, largest first: one per set bit of size."""
    keys = []
    start = 0
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            keys.append((level, start >> level))
            start += 1 << level
    return keys


def check_integration(
    state: TreeState, pending: list[PendingEntry], integration: Integration
) -> None:
    """Refuse, before anything is written, an integration that does not grow the tree by exactly
    the pending entries: its checkpoint would describe leaves the log does not hold."""
    expected = state.size + len(pending)
    if integration.new_size != expected:
        raise ValueError(
            f"integrating {len(pending)} entries into a tree of {state.size} gives {expected}"
            f" leaves, not {integration.new_size}"
        )


def _require_aware(moment: datetime, what: str) -> None:
    if moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
