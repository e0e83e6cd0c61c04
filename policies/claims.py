"""Claims: questions about a value, answered TRUE, FALSE or UNKNOWN, never with the value.

A caseworker asks "monthly wage ≤ 1,100" and learns one bit. A claim is checked against the
claimable fields and their types before anything is fetched, so a malformed one fails the
request (CLAIM_INVALID) instead of quietly answering FALSE.

Operators: ``eq`` and ``ne`` on every type; ``lt``, ``le``, ``gt``, ``ge`` on Int and Float;
``in`` (one of 1 to 100 values) on Int, Float and String; ``prefix`` on String, as in region
code prefix "1101". An Int operand is accepted for a Float field, never the other way round.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard

from hub.errors import ClaimInvalid

MAX_CHOICES = 100

Scalar = int | float | str | bool


class Operator(StrEnum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    IN = "in"
    PREFIX = "prefix"


class ValueType(StrEnum):
    """The GraphQL scalar type of a claimable field."""

    INT = "Int"
    FLOAT = "Float"
    STRING = "String"
    BOOLEAN = "Boolean"


class Truth(StrEnum):
    TRUE = "TRUE"
    FALSE = "FALSE"
    UNKNOWN = "UNKNOWN"


_ORDERED = {Operator.LT, Operator.LE, Operator.GT, Operator.GE}
_APPLICABLE = {
    ValueType.INT: {Operator.EQ, Operator.NE, Operator.IN, *_ORDERED},
    ValueType.FLOAT: {Operator.EQ, Operator.NE, Operator.IN, *_ORDERED},
    ValueType.STRING: {Operator.EQ, Operator.NE, Operator.IN, Operator.PREFIX},
    ValueType.BOOLEAN: {Operator.EQ, Operator.NE},
}
_TESTS: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.EQ: operator.eq,
    Operator.NE: operator.ne,
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
    Operator.IN: lambda value, choices: value in choices,
    Operator.PREFIX: lambda value, prefix: value.startswith(prefix),
}


@dataclass(frozen=True, slots=True)
class Claim:
    field: str
    operator: Operator
    operand: Scalar | tuple[Scalar, ...]
    value_type: ValueType

    def __str__(self) -> str:
        return f"{self.field} {self.operator} {self.operand!r}"


@dataclass(frozen=True, slots=True)
class Verdict:
    truth: Truth
    reason: str
    """Why, without the value: what a predicate-only release may say."""


def parse_claim(
    field: str, operator: str, operand: object, fields: Mapping[str, ValueType]
) -> Claim:
    """A claim on one of ``fields`` (claimable field → its type), or ClaimInvalid saying why not."""
    value_type = fields.get(field)
    if value_type is None:
        raise ClaimInvalid(f"no claimable field {field!r}; claimable: {', '.join(sorted(fields))}")
    try:
        op = Operator(operator)
    except ValueError as exc:
        known = ", ".join(Operator)
        raise ClaimInvalid(f"unknown operator {operator!r}; operators: {known}") from exc
    if op not in _APPLICABLE[value_type]:
        raise ClaimInvalid(f"{op} does not apply to {field} (type {value_type})")
    if op is not Operator.IN:
        return Claim(field, op, _operand(field, value_type, operand), value_type)
    if not isinstance(operand, list | tuple) or not 1 <= len(operand) <= MAX_CHOICES:
        raise ClaimInvalid(f"in takes a list of 1 to {MAX_CHOICES} values")
    choices = tuple(_operand(field, value_type, choice) for choice in operand)
    return Claim(field, op, choices, value_type)


def evaluate(claim: Claim, value: object) -> Verdict:
    """The claim over the value a department gave; UNKNOWN when there is nothing to judge."""
    if value is None:
        return Verdict(Truth.UNKNOWN, f"{claim.field} has no value on record")
    if not _is_a(value, claim.value_type):
        reason = (
            f"the department gave {claim.field} as {type(value).__name__}, not {claim.value_type}"
        )
        return Verdict(Truth.UNKNOWN, reason)
    if _TESTS[claim.operator](value, claim.operand):
        return Verdict(Truth.TRUE, f"{claim} holds")
    return Verdict(Truth.FALSE, f"{claim} does not hold")


def _operand(field: str, value_type: ValueType, value: object) -> Scalar:
    if _is_a(value, value_type):
        if isinstance(value, float) and not math.isfinite(value):
            raise ClaimInvalid(f"{value!r} is not a usable operand for {field}")
        return float(value) if value_type is ValueType.FLOAT else value
    raise ClaimInvalid(f"{field} is of type {value_type}; {value!r} is not")


def _is_a(value: object, value_type: ValueType) -> TypeGuard[Scalar]:
    """Python's bool is an int; a claim's types are GraphQL's, where it is not."""
    if value_type is ValueType.BOOLEAN or isinstance(value, bool):
        return value_type is ValueType.BOOLEAN and isinstance(value, bool)
    if value_type is ValueType.INT:
        return isinstance(value, int)
    if value_type is ValueType.FLOAT:
        return isinstance(value, int | float)
    return isinstance(value, str)
