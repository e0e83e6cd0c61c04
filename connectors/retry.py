"""One retry of a department read whose connection failed, inside the call's own deadline.

A batch read changes nothing at the department, so sending it again is safe. It is retried only
when no answer came back at all (``SourceUnreachable``: refused, reset, a keep-alive connection
the department had just closed) and at least half the deadline is left — a connection that fails
that fast is usually a blip, one that fails late is a department in trouble. Timeouts, error
statuses and wrong answers are not retried: asking again would only repeat them, later. The
retry is bounded by what is left of the deadline, so a caller never waits longer than one timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from hub.errors import SourceTimeout, SourceUnreachable

T = TypeVar("T")


async def read_with_retry(department: str, seconds: float, read: Callable[[], Awaitable[T]]) -> T:
    """``read()`` once, or twice if its connection failed early; ``seconds`` bounds both."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    try:
        return await read()
    except SourceUnreachable:
        left = deadline - loop.time()
        if left < seconds / 2:
            raise
    try:
        async with asyncio.timeout(left):
            return await read()
    except TimeoutError as exc:
        raise SourceTimeout(department, f"no answer within {seconds:g} s") from exc
