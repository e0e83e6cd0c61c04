"""What each department answers about a person: its fields, and whom it knows at all.

Police, housing and health know everyone in the registry (no title is a record with
``propertyCount`` 0). The HR bureau knows only people of working age (16 and over on
``REFERENCE_DATE``, alive or dead): a younger child is ``found: false`` there, as in a real HR
registry. A deceased person's ``size`` and ``members`` are those of the living household they
were registered in.

Field names are exactly those of the department's manifest domains (the record types below are
the single list of them); nested values (household members, property titles) are whole objects.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from mocks.economy import WORKING_AGE, economy
from mocks.medical import medical
from mocks.population import Person, stream
from mocks.titles import titles


class HouseholdMember(TypedDict):
    id: str
    name: str
    relationToHead: str
    birthDate: str


class PoliceRecord(TypedDict):
    name: str
    gender: str
    birthDate: str
    ethnicity: str
    phone: str | None
    registeredAddress: str
    regionCode: str
    deceased: bool
    deathDate: str | None
    householdId: str
    relationToHead: str
    size: int
    members: list[HouseholdMember]


class HrssRecord(TypedDict):
    employed: bool
    employer: str | None
    monthlyWage: float | None
    employedSince: str | None
    pensionInsured: bool
    pensionMonthly: float | None
    unemploymentBenefitMonthly: float | None
    medicalInsured: bool


class Property(TypedDict):
    certificateNo: str
    address: str
    areaSqm: float
    acquiredOn: str


class HousingRecord(TypedDict):
    propertyCount: int
    totalAreaSqm: float
    properties: list[Property]


class HealthRecord(TypedDict):
    scheme: str | None
    insuredSince: str | None
    chronicConditions: list[str]
    disabilityGrade: int | None
    outOfPocketLastYear: float
    hospitalizationsLastYear: int


def police(person: Person, seed: int) -> PoliceRecord:
    household = person.household
    living = household.living
    return {
        "name": person.name,
        "gender": "MALE" if person.male else "FEMALE",
        "birthDate": person.birth.isoformat(),
        "ethnicity": household.ethnicity,
        "phone": _phone(stream(seed, "phone", person.id), person),
        "registeredAddress": household.address,
        "regionCode": household.region.code,
        "deceased": person.death is not None,
        "deathDate": _iso(person.death),
        "householdId": household.id,
        "relationToHead": person.relation,
        "size": len(living),
        "members": [
            {
                "id": member.id,
                "name": member.name,
                "relationToHead": member.relation,
                "birthDate": member.birth.isoformat(),
            }
            for member in living
        ],
    }


def hrss(person: Person, seed: int) -> HrssRecord | None:
    if person.age() < WORKING_AGE:
        return None
    facts = economy(person, seed)
    return {
        "employed": facts.employer is not None,
        "employer": facts.employer,
        "monthlyWage": facts.monthly_wage,
        "employedSince": _iso(facts.employed_since),
        "pensionInsured": facts.pension_insured,
        "pensionMonthly": facts.pension_monthly,
        "unemploymentBenefitMonthly": facts.unemployment_benefit_monthly,
        "medicalInsured": facts.medical_cover is not None,
    }


def housing(person: Person, seed: int) -> HousingRecord:
    owned = titles(person.household, seed).get(person.id, [])
    return {
        "propertyCount": len(owned),
        "totalAreaSqm": round(sum((title.area_sqm for title in owned), 0.0), 2),
        "properties": [
            {
                "certificateNo": title.certificate_no,
                "address": title.address,
                "areaSqm": title.area_sqm,
                "acquiredOn": title.acquired_on.isoformat(),
            }
            for title in owned
        ],
    }


def health(person: Person, seed: int) -> HealthRecord:
    cover = economy(person, seed).medical_cover
    facts = medical(person, seed)
    return {
        "scheme": None if cover is None else cover.scheme,
        "insuredSince": None if cover is None else cover.since.isoformat(),
        "chronicConditions": list(facts.chronic_conditions),
        "disabilityGrade": facts.disability_grade,
        "outOfPocketLastYear": facts.out_of_pocket_last_year,
        "hospitalizationsLastYear": facts.hospitalizations_last_year,
    }


@dataclass(frozen=True)
class Department:
    name: str
    fields: frozenset[str]
    record: Callable[[Person, int], Mapping[str, object] | None]
    """None when the department has no record of a person in the registry."""


DEPARTMENTS: Mapping[str, Department] = {
    department.name: department
    for department in (
        Department("police", frozenset(PoliceRecord.__annotations__), police),
        Department("hrss", frozenset(HrssRecord.__annotations__), hrss),
        Department("housing", frozenset(HousingRecord.__annotations__), housing),
        Department("health", frozenset(HealthRecord.__annotations__), health),
    )
}
"""In port order: the runner serves them on consecutive ports from a base port."""


def _phone(rng: random.Random, person: Person) -> str | None:
    """Young children and a few adults have no registered mobile number."""
    if person.age() < 12 or rng.random() < 0.03:
        return None
    return f"1{rng.choice('3456789')}{int(rng.random() * 1_000_000_000):09d}"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
