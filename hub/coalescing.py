"""Running one operation for many concurrent callers at once, without making anyone wait.

When idle, a caller's items go out as soon as the caller yields, with whatever other callers
submitted in the same turn of the event loop — no added latency. While a run is in flight, items
queue, and the queue goes out as one run when it returns. Under load a
database (or anything else behind ``run``) sees a fraction of a call per request. Every caller
gets the run's whole result, or its exception; each picks out its own share.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Coalescer(Generic[Item, Result]):
    def __init__(self, run: Callable[[list[Item]], Awaitable[Result]]) -> None:
        self._run = run
        self._queue: list[tuple[Sequence[Item], asyncio.Future[Result]]] = []
        self._draining: asyncio.Task[None] | None = None

    async def submit(self, items: Sequence[Item]) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._queue.append((items, future))
        if self._draining is None:
            self._draining = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Runs what is queued, then what queued meanwhile, until nothing is left."""
        try:
            while batch := [(items, future) for items, future in self._queue if not future.done()]:
                self._queue = []
                await self._serve(batch)
        finally:
            self._draining = None

    async def _serve(self, batch: list[tuple[Sequence[Item], asyncio.Future[Result]]]) -> None:
        try:
            result = await self._run([item for items, _ in batch for item in items])
        except BaseException as exc:  # a cancelled run too: no caller may hang on it
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for _, future in batch:
            if not future.done():
                future.set_result(result)
