"""Claims: malformed ones refused with CLAIM_INVALID; sound ones answered without the value."""

from __future__ import annotations

import pytest

from hub.errors import ClaimInvalid
from policies.claims import Claim, Operator, Truth, ValueType, evaluate, parse_claim

FIELDS = {
    "monthlyWage": ValueType.FLOAT,
    "propertyCount": ValueType.INT,
    "age": ValueType.INT,
    "regionCode": ValueType.STRING,
    "employed": ValueType.BOOLEAN,
}


def claim(field: str, operator: str, operand: object) -> Claim:
    return parse_claim(field, operator, operand, FIELDS)


@pytest.mark.parametrize(
    ("field", "operator", "operand", "value", "truth"),
    [
        ("monthlyWage", "le", 1100, 850.5, Truth.TRUE),
        ("monthlyWage", "le", 1100, 1100.0, Truth.TRUE),
        ("monthlyWage", "le", 1100, 1100.01, Truth.FALSE),
        ("propertyCount", "eq", 0, 0, Truth.TRUE),
        ("propertyCount", "eq", 0, 2, Truth.FALSE),
        ("propertyCount", "ne", 0, 1, Truth.TRUE),
        ("age", "ge", 80, 80, Truth.TRUE),
        ("age", "gt", 80, 80, Truth.FALSE),
        ("age", "lt", 14, 13, Truth.TRUE),
        ("regionCode", "prefix", "1101", "110105", Truth.TRUE),
        ("regionCode", "prefix", "1101", "310104", Truth.FALSE),
        ("regionCode", "in", ["110105", "110108"], "110108", Truth.TRUE),
        ("propertyCount", "in", [1, 2], 0, Truth.FALSE),
        ("employed", "eq", False, False, Truth.TRUE),
    ],
)
def test_claim_is_answered_over_the_value(
    field: str, operator: str, operand: object, value: object, truth: Truth
) -> None:
    assert evaluate(claim(field, operator, operand), value).truth is truth


def test_an_answer_does_not_reveal_the_value() -> None:
    verdict = evaluate(claim("monthlyWage", "le", 1100), 853.25)

    assert verdict.reason == "monthlyWage le 1100.0 holds"
    assert "853" not in verdict.reason


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "monthlyWage has no value on record"),
        ("850", "the department gave monthlyWage as str, not Float"),
        (True, "the department gave monthlyWage as bool, not Float"),
    ],
)
def test_nothing_to_judge_is_unknown_with_why(value: object, reason: str) -> None:
    verdict = evaluate(claim("monthlyWage", "le", 1100), value)

    assert (verdict.truth, verdict.reason) == (Truth.UNKNOWN, reason)


def test_float_operand_is_kept_as_float_and_int_widened() -> None:
    assert claim("monthlyWage", "lt", 1100) == Claim(
        "monthlyWage", Operator.LT, 1100.0, ValueType.FLOAT
    )


@pytest.mark.parametrize(
    ("field", "operator", "operand", "message"),
    [
        ("salary", "le", 1100, "no claimable field 'salary'; claimable: age, employed,"),
        ("monthlyWage", "like", 1100, "unknown operator 'like'; operators: eq, ne, lt,"),
        ("employed", "lt", True, "lt does not apply to employed (type Boolean)"),
        ("regionCode", "ge", "1101", "ge does not apply to regionCode (type String)"),
        ("propertyCount", "prefix", 1, "prefix does not apply to propertyCount (type Int)"),
        ("regionCode", "prefix", 1101, "regionCode is of type String; 1101 is not"),
        ("propertyCount", "eq", 0.5, "propertyCount is of type Int; 0.5 is not"),
        ("propertyCount", "eq", True, "propertyCount is of type Int; True is not"),
        ("employed", "eq", "yes", "employed is of type Boolean; 'yes' is not"),
        ("monthlyWage", "le", float("nan"), "nan is not a usable operand for monthlyWage"),
        ("regionCode", "in", "110105", "in takes a list of 1 to 100 values"),
        ("regionCode", "in", [], "in takes a list of 1 to 100 values"),
        ("propertyCount", "in", list(range(101)), "in takes a list of 1 to 100 values"),
        ("propertyCount", "in", [1, "2"], "propertyCount is of type Int; '2' is not"),
    ],
)
def test_malformed_claim_is_refused_saying_why(
    field: str, operator: str, operand: object, message: str
) -> None:
    with pytest.raises(ClaimInvalid) as raised:
        claim(field, operator, operand)

    assert raised.value.code == "CLAIM_INVALID"
    assert raised.value.message.startswith(message)
