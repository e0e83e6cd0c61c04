"""Opportunistic batching of department calls across concurrent requests.

When no call to the department is in flight, what is waiting is sent as soon as the caller
yields, with whatever else was submitted in the same turn of the event loop — no added latency
when idle. While a call is in flight, new items queue, and the
queue goes out as one call (chunked by the department's batch limit) when the call returns. Under
load a department therefore sees a fraction of a call per query, and the hub verifies one
signature per batch instead of one per subject.

Each waiter keeps its own field set: a subject asked by two requests is sent once with the union,
and each request is handed back only the fields it asked for, so minimisation holds per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from connectors.records import FetchItem, ResidentId, SubjectOutcome, SubjectRecord
from hub.coalescing import Turns, Waiter
from hub.errors import SourceBadResponse, SourceError, SourceTimeout

SendBatch = Callable[[Sequence[FetchItem]], Awaitable[dict[ResidentId, SubjectRecord]]]


Outcomes = dict[ResidentId, SubjectOutcome]
_Waiter = Waiter[FetchItem, Outcomes]


class OpportunisticBatcher:
    def __init__(self, department: str, send: SendBatch, batch_limit: int) -> None:
        self._department = department
        self._send = send
        self._batch_limit = batch_limit
        self._turns: Turns[FetchItem, Outcomes] = Turns(self._call)
        self.calls = 0
        """Department calls made so far: what the benchmarks report per query."""

    def submit(self, items: Sequence[FetchItem]) -> asyncio.Future[Outcomes]:
        """A future of the outcome for each item's subject.

        A plain future rather than a coroutine: the caller fans out to every department at once
        without creating a task per department per request. Cancelling it withdraws the items.
        """
        return self._turns.submit(items)

    async def _call(self, waiters: list[_Waiter]) -> None:
        outcomes, timeout = await self._send_merged(waiters)
        for waiter in waiters:
            if not waiter.future.done():
                waiter.future.set_result(_own_share(waiter.items, outcomes))
        if timeout is not None:
            # The department let a call time out: what queued behind it would wait a second
            # timeout for the same silence. Answer it now, so no request waits much longer
            # than one timeout (the transport's own deadline bounds the call itself).
            for waiter in self._turns.waiting:
                if not waiter.future.done():
                    waiter.future.set_result({item.subject: timeout for item in waiter.items})

    async def _send_merged(self, waiters: list[_Waiter]) -> tuple[Outcomes, SourceTimeout | None]:
        merged = _merged(waiters)
        chunks = [
            merged[start : start + self._batch_limit]
            for start in range(0, len(merged), self._batch_limit)
        ]
        self.calls += len(chunks)
        if len(chunks) == 1:  # the common case: no task for gather to create
            answers = [await self._send_chunk(chunks[0])]
        else:
            answers = await asyncio.gather(*(self._send_chunk(chunk) for chunk in chunks))
        outcomes: Outcomes = {}
        timeout = None
        for chunk, answer in zip(chunks, answers, strict=True):
            if isinstance(answer, SourceTimeout):
                timeout = answer
            for item in chunk:
                outcomes[item.subject] = _outcome(self._department, item.subject, answer)
        return outcomes, timeout

    async def _send_chunk(
        self, chunk: Sequence[FetchItem]
    ) -> dict[ResidentId, SubjectRecord] | SourceError:
        try:
            return await self._send(chunk)
        except SourceError as error:
            return error


def _merged(waiters: list[_Waiter]) -> list[FetchItem]:
    """One item per subject, asking for every field any waiter asked for it."""
    if len(waiters) == 1:  # a caller's items name each subject once: nothing to merge
        return list(waiters[0].items)
    fields: dict[ResidentId, set[str]] = {}
    for waiter in waiters:
        for item in waiter.items:
            fields.setdefault(item.subject, set()).update(item.fields)
    return [FetchItem(subject, frozenset(asked)) for subject, asked in fields.items()]


def _outcome(
    department: str, subject: ResidentId, answer: dict[ResidentId, SubjectRecord] | SourceError
) -> SubjectOutcome:
    if isinstance(answer, SourceError):
        return answer
    record = answer.get(subject)
    if record is None:
        return SourceBadResponse(department, f"the answer left out subject {subject}")
    return record


def _own_share(items: Sequence[FetchItem], outcomes: Outcomes) -> Outcomes:
    share: Outcomes = {}
    for item in items:
        outcome = outcomes[item.subject]
        if isinstance(outcome, SubjectRecord):
            outcome = outcome.narrowed(item.fields)
        share[item.subject] = outcome
    return share
