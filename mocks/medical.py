"""Chronic conditions, disability and medical expenses (卫健/医保), derived lazily per person.

Conditions grow likelier with age; about one chronic patient in seven had a large out-of-pocket
bill (over 20,000 yuan) last year, the case temporary assistance (临时救助) is for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mocks.population import Person, stream

LARGE_EXPENSE = 20_000.0
_CONDITIONS = ("高血压", "2型糖尿病", "冠心病", "慢性阻塞性肺疾病", "慢性肾病", "恶性肿瘤")
_CONDITION_WEIGHTS = (40, 25, 12, 10, 7, 6)
_DISABILITY_GRADES = (1, 2, 3, 4)
_DISABILITY_WEIGHTS = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class Medical:
    chronic_conditions: tuple[str, ...]
    disability_grade: int | None
    out_of_pocket_last_year: float
    hospitalizations_last_year: int


def medical(person: Person, seed: int) -> Medical:
    rng = stream(seed, "medical", person.id)
    conditions = _conditions(rng, person.age())
    disability = (
        rng.choices(_DISABILITY_GRADES, _DISABILITY_WEIGHTS)[0] if rng.random() < 0.025 else None
    )
    if conditions and rng.random() < 0.15:
        expense = LARGE_EXPENSE + rng.random() ** 2 * 140_000
        stays = 1 + int(rng.random() * 4)
    elif conditions:
        expense = 500 + rng.random() * 7_500
        stays = int(rng.random() < 0.15)
    else:
        expense = rng.random() ** 3 * 2_000
        stays = int(rng.random() < 0.03)
    return Medical(conditions, disability, round(expense, 2), stays)


def _conditions(rng: random.Random, age: int) -> tuple[str, ...]:
    chance = 0.01 if age < 14 else 0.05 if age < 40 else 0.2 if age < 60 else 0.5
    if rng.random() >= chance:
        return ()
    drawn = rng.choices(_CONDITIONS, _CONDITION_WEIGHTS, k=1 + (rng.random() < 0.3))
    return tuple(dict.fromkeys(drawn))
