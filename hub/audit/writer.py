"""Appending audit entries on the request path, group-committed across concurrent requests.

Concurrent requests' entries share one transaction (``hub.coalescing``). A request waits until
its own entries are durable: no data leaves before its audit record, and if the store fails the
request fails closed with ``AUDIT_UNAVAILABLE``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hub.audit.leaf import AuditEntry, encode_leaf
from hub.coalescing import Coalescer
from hub.errors import AuditUnavailable, StoreError
from hub.store import Store
from hub.store.audit_records import AuditRow


class AuditWriter:
    def __init__(self, store: Store, on_commit: Callable[[], None] = lambda: None) -> None:
        self._store = store
        self._on_commit = on_commit
        self._commits: Coalescer[AuditRow, None] = Coalescer(self._commit)

    async def record(self, rows: Sequence[AuditRow]) -> None:
        """Return once every row is durable; raise ``AuditUnavailable`` if it cannot be."""
        if not rows:
            return
        try:
            await self._commits.submit(rows)
        except StoreError as exc:
            raise AuditUnavailable(f"audit log cannot be written: {exc.message}") from exc

    async def _commit(self, rows: list[AuditRow]) -> None:
        await self._store.append_audit_entries(rows)
        self._on_commit()


def audit_row(entry: AuditEntry, tags: frozenset[str]) -> AuditRow:
    """``entry`` as appended, with the labels an auditor searches it by (``department:police``,
    ``category:…``)."""
    return AuditRow(
        body=encode_leaf(entry),
        time=entry.time,
        request_id=entry.request_id,
        subject=entry.subject,
        client_id=entry.client_id,
        purpose=entry.purpose,
        tags=tags,
    )
