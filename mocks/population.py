"""The core registry: households and their members, built deterministically from a seed.

Every department process builds the same registry on its own, so this is the only part generated
eagerly and it is kept to what identity needs; each department derives the rest of a person
lazily from a per-person random stream (``stream``), which makes answers agree across
departments without any shared state.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from mocks.names import given_name, surname
from mocks.regions import REGIONS, Region, street_address
from mocks.resident_id import resident_id

REFERENCE_DATE = date(2026, 1, 1)
"""The registry's "today": ages, deaths and histories are fixed relative to it, not to the clock."""

_DAYS_PER_YEAR = 365.2425
_SIZE_WEIGHTS = (18, 28, 27, 15, 8, 4)  # households of 1..6 members
_ETHNIC_MINORITIES = (
    "回族", "满族", "壮族", "维吾尔族", "苗族", "彝族", "土家族", "藏族", "蒙古族",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Household:
    id: str
    region: Region
    address: str
    ethnicity: str
    members: list[Person] = field(default_factory=list)
    """Filled while the registry is built, in registration order (the head first)."""

    @property
    def living(self) -> list[Person]:
        return [member for member in self.members if member.death is None]


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    male: bool
    birth: date
    relation: str
    household: Household
    death: date | None

    def age(self, on: date = REFERENCE_DATE) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))


@dataclass(frozen=True)
class Population:
    seed: int
    people: tuple[Person, ...]
    households: tuple[Household, ...]
    by_id: Mapping[str, Person]


def stream(seed: int, topic: str, key: str) -> random.Random:
    """An independent, reproducible random stream per (topic, person or household id)."""
    return random.Random(f"{seed}/{topic}/{key}")


def random_date(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end); ``end`` itself when the range is empty."""
    start = min(start, end)
    return start + timedelta(days=int(rng.random() * (end - start).days))


def build_population(size: int = 100_000, seed: int = 0) -> Population:
    builder = _Builder(random.Random(seed))
    households: list[Household] = []
    while len(builder.people) < size:
        households.append(
            builder.household(min(_household_size(builder.rng), size - len(builder.people)))
        )
    people = tuple(builder.people)
    return Population(seed, people, tuple(households), {person.id: person for person in people})


def _household_size(rng: random.Random) -> int:
    return rng.choices(range(1, 7), _SIZE_WEIGHTS)[0]


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[Person] = []
        self._ids: set[str] = set()

    def household(self, size: int) -> Household:
        rng = self.rng
        region = REGIONS[int(rng.random() * len(REGIONS))]
        household = Household(
            id=f"{region.code}{len(self.people):08d}",
            region=region,
            address=street_address(rng, region),
            ethnicity="汉族" if rng.random() < 0.91 else rng.choice(_ETHNIC_MINORITIES),
        )
        for relation, male, age, family_name in _composition(rng, size):
            self._add(household, relation, male, age, family_name)
        return household

    def _add(self, household: Household, relation: str, male: bool, age: int, family: str) -> None:
        rng = self.rng
        birth = REFERENCE_DATE - timedelta(days=int((age + rng.random()) * _DAYS_PER_YEAR) + 1)
        while True:
            sequence = int(rng.random() * 500) * 2 + male
            person_id = resident_id(household.region.code, birth, sequence)
            if person_id not in self._ids:
                break
        self._ids.add(person_id)
        person = Person(
            id=person_id,
            name=family + given_name(rng, male),
            male=male,
            birth=birth,
            relation=relation,
            household=household,
            death=_death(rng, age, birth),
        )
        household.members.append(person)
        self.people.append(person)


def _composition(rng: random.Random, size: int) -> Iterator[tuple[str, bool, int, str]]:
    """(relation, male, age, surname): a head, usually a spouse, sometimes a parent, children."""
    head_age = 20 + int(rng.random() * 70) if size == 1 else 24 + int(rng.random() * 56)
    head_male = rng.random() < 0.7
    head_surname = father_surname = surname(rng)
    yield "户主", head_male, head_age, head_surname
    slots = size - 1
    if slots and rng.random() < 0.88:
        spouse_surname = surname(rng)
        if not head_male:
            father_surname = spouse_surname
        yield "配偶", not head_male, max(20, head_age + int(rng.random() * 9) - 4), spouse_surname
        slots -= 1
    if slots and head_age < 62 and rng.random() < 0.25:
        male = rng.random() < 0.4
        parent_age = head_age + 22 + int(rng.random() * 14)
        yield ("父" if male else "母"), male, parent_age, head_surname if male else surname(rng)
        slots -= 1
    for _ in range(slots):
        male = rng.random() < 0.52
        child_age = max(0, head_age - 22 - int(rng.random() * 18))
        yield ("子" if male else "女"), male, child_age, father_surname


def _death(rng: random.Random, age: int, birth: date) -> date | None:
    if rng.random() >= (0.05 if age >= 65 else 0.004):
        return None
    return max(birth, REFERENCE_DATE - timedelta(days=1 + int(rng.random() * 3 * _DAYS_PER_YEAR)))
