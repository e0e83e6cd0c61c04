"""Appending audit entries on the request path, group-committed across concurrent requests.

When no commit is in flight, entries go to the store on the next turn of the event loop; while
one is, they queue and the queue is committed as one transaction when it returns. A request waits
until its own entries are durable: no data leaves before its audit record, and if the store
fails the request fails closed with ``AUDIT_UNAVAILABLE``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from hub.audit.leaf import AuditEntry, encode_leaf
from hub.errors import AuditUnavailable, StoreError
from hub.store import Store
from hub.store.audit_records import AuditRow

Tagged = tuple[AuditEntry, frozenset[str]]
"""An entry and the labels an auditor searches it by (``department:police``, ``category:…``)."""


class AuditWriter:
    def __init__(self, store: Store, on_commit: Callable[[], None] = lambda: None) -> None:
        self._store = store
        self._on_commit = on_commit
        self._queue: list[tuple[list[AuditRow], asyncio.Future[None]]] = []
        self._busy = False

    async def record(self, entries: Sequence[Tagged]) -> None:
        """Return once every entry is durable; raise ``AuditUnavailable`` if it cannot be."""
        if not entries:
            return
        rows = [_row(entry, tags) for entry, tags in entries]
        future = asyncio.get_running_loop().create_future()
        self._queue.append((rows, future))
        if not self._busy:
            self._busy = True
            asyncio.get_running_loop().call_soon(self._flush)
        await future

    def _flush(self) -> None:
        batch, self._queue = self._queue, []
        if not batch:
            self._busy = False
            return
        task = asyncio.get_running_loop().create_task(self._commit(batch))
        task.add_done_callback(lambda _: self._flush())

    async def _commit(self, batch: list[tuple[list[AuditRow], asyncio.Future[None]]]) -> None:
        try:
            await self._store.append_audit_entries([row for rows, _ in batch for row in rows])
        except StoreError as exc:
            for _, future in batch:
                if not future.done():
                    failure = AuditUnavailable(f"audit log cannot be written: {exc.message}")
                    failure.__cause__ = exc
                    future.set_exception(failure)
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)
        self._on_commit()


def _row(entry: AuditEntry, tags: frozenset[str]) -> AuditRow:
    return AuditRow(
        body=encode_leaf(entry),
        time=entry.time,
        request_id=entry.request_id,
        subject=entry.subject,
        client_id=entry.client_id,
        purpose=entry.purpose,
        tags=tags,
    )
