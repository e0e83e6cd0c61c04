"""Registered real-estate titles (不动产登记), drawn per household and registered to adults.

Most households hold no title or one, some two or more; hardship households rarely hold any.
Titles are drawn for the whole household at once, so members agree on who owns what.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from mocks.economy import is_hardship
from mocks.population import REFERENCE_DATE, Household, Person, random_date, stream
from mocks.regions import street_address

_ADULT = 18
_FIRST_MARKET_YEAR = date(1998, 1, 1)
"""Housing reform: commodity housing titles from 1998 on."""
_UNIFIED_CERTIFICATES = 2016
"""Titles from before the unified registry were re-issued as 不动产权 certificates in 2016."""
_COUNT_WEIGHTS = (25, 52, 17, 6)
_HARDSHIP_COUNT_WEIGHTS = (70, 30, 0, 0)


@dataclass(frozen=True, slots=True)
class Title:
    certificate_no: str
    address: str
    area_sqm: float
    acquired_on: date


def titles(household: Household, seed: int) -> dict[str, list[Title]]:
    """Titles by owner id; members without a title are absent."""
    rng = stream(seed, "titles", household.id)
    adults = [member for member in household.members if member.age() >= _ADULT]
    weights = _HARDSHIP_COUNT_WEIGHTS if is_hardship(household, seed) else _COUNT_WEIGHTS
    count = rng.choices(range(len(weights)), weights)[0]
    owned: dict[str, list[Title]] = {}
    for index in range(count):
        owner = adults[0] if rng.random() < 0.65 else rng.choice(adults)
        acquired = _acquired(rng, owner)
        region = household.region
        year = max(acquired.year, _UNIFIED_CERTIFICATES)
        title = Title(
            certificate_no=(
                f"{region.province_abbr}({year}){region.title_office}"
                f"不动产权第{int(rng.random() * 10_000_000):07d}号"
            ),
            address=household.address if index == 0 else street_address(rng, region),
            area_sqm=round(45 + rng.random() ** 2 * 135, 2),
            acquired_on=acquired,
        )
        owned.setdefault(owner.id, []).append(title)
    return owned


def _acquired(rng: random.Random, owner: Person) -> date:
    return random_date(
        rng, max(_FIRST_MARKET_YEAR, owner.birth + timedelta(days=_ADULT * 366)), REFERENCE_DATE
    )
