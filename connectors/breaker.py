"""A circuit breaker per department: after repeated failures the hub stops asking, and after a
cool-down lets one probe call through; the probe's outcome closes the circuit or opens it again.

Only a call that got no answer counts as a failure: the department could not be reached, refused
with an error status, or let the deadline pass. A wrong answer (a broken body, a bad signature)
came from a department that is up, so it keeps its own code rather than being hidden behind
SOURCE_CIRCUIT_OPEN, and it resets the count like any answer.

The check costs a few attribute reads per department call (not per request), and the clock is
read only while the circuit is open: the batcher's hot path pays next to nothing. The state is
each hub process's own; processes sharing a store do not pool what they saw.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from hub.errors import SourceCircuitOpen, SourceError, SourceTimeout, SourceUnavailable


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"
    """The probe is out; every other call fails fast until it returns."""


@dataclass(frozen=True, slots=True)
class CircuitView:
    """What admins see of a breaker (the ``connectors`` query, ``/readyz``)."""

    state: CircuitState
    consecutive_failures: int
    last_failure: str | None
    last_failure_at: datetime | None


class CircuitBreaker:
    def __init__(self, department: str, threshold: int, cooldown: float) -> None:
        """Open after ``threshold`` failed calls in a row; probe ``cooldown`` seconds later."""
        self._department = department
        self._threshold = threshold
        self._cooldown = cooldown
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._last_failure: str | None = None
        self._last_failure_at: datetime | None = None

    @property
    def view(self) -> CircuitView:
        return CircuitView(self._state, self._failures, self._last_failure, self._last_failure_at)

    def admit(self) -> None:
        """Return if a call may go out (perhaps as the probe), else raise ``SourceCircuitOpen``."""
        if self._state is CircuitState.CLOSED:
            return
        wait = self._opened_at + self._cooldown - time.monotonic()
        if self._state is CircuitState.OPEN and wait <= 0:
            self._state = CircuitState.HALF_OPEN
            return
        when = "a probe is under way" if wait <= 0 else f"next probe in {wait:.1f} s"
        raise SourceCircuitOpen(
            self._department,
            f"not asked after {self._failures} failed calls in a row ({when}); "
            f"last: {self._last_failure}",
        )

    def record(self, error: BaseException | None) -> None:
        """The outcome of an admitted call: ``None`` when it returned."""
        if error is None or (
            isinstance(error, SourceError)
            and not isinstance(error, SourceUnavailable | SourceTimeout)
        ):
            self._state = CircuitState.CLOSED
            self._failures = 0
            return
        self._failures += 1
        self._last_failure = str(error) or type(error).__name__  # a cancelled call says nothing
        self._last_failure_at = datetime.now(UTC)
        if self._state is CircuitState.HALF_OPEN or self._failures >= self._threshold:
            self._state = CircuitState.OPEN
            self._opened_at = time.monotonic()
