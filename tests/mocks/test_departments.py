"""The four departments agree about people and households, and serve their manifests' fields."""

from __future__ import annotations

from datetime import date
from typing import Any

import aiohttp
import orjson
import pytest

from mocks.departments import DEPARTMENTS
from mocks.population import REFERENCE_DATE, Population
from tests.mocks.manifests import domain_fields


async def _records(
    http: aiohttp.ClientSession, url: str, ids: list[str], fields: list[str]
) -> dict[str, Any]:
    request = {"items": [{"id": subject, "fields": fields} for subject in ids]}
    async with http.post(f"{url}/v1/batch", data=orjson.dumps(request)) as response:
        assert response.status == 200
        results = orjson.loads(await response.read())["results"]
    return {result["id"]: result.get("fields") for result in results}


def _age(birth_date: str) -> int:
    """On the registry's reference date, which is when the HR bureau's age rule applies."""
    birth, today = date.fromisoformat(birth_date), REFERENCE_DATE
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@pytest.mark.parametrize("department", list(DEPARTMENTS))
def test_fields_are_exactly_the_manifest_domain_fields(department: str) -> None:
    assert DEPARTMENTS[department].fields == domain_fields(department)


async def test_household_members_agree_across_departments(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    households = [h for h in population.households if len(h.living) >= 4][:20]
    ids = [member.id for household in households for member in household.living]
    police = await _records(http, urls["police"], ids, ["householdId", "size", "members"])
    identity = await _records(http, urls["police"], ids, ["birthDate"])
    hrss = await _records(http, urls["hrss"], ids, ["medicalInsured"])
    housing = await _records(http, urls["housing"], ids, ["propertyCount"])
    health = await _records(http, urls["health"], ids, ["scheme"])
    for subject in ids:
        household = police[subject]
        assert household["size"] == len(household["members"])
        assert subject in {member["id"] for member in household["members"]}
        for member in household["members"]:
            assert police[member["id"]] == household
            assert member["birthDate"] == identity[member["id"]]["birthDate"]
        assert housing[subject] is not None
        assert health[subject] is not None
        if hrss[subject] is None:
            assert _age(identity[subject]["birthDate"]) < 16
            assert housing[subject]["propertyCount"] == 0
        else:
            assert hrss[subject]["medicalInsured"] == (health[subject]["scheme"] is not None)
    assert any(hrss[subject] is None for subject in ids)
