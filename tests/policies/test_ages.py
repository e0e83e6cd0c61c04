"""Age in whole years, and the minors rule built on it."""

from __future__ import annotations

from datetime import date

import pytest

from policies.ages import age_on
from policies.categories import MinorRule


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1945, 3, 1), date(2025, 3, 1), 80),
        (date(1945, 3, 2), date(2025, 3, 1), 79),
        (date(2008, 2, 29), date(2025, 2, 28), 16),
        (date(2008, 2, 29), date(2025, 3, 1), 17),
        (date(2008, 2, 29), date(2024, 2, 29), 16),
    ],
)
def test_age_counts_completed_years(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_minors_rule_covers_a_child_until_the_birthday_it_names() -> None:
    rule = MinorRule(under_age=14, reference="law")

    assert rule.covers(date(2011, 3, 2), date(2025, 3, 1))
    assert not rule.covers(date(2011, 3, 1), date(2025, 3, 1))
