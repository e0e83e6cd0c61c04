"""Finding values in an answer that nothing released: the answer is searched whole — data,
errors and extensions — for any value of a subject's records that no released field and no part
of the request accounts for."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

MIN_TEXT = 2
"""Shorter strings (a surname, 男) are not distinctive enough to be called a leak."""
# A decimal number in free text, not the seconds of a timestamp (12:54:03.187352).
_DECIMAL = re.compile(r"(?<![\d.:])\d+\.\d+(?![\d.])")
_STRUCTURAL = ("path", "locations")
"""Error members whose numbers are positions in the answer or the query, not values."""


def leaves(value: object) -> Iterator[object]:
    """The scalars inside a JSON value (values only, not keys)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class LeakScan:
    forbidden: set[object] = field(default_factory=set)
    """Strings and numbers the answer must not hold unless something explains them."""
    explained: list[object] = field(default_factory=list)
    """Values the answer may hold: released ones, and what the request itself says."""

    def forbid(self, value: object) -> None:
        self.forbidden.update(
            leaf for leaf in leaves(value) if _number(leaf) or _distinct_text(leaf)
        )

    def explain(self, value: object) -> None:
        self.explained.extend(leaves(value))

    def leaks(self, answer: dict[str, Any], request: Iterable[str]) -> list[object]:
        """Forbidden values found in the answer: strings anywhere inside its strings, numbers
        as numbers (and decimals inside its strings)."""
        texts, numbers = _scalars(answer)
        haystack = "\x00".join(texts)
        numbers.update(float(token) for text in texts for token in _DECIMAL.findall(text))
        known = "\x00".join(
            [*request, *_today(), *(v for v in self.explained if isinstance(v, str))]
        )
        known_numbers = {value for value in self.explained if _number(value)}
        found: list[object] = []
        for value in self.forbidden:
            if isinstance(value, str):
                if value in haystack and value not in known:
                    found.append(value)
            elif value in numbers and value not in known_numbers:
                found.append(value)
        return found


def _distinct_text(value: object) -> bool:
    return isinstance(value, str) and len(value) >= MIN_TEXT


def _scalars(answer: dict[str, Any]) -> tuple[list[str], set[object]]:
    values = [*leaves(answer.get("data"))]
    for error in answer.get("errors", []):
        values.extend(leaves({k: v for k, v in error.items() if k not in _STRUCTURAL}))
    texts = [value for value in values if isinstance(value, str)]
    return texts, {value for value in values if _number(value)}


def _today() -> list[str]:
    """Timestamps the hub writes (provenance, issue times) carry today's date, in UTC or not."""
    now = datetime.now(UTC)
    days: set[date] = {now.date(), date.today()}
    days |= {day + delta for day in days for delta in (timedelta(days=-1), timedelta(days=1))}
    return [day.isoformat() for day in days]
