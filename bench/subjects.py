"""Resident IDs to ask about: every department knows them, and they differ from request to request.

Distinct subjects keep the hub's cross-request batching honest (identical subjects would collapse
into one item). Computed from the mocks' deterministic registry rather than asked of a mock.
"""

from __future__ import annotations

from datetime import date, timedelta

from bench.errors import BenchFailed
from mocks.economy import WORKING_AGE
from mocks.population import build_population
from schema.resident_id import check_digit


def subject_pool(population: int, count: int, seed: int = 0) -> list[str]:
    """``count`` people known to all four departments (the HR bureau skips the under-16s),
    spread evenly over the registry."""
    people = [p.id for p in build_population(population, seed).people if p.age() >= WORKING_AGE]
    if len(people) < count:
        raise BenchFailed(f"{population} citizens hold only {len(people)} adults; {count} asked")
    step = len(people) // count
    return people[::step][:count]


def synthetic_ids(count: int) -> list[str]:
    """``count`` distinct valid resident IDs, born a day apart from 1950 on (adults, up to 20,000
    of them), without building a population: for the in-process benchmarks, which ask no
    department."""
    first = date(1950, 1, 1)
    prefixes = (f"110101{first + timedelta(days=n):%Y%m%d}001" for n in range(count))
    return [prefix + check_digit(prefix) for prefix in prefixes]
