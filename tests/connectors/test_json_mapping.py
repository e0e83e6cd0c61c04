"""HTTP/JSON with a mapping: a department keeps its own JSON, and the hub still asks each subject
only its own fields, checks the signature and the echoed request, and keeps only what it asked."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from connectors.records import FetchItem, SubjectRecord
from tests.connectors.departments import FIELDS, Served, served
from tests.connectors.own_json_department import Mode, OwnJsonBureau

FIRST, SECOND, STRANGER = "110101199003074518", "110105199001011237", "310104198512120022"
INCOME = frozenset({"annualTaxableIncome"})


Mapped = Served[OwnJsonBureau]


@pytest.fixture
async def mapped() -> AsyncIterator[Mapped]:
    async with served(OwnJsonBureau()) as department:
        yield department


async def test_each_subject_is_asked_its_own_fields_by_the_departments_own_names(
    mapped: Mapped,
) -> None:
    await mapped.fetch(FetchItem(FIRST, INCOME), FetchItem(SECOND, FIELDS))

    (request,) = mapped.bureau.requests
    assert request == {
        "query": {
            "persons": [
                {"sfzh": FIRST, "want": ["income.taxable"]},
                {
                    "sfzh": SECOND,
                    "want": sorted(
                        ["income.taxable", "income.paid", "family.dependants", "assessedOn"]
                    ),
                },
            ]
        }
    }


async def test_fields_a_department_sends_unasked_are_dropped(mapped: Mapped) -> None:
    mapped.bureau.mode = "generous"

    answered = await mapped.fetch(FetchItem(FIRST, INCOME))

    record = answered[FIRST]
    assert isinstance(record, SubjectRecord)
    assert record.fields.keys() == INCOME


@pytest.mark.parametrize(
    ("mode", "code", "reason"),
    [
        ("misshapen", "SOURCE_BAD_RESPONSE", "no list at 'data.records'"),
        ("replayed", "SOURCE_SIGNATURE_INVALID", "bound to another request"),
    ],
)
async def test_an_answer_not_in_the_mapped_shape_or_not_for_this_request_fails_the_batch(
    mapped: Mapped, mode: Mode, code: str, reason: str
) -> None:
    mapped.bureau.mode = mode

    answered = await mapped.fetch(FetchItem(FIRST, INCOME), FetchItem(SECOND, INCOME))

    for outcome in answered.values():
        assert not isinstance(outcome, SubjectRecord)
        assert outcome.code == code
        assert reason in outcome.message


async def test_the_health_check_asks_the_mapped_path(mapped: Mapped) -> None:
    await mapped.connector.health()

    assert mapped.bureau.pings == 1
