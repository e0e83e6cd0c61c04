"""Data categories: what kind of fact a field is, and whether the law makes it sensitive.

Every department field names a category in its manifest; purposes reach categories, never
fields, so a department that joins later falls under the policy without anyone editing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

from connectors.manifest import Text
from policies.ages import age_on
from policies.loading import PolicyFile, PolicyModel

CATEGORIES_FILE = "categories.yaml"

CategoryCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Reference = Annotated[str, Field(min_length=1, max_length=500)]


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: Text
    sensitive: bool
    why: str


@dataclass(frozen=True, slots=True)
class MinorRule:
    """Everything about a child under ``under_age`` is sensitive, whatever its category."""

    under_age: int
    reference: str

    def covers(self, birth: date, on: date) -> bool:
        return age_on(birth, on) < self.under_age


@dataclass(frozen=True, slots=True)
class Categories:
    """The categories, and the law that makes their sensitive ones need separate consent."""

    by_code: Mapping[str, Category]
    separate_consent_reference: str
    minors: MinorRule

    def get(self, code: str) -> Category | None:
        return self.by_code.get(code)

    def sensitive(self) -> frozenset[str]:
        return frozenset(code for code, category in self.by_code.items() if category.sensitive)


class _Category(PolicyModel):
    name: Text
    sensitive: StrictBool
    why: Reference


class _SeparateConsent(PolicyModel):
    reference: Reference


class _Minors(PolicyModel):
    under_age: Annotated[StrictInt, Field(ge=1, le=18)]
    reference: Reference


class _CategoriesFile(PolicyModel):
    categories: Annotated[dict[CategoryCode, _Category], Field(min_length=1)]
    separate_consent: _SeparateConsent
    minors: _Minors


def load_categories(path: Path) -> Categories:
    document = PolicyFile.read(path).parse(_CategoriesFile)
    return Categories(
        by_code={
            code: Category(code, entry.name, entry.sensitive, entry.why)
            for code, entry in document.categories.items()
        },
        separate_consent_reference=document.separate_consent.reference,
        minors=MinorRule(document.minors.under_age, document.minors.reference),
    )
