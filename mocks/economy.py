"""Income and social insurance (人社/医保 enrolment), derived lazily per person.

One household in twelve is drawn as a hardship household (little work, low wages, resident
rather than employee pensions), so low-income households exist at every population size. A
household's monthly income is the sum over its living members of wage, pension and
unemployment benefit; the 低保 sample compares it per living member with 1,100 yuan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from mocks.population import REFERENCE_DATE, Household, Person, random_date, stream

URBAN_EMPLOYEE = "URBAN_EMPLOYEE"
URBAN_RURAL_RESIDENT = "URBAN_RURAL_RESIDENT"
WORKING_AGE = 16
"""Minimum legal working age (Labour Law Art. 15); the HR bureau has no record of anyone younger."""

_RESIDENT_SCHEME_START = date(2009, 1, 1)
_BRANDS = (
    "华信", "恒通", "宏达", "鑫源", "天成", "中联", "盛世", "东方", "金桥", "瑞丰", "博远", "嘉和",
)  # fmt: skip
_TRADES = (
    "科技", "商贸", "建筑工程", "物流", "餐饮管理", "医药", "电子", "教育咨询", "物业管理",
)  # fmt: skip
_PUBLIC = ("人民医院", "第一中学", "实验小学", "街道办事处", "人民政府", "市场监督管理局")


@dataclass(frozen=True, slots=True)
class MedicalCover:
    scheme: str
    since: date


@dataclass(frozen=True, slots=True)
class Economy:
    employer: str | None = None
    monthly_wage: float | None = None
    employed_since: date | None = None
    pension_insured: bool = False
    pension_monthly: float | None = None
    unemployment_benefit_monthly: float | None = None
    medical_cover: MedicalCover | None = None

    @property
    def monthly_income(self) -> float:
        return (
            (self.monthly_wage or 0.0)
            + (self.pension_monthly or 0.0)
            + (self.unemployment_benefit_monthly or 0.0)
        )


def economy(person: Person, seed: int) -> Economy:
    """The deceased keep no enrolment: death closes every account."""
    if person.death is not None:
        return Economy()
    rng = stream(seed, "economy", person.id)
    age = person.age()
    hardship = is_hardship(person.household, seed)
    if age < WORKING_AGE or (age < 22 and rng.random() < 0.7):
        return Economy(medical_cover=_resident_cover(rng, person))
    if age >= (60 if person.male else 55):
        return _retired(rng, person, hardship)
    if rng.random() < (0.35 if hardship else 0.85):
        return _employed(rng, person, hardship)
    benefit = 1_500.0 + 10 * int(rng.random() * 50) if rng.random() < 0.35 else None
    return Economy(
        pension_insured=rng.random() < 0.6,
        unemployment_benefit_monthly=benefit,
        medical_cover=_resident_cover(rng, person),
    )


def household_income_per_capita(household: Household, seed: int) -> float | None:
    """None for a household whose members have all died."""
    living = household.living
    if not living:
        return None
    return sum(economy(member, seed).monthly_income for member in living) / len(living)


def is_hardship(household: Household, seed: int) -> bool:
    return stream(seed, "hardship", household.id).random() < 1 / 12


def _employed(rng: random.Random, person: Person, hardship: bool) -> Economy:
    if hardship:
        wage = 2_500.0 + 10 * int(rng.random() * 60)
    else:
        wage = min(30_000.0, max(2_500.0, 10.0 * round(rng.lognormvariate(8.75, 0.5) / 10)))
    since = random_date(rng, person.birth + timedelta(days=WORKING_AGE * 366), REFERENCE_DATE)
    return Economy(
        employer=_employer(rng, person),
        monthly_wage=wage,
        employed_since=since,
        pension_insured=True,
        medical_cover=MedicalCover(URBAN_EMPLOYEE, since),
    )


def _retired(rng: random.Random, person: Person, hardship: bool) -> Economy:
    if not hardship and rng.random() < 0.75:
        pension = 2_800.0 + 10 * int(rng.random() ** 2 * 520)
        return Economy(
            pension_insured=True,
            pension_monthly=pension,
            medical_cover=MedicalCover(URBAN_EMPLOYEE, _since(rng, person)),
        )
    insured = rng.random() < 0.85
    return Economy(
        pension_insured=insured,
        pension_monthly=180.0 + 10 * int(rng.random() * 60) if insured else None,
        medical_cover=_resident_cover(rng, person),
    )


def _resident_cover(rng: random.Random, person: Person) -> MedicalCover | None:
    """Resident cover is voluntary; a few people never enrol."""
    if rng.random() >= 0.96:
        return None
    return MedicalCover(URBAN_RURAL_RESIDENT, _since(rng, person))


def _since(rng: random.Random, person: Person) -> date:
    return random_date(rng, max(person.birth, _RESIDENT_SCHEME_START), REFERENCE_DATE)


def _employer(rng: random.Random, person: Person) -> str:
    region = person.household.region
    if rng.random() < 0.15:
        return region.city + region.district + rng.choice(_PUBLIC)
    return f"{region.city}{rng.choice(_BRANDS)}{rng.choice(_TRADES)}有限公司"
