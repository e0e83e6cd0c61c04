"""Writing the audit log out as an export file (hub/audit/export_format.py) for offline checks.

An export covers the tree of one checkpoint, normally the latest when it starts: entries go on
being appended and sequenced meanwhile, and none of that changes anything below the checkpoint.
It copies what the store holds and judges nothing: a damaged log must still export, so that the
verifier can show where the damage is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from hub.audit.export_format import HEADER, checkpoint_line, entry_line
from hub.store.audit_contract import AuditLogStore
from hub.store.audit_records import CheckpointRow

PAGE = 10_000


async def export_chunks(store: AuditLogStore, size: int) -> AsyncIterator[tuple[bytes, int]]:
    """The export of the tree of ``size`` leaves, in chunks of whole lines, each with the
    number of entries written so far (for progress)."""
    checkpoints = _checkpoints(store, size)
    upcoming = await anext(checkpoints, None)
    yield HEADER, 0
    start = 0
    while page := [e for e in await store.export_audit(start, PAGE) if e.leaf_index < size]:
        lines = []
        for entry in page:
            while upcoming is not None and upcoming.size <= entry.leaf_index:
                lines.append(checkpoint_line(upcoming.note))
                upcoming = await anext(checkpoints, None)
            lines.append(entry_line(entry.leaf_index, entry.body))
        start = page[-1].leaf_index + 1
        yield b"".join(lines), start
    tail = []
    while upcoming is not None:
        tail.append(checkpoint_line(upcoming.note))
        upcoming = await anext(checkpoints, None)
    yield b"".join(tail), size


async def _checkpoints(store: AuditLogStore, size: int) -> AsyncIterator[CheckpointRow]:
    """Every checkpoint of a tree up to ``size`` leaves, smallest first, a page at a time."""
    after = 0
    while rows := await store.audit_checkpoints(after, PAGE):
        for row in rows:
            if row.size > size:
                return
            yield row
        after = rows[-1].size
