"""Fault knobs a test or a benchmark turns on a running mock department.

``error_rate`` is deterministic: failures are spread evenly by error diffusion (each call adds the
rate to a running total and fails when it reaches one), so a rate of 0.25 fails exactly every
fourth call, starting with the fourth after the knobs were set.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass


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
        known = {knob.name: knob.type for knob in dataclasses.fields(cls)}
        for name, value in document.items():
            if name not in known:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(known)}")
            if known[name] == "bool" and not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false")
            if known[name] == "float" and (
                isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            ):
                raise ValueError(f"{name} must be a non-negative number")
        faults = cls(**document)
        if faults.error_rate > 1:
            raise ValueError("error_rate must be between 0 and 1")
        return faults


class FaultSwitch:
    """The knobs in force, plus the state they need: the error total and the hang's release."""

    def __init__(self, faults: Faults) -> None:
        self._released = asyncio.Event()
        self._error_total = 0.0
        self.faults = faults
        self.set(faults)

    def set(self, faults: Faults) -> None:
        self.faults = faults
        self._error_total = 0.0
        if faults.hang:
            self._released.clear()
        else:
            self._released.set()

    def next_call_fails(self) -> bool:
        self._error_total += self.faults.error_rate
        if self._error_total >= 1:
            self._error_total -= 1
            return True
        return False

    async def released(self) -> None:
        """Returns once ``hang`` is off."""
        await self._released.wait()
