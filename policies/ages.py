"""Age in whole years (周岁), which both the minors rule and age claims turn on."""

from __future__ import annotations

from datetime import date


def age_on(birth: date, on: date) -> int:
    """Whole years completed on ``on``. Someone born on 29 February turns a year older on
    1 March in common years: a year is completed only once its last day has passed."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
