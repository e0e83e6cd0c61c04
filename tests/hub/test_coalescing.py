"""Concurrent callers share runs; an idle caller waits for nobody."""

from __future__ import annotations

import asyncio

import pytest

from hub.coalescing import Coalescer


class Recorder:
    """A run that takes a while and remembers what each run was given."""

    def __init__(self, seconds: float = 0.05, fail: bool = False) -> None:
        self.runs: list[list[int]] = []
        self._seconds = seconds
        self._fail = fail

    async def __call__(self, items: list[int]) -> list[int]:
        self.runs.append(items)
        await asyncio.sleep(self._seconds)
        if self._fail:
            raise RuntimeError("the database went away")
        return [item * 10 for item in items]


async def test_sequential_callers_each_get_their_own_run() -> None:
    recorder = Recorder(seconds=0)
    coalescer = Coalescer(recorder)

    assert await coalescer.submit([1]) == [10]
    assert await coalescer.submit([2]) == [20]
    assert recorder.runs == [[1], [2]]


async def test_callers_arriving_during_a_run_share_the_next_one() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder)

    first = asyncio.create_task(coalescer.submit([1]))
    await asyncio.sleep(0.01)  # the first run is in flight
    rest = await asyncio.gather(*(coalescer.submit([n]) for n in (2, 3, 4)))

    assert await first == [10]
    assert rest == [[20, 30, 40]] * 3
    assert recorder.runs == [[1], [2, 3, 4]]


async def test_a_failed_run_fails_every_caller_in_it() -> None:
    coalescer = Coalescer(Recorder(fail=True))

    results = await asyncio.gather(
        coalescer.submit([1]), coalescer.submit([2]), return_exceptions=True
    )

    assert [str(result) for result in results] == ["the database went away"] * 2


async def test_a_cancelled_caller_is_left_out_of_the_next_run() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder)
    first = asyncio.create_task(coalescer.submit([1]))
    await asyncio.sleep(0.01)
    gone = asyncio.create_task(coalescer.submit([2]))
    await asyncio.sleep(0)
    gone.cancel()

    kept = await coalescer.submit([3])

    assert await first == [10]
    assert kept == [30]
    assert recorder.runs == [[1], [3]]
    with pytest.raises(asyncio.CancelledError):
        await gone


async def test_an_idle_callers_run_starts_on_the_first_turn_after_it_yields() -> None:
    recorder = Recorder(seconds=0)
    coalescer = Coalescer(recorder)

    caller = asyncio.create_task(coalescer.submit([1]))
    await asyncio.sleep(0)  # the caller submits and yields
    await asyncio.sleep(0)  # the run starts

    assert recorder.runs == [[1]]
    assert await caller == [10]


async def test_callers_of_one_turn_share_one_run_started_at_once() -> None:
    recorder = Recorder(seconds=0)
    coalescer = Coalescer(recorder)

    results = await asyncio.gather(*(coalescer.submit([n]) for n in (1, 2, 3)))

    assert results == [[10, 20, 30]] * 3
    assert recorder.runs == [[1, 2, 3]]
