"""The calls of a profile query: a caller that stops waiting withdraws what has not been sent."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from connectors.batching import OpportunisticBatcher
from connectors.records import FetchItem, Provenance, ResidentId, SubjectRecord
from schema.fetching import Calls

SUBJECT, ANOTHER = "110101199003074518", "110101198001010010"
PROVENANCE = Provenance("police", "2026-12-03T00:00:00Z", datetime.now(UTC), True, "k1")


class Department:
    """A department whose first call hangs until released: what queues behind it is not sent."""

    def __init__(self) -> None:
        self.sent: list[list[ResidentId]] = []
        self.release = asyncio.Event()

    async def send(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        self.sent.append([item.subject for item in items])
        await self.release.wait()
        return {item.subject: SubjectRecord(False, {}, PROVENANCE) for item in items}


async def _queued_behind_a_call(*departments: Department) -> Calls:
    """One subject queued at each department, behind a call of another request in flight."""
    pending = {}
    for number, department in enumerate(departments):
        batcher = OpportunisticBatcher(f"department-{number}", department.send, batch_limit=500)
        batcher.submit([FetchItem(ANOTHER, frozenset({"name"}))])
        await asyncio.sleep(0)  # that call is out and in flight
        pending[f"department-{number}"] = batcher.submit([FetchItem(SUBJECT, frozenset({"name"}))])
    return Calls(pending=pending, asked={SUBJECT: tuple(pending)})


async def test_cancelled_calls_still_queued_are_never_sent() -> None:
    department = Department()
    calls = await _queued_behind_a_call(department)

    calls.cancel()
    department.release.set()
    await asyncio.sleep(0.01)

    assert department.sent == [[ANOTHER]]


async def test_a_caller_cancelled_while_awaiting_outcomes_withdraws_every_call() -> None:
    """Cancelling the task cancels the one future it awaits; the others are withdrawn too."""
    departments = Department(), Department()
    calls = await _queued_behind_a_call(*departments)
    waiting = asyncio.ensure_future(calls.outcomes())
    await asyncio.sleep(0)

    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    for department in departments:
        department.release.set()
    await asyncio.sleep(0.01)

    assert [department.sent for department in departments] == [[[ANOTHER]]] * 2
