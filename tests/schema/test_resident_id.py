"""Resident IDs are checked completely before any department hears of them."""

from __future__ import annotations

from datetime import date

import pytest

from hub.errors import InvalidId
from schema.resident_id import check_digit, validate_resident_id

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        # The two worked examples printed in GB 11643-1999 itself.
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
    ],
)
def test_check_digit_follows_iso_7064_mod_11_2(first17: str, check: str) -> None:
    assert check_digit(first17) == check


@pytest.mark.parametrize("first17", ["1101051949123100", "1101051949123100X"])
def test_check_digit_wants_seventeen_digits(first17: str) -> None:
    with pytest.raises(ValueError, match="17 digits"):
        check_digit(first17)


def test_valid_id_is_normalised_to_upper_case_x() -> None:
    assert validate_resident_id("11010519491231002x", TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "not a resident ID"),
        ("1101051949123100", "not a resident ID"),
        ("1101051949123100299", "not a resident ID"),
        ("11010519491231002Y", "not a resident ID"),
        ("".join(chr(0x0660 + int(d)) for d in "11010519491231002") + "X", "not a resident ID"),
        ("00010519491231002X", "not a region code"),
        ("11010519490231002X", "not a date of birth"),
        ("110105203001010010", "not a possible date of birth"),
        ("110105194912310021", "check digit"),
    ],
)
def test_malformed_ids_say_what_is_wrong(value: str, reason: str) -> None:
    with pytest.raises(InvalidId, match=reason) as raised:
        validate_resident_id(value, TODAY)
    assert raised.value.code == "INVALID_ID"
