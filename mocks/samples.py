"""Subjects worth asking about: for each kind, the first person of that kind in registry order
who is not already the sample of another kind.

Deterministic for a (size, seed); every kind occurs in populations of a thousand or more.
"""

from __future__ import annotations

from collections.abc import Callable

from mocks.economy import economy, household_income_per_capita
from mocks.medical import LARGE_EXPENSE, medical
from mocks.population import Person, Population

LOW_INCOME_PER_CAPITA = 1_100.0
"""Yuan per living household member and month: a typical city's 低保 standard."""
_YOUNG_MINOR = 10
"""Ten at the reference date keeps the sample under fourteen for years."""


def _ordinary(person: Person, seed: int) -> bool:
    return (
        _alive(person)
        and 25 <= person.age() < 60
        and len(person.household.living) >= 2
        and economy(person, seed).employer is not None
        and not _low_income(person, seed)
    )


def _low_income(person: Person, seed: int) -> bool:
    income = household_income_per_capita(person.household, seed)
    return income is not None and income < LOW_INCOME_PER_CAPITA


def _low_income_applicant(person: Person, seed: int) -> bool:
    """A living head of a low-income household with others to count in."""
    return (
        _alive(person)
        and person.relation == "户主"
        and len(person.household.living) >= 2
        and _low_income(person, seed)
    )


def _chronic_condition(person: Person, seed: int) -> bool:
    facts = medical(person, seed)
    return (
        _alive(person)
        and bool(facts.chronic_conditions)
        and facts.out_of_pocket_last_year > LARGE_EXPENSE
    )


def _minor(person: Person, seed: int) -> bool:
    return _alive(person) and person.age() < _YOUNG_MINOR


def _deceased(person: Person, seed: int) -> bool:
    return not _alive(person)


def _alive(person: Person) -> bool:
    return person.death is None


_KINDS: dict[str, Callable[[Person, int], bool]] = {
    "ordinary": _ordinary,
    "low_income": _low_income_applicant,
    "chronic_condition": _chronic_condition,
    "minor": _minor,
    "deceased": _deceased,
}


def find_samples(population: Population) -> dict[str, str]:
    """Kind → resident id; ``ValueError`` when the population is too small to hold every kind."""
    found: dict[str, str] = {}
    for person in population.people:
        for kind, test in _KINDS.items():
            if kind not in found and test(person, population.seed):
                found[kind] = person.id
                break
        if len(found) == len(_KINDS):
            return {kind: found[kind] for kind in _KINDS}
    missing = ", ".join(kind for kind in _KINDS if kind not in found)
    raise ValueError(f"{len(population.people)} people hold no sample of: {missing}")
