"""The SQLite store's one connection, used by one operation at a time, each in one piece.

An operation is a plain function of a ``sqlite3.Connection``: a read, or the body of a write
transaction. It runs whole on the connection's own thread, one hop there and back however many
statements it makes; a driver that sends each statement to its thread separately made an audit
append five hops, and on the request path a hop cost more than the statements. The request
path's short operations (a consent read, an audit append, of at most ``INLINE_ROWS`` rows) run on
the event loop itself: in WAL mode a read never waits for a lock, and this process's writes are
serialised here, so only another process holding the write lock (the CLI, say) can make one
wait, and then SQLite says BUSY at once and the operation runs again on the thread, which may
wait up to the busy timeout.

A write transaction is opened and closed inside its operation, so a caller cancelled part way
can never leave one open. The WAL is checkpointed on the thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import TypeVar

from hub.errors import StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[sqlite3.Connection], T]

BUSY_TIMEOUT_MS = 5000
INLINE_ROWS = 32
"""Past this many rows an operation goes to the thread even from the request path: there SQLite's
own work (the GIL released) runs beside the event loop's on a machine of several cores."""
CHECKPOINT_EVERY = 256
"""Write transactions between two WAL checkpoints (SQLite's own default is about 1,000 pages)."""


class SqliteConnection:
    def __init__(self, path: str) -> None:
        self.path = path
        with failures(path, "open the database"):
            self._db = sqlite3.connect(
                path, timeout=0, isolation_level=None, check_same_thread=False
            )
        self._db.row_factory = sqlite3.Row
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="tongban-sqlite")
        self._lock = asyncio.Lock()
        self._writes = 0
        self._checkpoint: asyncio.Task[None] | None = None
        self._closed = False

    async def read(
        self, action: str, operation: Operation[T], *, request_rows: int | None = None
    ) -> T:
        """``request_rows``: how many rows an operation of the request path touches; up to
        ``INLINE_ROWS`` it runs on the event loop. Any other operation runs on the thread."""
        return await self._run(action, operation, _inline(request_rows))

    async def fetch(
        self,
        action: str,
        sql: str,
        parameters: Sequence[object] = (),
        *,
        request_rows: int | None = None,
    ) -> list[sqlite3.Row]:
        """The rows of one statement."""
        return await self.read(
            action, lambda db: db.execute(sql, parameters).fetchall(), request_rows=request_rows
        )

    async def write(self, action: str, body: Operation[T], *, request_rows: int | None = None) -> T:
        """``body`` inside one transaction; IMMEDIATE takes the write lock up front, so two
        processes never deadlock each trying to upgrade a read lock."""
        inline = _inline(request_rows)
        result = await self._run(action, lambda db: _transaction(db, body), inline)
        self._writes += 1
        if self._writes >= CHECKPOINT_EVERY and self._checkpoint is None:
            self._writes = 0
            self._checkpoint = asyncio.create_task(self._checkpoint_wal())
        return result

    async def close(self) -> None:
        """Once the operation under way ends; closing again does nothing."""
        if self._checkpoint is not None:
            await self._checkpoint
        async with self._lock:
            if self._closed:
                return
            self._closed = True
            await asyncio.get_running_loop().run_in_executor(self._thread, self._db.close)
        self._thread.shutdown()

    async def _run(self, action: str, operation: Operation[T], inline: bool) -> T:
        if inline:
            async with self._lock:
                try:
                    with failures(self.path, action):
                        return operation(self._db)
                except StoreError as error:
                    if not _busy(error.__cause__):
                        raise
        return await self._on_thread(action, operation)

    async def _on_thread(self, action: str, operation: Operation[T]) -> T:
        """The lock is held until the thread is done, even for a caller cancelled meanwhile."""
        await self._lock.acquire()
        try:
            done = asyncio.get_running_loop().run_in_executor(
                self._thread, self._waiting, action, operation
            )
        except BaseException:
            self._lock.release()
            raise
        done.add_done_callback(lambda _: self._lock.release())
        return await asyncio.shield(done)

    def _waiting(self, action: str, operation: Operation[T]) -> T:
        db = self._db
        with failures(self.path, action):
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                return operation(db)
            finally:
                db.execute("PRAGMA busy_timeout = 0")

    async def _checkpoint_wal(self) -> None:
        try:
            await self.read("checkpoint the WAL", _checkpoint)
        except StoreError as error:  # the next one will try again; readers are unaffected
            log.warning("%s", error.message)
        finally:
            self._checkpoint = None


def _inline(request_rows: int | None) -> bool:
    return request_rows is not None and request_rows <= INLINE_ROWS


def _transaction(db: sqlite3.Connection, body: Operation[T]) -> T:
    db.execute("BEGIN IMMEDIATE")
    try:
        result = body(db)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # some errors end the transaction themselves
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise
    return result


def _checkpoint(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _busy(error: BaseException | None) -> bool:
    """BUSY and its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT)."""
    return isinstance(error, sqlite3.OperationalError) and (
        error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
    )


@contextmanager
def failures(path: str, action: str) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"SQLite database {path}: could not {action}: {exc}") from exc
