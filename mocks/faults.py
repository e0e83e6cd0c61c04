"""Fault knobs a test or a benchmark turns on a running mock department.

``error_rate`` is deterministic: after n calls since the knobs were set, exactly
floor(n × error_rate) of them have failed, spread evenly (a rate of 0.25 fails calls 4, 8, 12…).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

_ROUNDING = 1e-9
"""So that 100 × 0.29 counts as 29 failures, not 28.999999999999996."""


@dataclass(frozen=True)
class Faults:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    hang: bool = False
    garbage: bool = False
    bad_signature: bool = False

    @classmethod
    def from_json(cls, document: object) -> Faults:
        """Missing knobs are off: a PUT replaces the whole set. ``ValueError`` names a bad knob."""
        if not isinstance(document, Mapping):
            raise ValueError("faults must be a JSON object")
        defaults = vars(cls())
        for name, value in document.items():
            if name not in defaults:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(defaults)}")
            if isinstance(defaults[name], bool) != isinstance(value, bool) or not isinstance(
                value, int | float
            ):
                kind = "true or false" if isinstance(defaults[name], bool) else "a number"
                raise ValueError(f"{name} must be {kind}")
            if value < 0:
                raise ValueError(f"{name} must not be negative")
        faults = cls(**document)
        if faults.error_rate > 1:
            raise ValueError("error_rate must be at most 1")
        return faults


NO_FAULTS = Faults()


class FaultSwitch:
    """The knobs in force, plus what they need: a call count and the hang's release."""

    def __init__(self, faults: Faults) -> None:
        self._released = asyncio.Event()
        self.set(faults)

    def set(self, faults: Faults) -> None:
        self.faults = faults
        self._calls = 0
        self._failures = 0
        if faults.hang:
            self._released.clear()
        else:
            self._released.set()

    def next_call_fails(self) -> bool:
        self._calls += 1
        due = int(self._calls * self.faults.error_rate + _ROUNDING)
        if due == self._failures:
            return False
        self._failures = due
        return True

    async def released(self) -> None:
        """Returns once ``hang`` is off."""
        await self._released.wait()
