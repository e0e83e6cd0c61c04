"""Purposes: who may declare each, on which legal basis, and how it reaches each data category.

Plain data in, a decision out: this module knows neither GraphQL nor transports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field

from connectors.manifest import Text
from hub.errors import PurposeNotAllowed, UnknownPurpose
from hub.roles import Role
from policies.categories import CATEGORIES_FILE, Categories, Reference, load_categories
from policies.loading import POLICY_DIRECTORY, PolicyFile, PolicyModel

PURPOSES_FILE = "purposes.yaml"


class Access(StrEnum):
    """How a purpose may reach a category; ``predicate`` means through claims only."""

    RAW = "raw"
    MASKED = "masked"
    PREDICATE = "predicate"
    NONE = "none"


class BasisKind(StrEnum):
    CONSENT = "CONSENT"
    STATUTORY_DUTY = "STATUTORY_DUTY"


class LegalBasis(PolicyModel):
    """PIPL Art. 13: the ground a purpose processes personal information on, and its citation."""

    kind: BasisKind
    reference: Reference


@dataclass(frozen=True, slots=True)
class Purpose:
    code: str
    name: Text
    roles: frozenset[Role]
    legal_basis: LegalBasis
    access: Mapping[str, Access]
    """Every category of the policy with its access level: nothing is reached by default."""


class PurposeRegistry:
    def __init__(self, purposes: Mapping[str, Purpose]) -> None:
        self.purposes = dict(purposes)

    def for_role(self, role: Role) -> list[Purpose]:
        return [purpose for purpose in self.purposes.values() if role in purpose.roles]

    def get(self, code: str) -> Purpose:
        purpose = self.purposes.get(code)
        if purpose is None:
            known = ", ".join(sorted(self.purposes))
            raise UnknownPurpose(f"unknown purpose {code!r}; known purposes: {known}")
        return purpose

    def authorize(self, role: Role, code: str) -> Purpose:
        """The declared purpose, if this role may declare it; otherwise a coded refusal."""
        purpose = self.get(code)
        if role not in purpose.roles:
            raise PurposeNotAllowed(f"a {role} client may not declare purpose {code}")
        return purpose


class _Purpose(PolicyModel):
    name: Text
    roles: Annotated[list[Role], Field(min_length=1)]
    legal_basis: LegalBasis
    access: dict[str, Access]


class _PurposesFile(PolicyModel):
    purposes: Annotated[
        dict[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,63}$")], _Purpose],
        Field(min_length=1),
    ]


def read_purposes(path: Path, categories: Categories) -> PurposeRegistry:
    """Read a purposes file whose access lists must decide exactly the given categories."""
    file = PolicyFile.read(path)
    document = file.parse(_PurposesFile)
    for code, entry in document.purposes.items():
        for category in entry.access:
            if categories.get(category) is None:
                known = ", ".join(categories.by_code)
                reason = f"unknown category {category!r}; {CATEGORIES_FILE} defines {known}"
                raise file.error(("purposes", code, "access", category), reason)
        undecided = [category for category in categories.by_code if category not in entry.access]
        if undecided:
            reason = f"every purpose decides every category; no access for {', '.join(undecided)}"
            raise file.error(("purposes", code, "access"), reason)
    return PurposeRegistry(
        {
            code: Purpose(code, entry.name, frozenset(entry.roles), entry.legal_basis, entry.access)
            for code, entry in document.purposes.items()
        }
    )


def load_purposes(directory: Path = POLICY_DIRECTORY) -> PurposeRegistry:
    """The purposes of a policy directory, checked against the categories it defines."""
    return read_purposes(directory / PURPOSES_FILE, load_categories(directory / CATEGORIES_FILE))
