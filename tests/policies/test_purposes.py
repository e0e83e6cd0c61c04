"""The purpose registry: which role may declare which purpose."""

from __future__ import annotations

import pytest

from hub.errors import PurposeNotAllowed, UnknownPurpose
from hub.roles import Role
from policies.purposes import Access, BasisKind
from tests.policies.builders import make_policy

ACCESS = {"basic": Access.RAW}
PURPOSES = make_policy(
    {"basic": False},
    {
        "REVIEW": (BasisKind.STATUTORY_DUTY, [Role.PORTAL], ACCESS),
        "CHECK": (BasisKind.STATUTORY_DUTY, [Role.DEPARTMENT, Role.ADMIN], ACCESS),
    },
).purposes


def test_role_may_declare_its_purposes() -> None:
    assert PURPOSES.authorize(Role.ADMIN, "CHECK").code == "CHECK"


def test_role_may_not_declare_another_roles_purpose() -> None:
    with pytest.raises(PurposeNotAllowed, match="a portal client may not declare purpose CHECK"):
        PURPOSES.authorize(Role.PORTAL, "CHECK")


def test_unknown_purpose_lists_the_known_ones() -> None:
    with pytest.raises(
        UnknownPurpose, match="unknown purpose 'SNOOP'; known purposes: CHECK, REVIEW"
    ):
        PURPOSES.authorize(Role.PORTAL, "SNOOP")


@pytest.mark.parametrize(
    ("role", "codes"),
    [(Role.PORTAL, ["REVIEW"]), (Role.DEPARTMENT, ["CHECK"]), (Role.AUDITOR, [])],
)
def test_purposes_are_listed_per_role(role: Role, codes: list[str]) -> None:
    assert [purpose.code for purpose in PURPOSES.for_role(role)] == codes
