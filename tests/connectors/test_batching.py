"""Department calls batched across concurrent requests: one call for what arrives together or
while a call is in flight, each request handed only its own fields, an idle department called at
once, a department's batch limit respected, and a timeout not waited for twice."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from connectors.batching import OpportunisticBatcher
from connectors.records import FetchItem, Provenance, ResidentId, SubjectRecord
from hub.errors import SourceTimeout, SourceUnavailable

PROVENANCE = Provenance("tax", "2026-12-01T00:00:00Z", datetime.now(UTC), True, "k1")


class Department:
    """Answers every field asked with its name, after ``seconds``; remembers each call."""

    def __init__(self, seconds: float = 0.0, failure: Exception | None = None) -> None:
        self.calls: list[list[FetchItem]] = []
        self._seconds = seconds
        self._failure = failure

    async def __call__(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        self.calls.append(list(items))
        await asyncio.sleep(self._seconds)
        if self._failure is not None:
            raise self._failure
        return {
            item.subject: SubjectRecord(True, {f: f.upper() for f in item.fields}, PROVENANCE)
            for item in items
        }


def item(subject: str, *fields: str) -> FetchItem:
    return FetchItem(subject, frozenset(fields))


async def test_an_idle_department_is_called_at_once_for_one_request() -> None:
    department = Department()
    batcher = OpportunisticBatcher("tax", department, batch_limit=100)

    outcomes = await batcher.submit([item("a", "income")])

    assert outcomes == {"a": SubjectRecord(True, {"income": "INCOME"}, PROVENANCE)}
    assert department.calls == [[item("a", "income")]]


async def test_the_call_leaves_on_the_first_turn_after_the_request_yields() -> None:
    department = Department()
    batcher = OpportunisticBatcher("tax", department, batch_limit=100)

    outcome = batcher.submit([item("a", "income")])
    await asyncio.sleep(0)

    assert department.calls == [[item("a", "income")]]
    await outcome


async def test_requests_of_one_turn_share_one_call_each_getting_only_its_fields() -> None:
    department = Department()
    batcher = OpportunisticBatcher("tax", department, batch_limit=100)

    first, second = await asyncio.gather(
        batcher.submit([item("a", "income")]), batcher.submit([item("a", "tax"), item("b", "tax")])
    )

    assert department.calls == [[item("a", "income", "tax"), item("b", "tax")]]
    assert first == {"a": SubjectRecord(True, {"income": "INCOME"}, PROVENANCE)}
    assert second["a"] == SubjectRecord(True, {"tax": "TAX"}, PROVENANCE)
    assert batcher.calls == 1


async def test_requests_arriving_during_a_call_share_the_next_one() -> None:
    department = Department(seconds=0.05)
    batcher = OpportunisticBatcher("tax", department, batch_limit=100)
    first = batcher.submit([item("a", "income")])
    await asyncio.sleep(0.01)  # the first call is in flight

    later = await asyncio.gather(*(batcher.submit([item(s, "income")]) for s in "bcd"))

    await first
    assert [len(call) for call in department.calls] == [1, 3]
    assert [set(outcomes) for outcomes in later] == [{"b"}, {"c"}, {"d"}]


async def test_a_batch_over_the_department_limit_goes_out_in_chunks() -> None:
    department = Department()
    batcher = OpportunisticBatcher("tax", department, batch_limit=2)

    outcomes = await batcher.submit([item(s, "income") for s in "abcde"])

    assert [len(call) for call in department.calls] == [2, 2, 1]
    assert set(outcomes) == set("abcde")
    assert batcher.calls == 3


async def test_a_failed_call_is_each_subjects_outcome() -> None:
    failure = SourceUnavailable("tax", "answered HTTP 503")
    batcher = OpportunisticBatcher("tax", Department(failure=failure), batch_limit=100)

    outcomes = await batcher.submit([item("a", "income"), item("b", "income")])

    assert outcomes == {"a": failure, "b": failure}


async def test_requests_queued_behind_a_timed_out_call_are_answered_at_once() -> None:
    timeout = SourceTimeout("tax", "no answer within 0.05 s")
    department = Department(seconds=0.05, failure=timeout)
    batcher = OpportunisticBatcher("tax", department, batch_limit=100)
    first = batcher.submit([item("a", "income")])
    await asyncio.sleep(0.01)
    queued = batcher.submit([item("b", "income")])

    assert await first == {"a": timeout}
    assert await asyncio.wait_for(queued, 0.01) == {"b": timeout}
    assert len(department.calls) == 1


async def test_a_withdrawn_request_is_left_out_of_the_next_call() -> None:
    department = Department(seconds=0.05)
    batcher = OpportunisticBatcher("tax", department, batch_limit=100)
    first = batcher.submit([item("a", "income")])
    await asyncio.sleep(0.01)
    withdrawn = batcher.submit([item("b", "income")])
    withdrawn.cancel()

    kept = await batcher.submit([item("c", "income")])

    await first
    assert set(kept) == {"c"}
    assert department.calls == [[item("a", "income")], [item("c", "income")]]
    with pytest.raises(asyncio.CancelledError):
        await withdrawn
