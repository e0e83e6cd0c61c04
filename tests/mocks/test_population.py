"""The core registry: valid, unique resident ids, sound households, determinism."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from mocks.population import Population, build_population

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
}  # fmt: skip


def _check_character(body: str) -> str:
    """ISO 7064 MOD 11-2 written out independently of mocks.resident_id."""
    remainder = sum(int(digit) * weight for digit, weight in zip(body, _WEIGHTS, strict=True)) % 11
    return "10X98765432"[remainder]


@pytest.fixture(scope="module")
def default_population() -> Population:
    return build_population()


def test_default_size_has_unique_ids_valid_under_gb_11643(
    default_population: Population,
) -> None:
    people = default_population.people
    assert len(people) == 100_000
    assert len({person.id for person in people}) == len(people)
    for person in people:
        resident_id = person.id
        assert len(resident_id) == 18, resident_id
        assert resident_id[:17].isdigit(), resident_id
        assert resident_id[17] == _check_character(resident_id[:17]), resident_id
        assert resident_id[:2] in _PROVINCES, resident_id
        assert resident_id[:6] == person.household.region.code, resident_id
        assert date.fromisoformat(resident_id[6:14]) == person.birth, resident_id
        assert int(resident_id[16]) % 2 == (1 if person.male else 0), resident_id


def test_default_size_has_about_one_percent_deceased_and_some_minors(
    default_population: Population,
) -> None:
    people = default_population.people
    deceased = [person for person in people if person.death is not None]
    assert 0.005 < len(deceased) / len(people) < 0.02
    assert all(person.birth <= person.death for person in deceased if person.death)
    assert sum(person.age() < 14 for person in people) / len(people) > 0.05


def test_households_have_one_head_first_and_one_to_six_members(population: Population) -> None:
    sizes = Counter(len(household.members) for household in population.households)
    assert set(sizes) == {1, 2, 3, 4, 5, 6}
    for household in population.households:
        relations = [member.relation for member in household.members]
        assert relations[0] == "户主"
        assert relations.count("户主") == 1
        assert all(member.household is household for member in household.members)
    assert sum(sizes[size] * size for size in sizes) == len(population.people)


def test_same_size_and_seed_build_the_same_population(population: Population) -> None:
    again = build_population(len(population.people), seed=0)
    assert [(p.id, p.name, p.relation, p.household.id) for p in again.people] == [
        (p.id, p.name, p.relation, p.household.id) for p in population.people
    ]


def test_another_seed_builds_another_population(population: Population) -> None:
    other = build_population(len(population.people), seed=1)
    assert {p.id for p in other.people}.isdisjoint(p.id for p in population.people[:100])
