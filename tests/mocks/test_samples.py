"""/_samples names subjects that really are what they are advertised as, judged over the wire."""

from __future__ import annotations

from datetime import date
from typing import Any

import aiohttp
import orjson
import pytest

from mocks.departments import DEPARTMENTS
from mocks.population import Population, build_population
from mocks.samples import find_samples

_KINDS = {"ordinary", "low_income", "chronic_condition", "minor", "deceased"}


async def _fields(
    http: aiohttp.ClientSession, url: str, subject: str, fields: list[str]
) -> dict[str, Any] | None:
    request = orjson.dumps({"items": [{"id": subject, "fields": fields}]})
    async with http.post(f"{url}/v1/batch", data=request) as response:
        [result] = orjson.loads(await response.read())["results"]
    answered: dict[str, Any] | None = result.get("fields")
    return answered


async def _samples(http: aiohttp.ClientSession, url: str) -> dict[str, str]:
    async with http.get(f"{url}/_samples") as response:
        samples: dict[str, str] = await response.json()
    return samples


def _age_today(birth_date: str) -> int:
    birth, today = date.fromisoformat(birth_date), date.today()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


async def test_every_department_serves_the_same_samples(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    expected = find_samples(population)
    assert set(expected) == _KINDS
    for name in DEPARTMENTS:
        assert await _samples(http, urls[name]) == expected


async def test_minor_is_alive_and_under_fourteen_today(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    minor = (await _samples(http, urls["police"]))["minor"]
    identity = await _fields(http, urls["police"], minor, ["birthDate", "deceased"])
    assert identity is not None
    assert not identity["deceased"]
    assert _age_today(identity["birthDate"]) < 14


async def test_deceased_is_registered_as_dead(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    deceased = (await _samples(http, urls["police"]))["deceased"]
    identity = await _fields(http, urls["police"], deceased, ["deceased", "deathDate"])
    assert identity is not None
    assert identity["deceased"] is True
    assert date.fromisoformat(identity["deathDate"]) < date.today()


async def test_chronic_condition_sample_had_a_large_out_of_pocket_expense(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    patient = (await _samples(http, urls["health"]))["chronic_condition"]
    health = await _fields(
        http, urls["health"], patient, ["chronicConditions", "outOfPocketLastYear"]
    )
    assert health is not None
    assert health["chronicConditions"]
    assert health["outOfPocketLastYear"] > 20_000


async def _per_capita_income(
    http: aiohttp.ClientSession, urls: dict[str, str], subject: str
) -> float:
    """As a caseworker would: every living member's wage, pension and benefit, per member."""
    household = await _fields(http, urls["police"], subject, ["members", "size"])
    assert household is not None
    income = 0.0
    for member in household["members"]:
        money = await _fields(
            http,
            urls["hrss"],
            member["id"],
            ["monthlyWage", "pensionMonthly", "unemploymentBenefitMonthly"],
        )
        income += sum(value or 0.0 for value in (money or {}).values())
    size: int = household["size"]
    return income / size


async def test_low_income_sample_lives_below_1100_yuan_per_member(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    samples = await _samples(http, urls["police"])
    assert await _per_capita_income(http, urls, samples["low_income"]) < 1_100
    assert await _per_capita_income(http, urls, samples["ordinary"]) >= 1_100


async def test_ordinary_sample_is_a_living_employed_adult_known_everywhere(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    ordinary = (await _samples(http, urls["police"]))["ordinary"]
    identity = await _fields(http, urls["police"], ordinary, ["birthDate", "deceased"])
    assert identity is not None
    assert not identity["deceased"]
    assert _age_today(identity["birthDate"]) >= 18
    assert await _fields(http, urls["hrss"], ordinary, ["employed"]) == {"employed": True}
    assert await _fields(http, urls["housing"], ordinary, ["propertyCount"]) is not None
    assert await _fields(http, urls["health"], ordinary, ["scheme"]) is not None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_populations_still_hold_every_kind(seed: int) -> None:
    samples = find_samples(build_population(1_000, seed))
    assert set(samples) == _KINDS
    assert len(set(samples.values())) == len(_KINDS)
