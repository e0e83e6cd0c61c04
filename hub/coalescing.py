"""Running one operation for many concurrent callers at once, without making anyone wait.

When idle, a caller's items go out as soon as the caller yields, with whatever other callers
submitted in the same turn of the event loop — no added latency. While a run is in flight, items
queue, and the queue goes out as one run when it returns. Under load a database, or a department
(``connectors.batching``), sees a fraction of a call per request.

``Turns`` is the mechanism both share; ``Coalescer`` gives every caller the run's whole result,
or its exception, and each picks out its own share.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(slots=True)
class Waiter(Generic[Item, Result]):
    items: Sequence[Item]
    future: asyncio.Future[Result] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


Serve = Callable[[list[Waiter[Item, Result]]], Awaitable[None]]


class Turns(Generic[Item, Result]):
    """Waiters served in runs: what is waiting when a run starts, then what queued meanwhile.

    ``serve`` settles its waiters' futures; whatever it raises settles those it left, so no
    caller ever hangs on a run. A waiter whose future is already done (a caller gone) is left out.
    """

    def __init__(self, serve: Serve[Item, Result]) -> None:
        self._serve = serve
        self.waiting: list[Waiter[Item, Result]] = []
        self._draining: asyncio.Task[None] | None = None

    def submit(self, items: Sequence[Item]) -> asyncio.Future[Result]:
        waiter: Waiter[Item, Result] = Waiter(items)
        self.waiting.append(waiter)
        if self._draining is None:
            self._draining = asyncio.get_running_loop().create_task(self._drain())
        return waiter.future

    async def _drain(self) -> None:
        try:
            while batch := [waiter for waiter in self.waiting if not waiter.future.done()]:
                self.waiting = []
                await self._run(batch)
        finally:
            self._draining = None

    async def _run(self, batch: list[Waiter[Item, Result]]) -> None:
        try:
            await self._serve(batch)
        except BaseException as exc:  # a bug, a failed run or a shutdown
            for waiter in batch:
                if not waiter.future.done():
                    waiter.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise


class Coalescer(Generic[Item, Result]):
    def __init__(self, run: Callable[[list[Item]], Awaitable[Result]]) -> None:
        self._run = run
        self._turns: Turns[Item, Result] = Turns(self._serve)

    async def submit(self, items: Sequence[Item]) -> Result:
        return await self._turns.submit(items)

    async def _serve(self, batch: list[Waiter[Item, Result]]) -> None:
        result = await self._run([item for waiter in batch for item in waiter.items])
        for waiter in batch:
            if not waiter.future.done():
                waiter.future.set_result(result)
