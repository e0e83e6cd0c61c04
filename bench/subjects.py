"""Resident IDs to ask about: every department knows them, and they differ from request to request.

Distinct subjects keep the hub's cross-request batching honest (identical subjects would collapse
into one item). Computed from the mocks' deterministic registry rather than asked of a mock.
"""

from __future__ import annotations

from bench.errors import BenchFailed
from mocks.economy import WORKING_AGE
from mocks.population import build_population


def subject_pool(population: int, count: int, seed: int = 0) -> list[str]:
    """``count`` people known to all four departments (the HR bureau skips the under-16s),
    spread evenly over the registry."""
    people = [p.id for p in build_population(population, seed).people if p.age() >= WORKING_AGE]
    if len(people) < count:
        raise BenchFailed(f"{population} citizens hold only {len(people)} adults; {count} asked")
    step = len(people) // count
    return people[::step][:count]
