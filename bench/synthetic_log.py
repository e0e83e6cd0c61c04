"""A large audit log built quickly: S1 entries appended in big transactions through the hub's own
writer, each integrated by the hub's own integrator before the next is appended.

Entry ``n`` is the same in every build, on every backend, so two builds of one size under one key
have the same root.
"""

from __future__ import annotations

from functools import cache

from bench.audit_entries import s1_entries
from bench.subjects import synthetic_ids
from hub.audit.integrator import AuditIntegrator
from hub.audit.leaf import encode_leaf
from hub.audit.note import NoteSigner
from hub.audit.writer import AuditWriter, audit_row
from hub.store import Store

CHUNK = 10_000
"""Entries per append transaction; each chunk is integrated in the integrator's own batches, one
checkpoint each, as a hub catching up would."""
_SUBJECTS = 10_000


async def build_log(store: Store, signer: NoteSigner, size: int) -> None:
    """Grow the empty log in ``store`` to ``size`` entries, every one under a checkpoint."""
    writer = AuditWriter(store)
    integrator = AuditIntegrator(store, signer)
    for start in range(0, size, CHUNK):
        entries = s1_entries(_subjects(), start, min(CHUNK, size - start))
        await writer.record([audit_row(*entry) for entry in entries])
        while await integrator.integrate_once() is not None:
            pass


def leaf(index: int) -> bytes:
    """The leaf bytes of entry ``index``, to check a proof against."""
    [(entry, _)] = s1_entries(_subjects(), index, 1)
    return encode_leaf(entry)


@cache
def _subjects() -> list[str]:
    return synthetic_ids(_SUBJECTS)
