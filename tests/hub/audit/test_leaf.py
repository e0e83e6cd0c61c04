"""An entry has exactly one leaf spelling, the one docs/audit-leaf.md documents."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from hub.audit.leaf import AuditEntry, decode_leaf, encode_leaf
from hub.errors import AuditMalformed
from hub.roles import Role

DOC = Path(__file__).parents[3] / "docs" / "audit-leaf.md"

ENTRY = AuditEntry(
    time=datetime(2024, 5, 1, 8, 30, 0, 250000, tzinfo=UTC),
    request_id="9b2f6c1e-4d7a-4f0e-8c3b-2a5d9e7f1b60",
    client_id="portal-minzheng",
    role=Role.PORTAL,
    operator="民政窗口-王芳",
    case_ref="DB-2024-000731",
    subject="110101199003074518",
    purpose="LOW_INCOME_REVIEW",
    legal_basis="PIPL Art. 13(1)(3)",
    consent_id=None,
    fields=(
        ("employment.employed", "allow"),
        ("health.chronicConditions", "deny:SEPARATE_CONSENT_REQUIRED"),
    ),
    departments=(("hrss", "OK"),),
    outcome="partial",
)
BARE = replace(
    ENTRY,
    time=datetime(2024, 5, 1, tzinfo=UTC),
    operator=None,
    case_ref=None,
    legal_basis=None,
    consent_id="cs-42",
    fields=(),
    departments=(),
)


def documented_leaf() -> bytes:
    example = re.search(r"```json\n(.*)\n```", DOC.read_text(encoding="utf-8"))
    assert example is not None, f"{DOC} lost its example leaf"
    return example[1].encode()


def test_the_documented_example_is_what_the_code_writes() -> None:
    assert encode_leaf(ENTRY) == documented_leaf()
    assert decode_leaf(documented_leaf()) == ENTRY


@pytest.mark.parametrize("entry", [ENTRY, BARE], ids=["full", "bare"])
def test_leaf_is_canonical_json_and_round_trips(entry: AuditEntry) -> None:
    leaf = encode_leaf(entry)
    body = json.loads(leaf)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert leaf == canonical.encode()
    assert body["v"] == 1
    assert decode_leaf(leaf) == entry


def test_time_always_has_six_fractional_digits_and_z() -> None:
    assert json.loads(encode_leaf(BARE))["time"] == "2024-05-01T00:00:00.000000Z"


@pytest.mark.parametrize(
    "time",
    [datetime(2024, 5, 1), datetime(2024, 5, 1, 16, tzinfo=timezone(timedelta(hours=8)))],
    ids=["naive", "UTC+8"],
)
def test_an_entry_must_be_stamped_in_utc(time: datetime) -> None:
    with pytest.raises(AuditMalformed):
        replace(ENTRY, time=time)


def respelled(leaf: bytes, old: str, new: str) -> bytes:
    text = leaf.decode()
    assert old in text
    return text.replace(old, new, 1).encode()


LEAF = encode_leaf(ENTRY)


@pytest.mark.parametrize(
    "leaf",
    [
        b"",
        b"[]",
        b"not json",
        LEAF + b"\n",
        respelled(LEAF, ',"client_id"', ', "client_id"'),
        respelled(respelled(LEAF, ',"v":1}', "}"), "{", '{"v":1,'),
        respelled(LEAF, "王", "\\u738b"),
        respelled(LEAF, ".250000Z", ".25Z"),
        respelled(LEAF, ".250000Z", ".250000+00:00"),
        respelled(LEAF, '"v":1', '"v":2'),
        respelled(LEAF, '"v":1', '"v":1,"w":1'),
        respelled(LEAF, ',"v":1', ""),
        respelled(LEAF, '"consent_id":null,', ""),
        respelled(LEAF, '"portal-minzheng"', "7"),
        respelled(LEAF, '"partial"', "null"),
        respelled(LEAF, '"portal"', '"superuser"'),
        respelled(LEAF, '["hrss","OK"]', '["hrss","OK","extra"]'),
        respelled(LEAF, '["hrss","OK"]', '["hrss",200]'),
        respelled(LEAF, '[["hrss","OK"]]', '{"hrss":"OK"}'),
    ],
    ids=[
        "empty",
        "array",
        "not JSON",
        "trailing newline",
        "whitespace",
        "keys out of order",
        "escaped non-ASCII",
        "short fraction",
        "offset instead of Z",
        "unknown version",
        "extra key",
        "no version",
        "missing key",
        "number for a string",
        "null for a required string",
        "unknown role",
        "three-element pair",
        "number in a pair",
        "object for pairs",
    ],
)
def test_anything_but_the_canonical_leaf_is_refused(leaf: bytes) -> None:
    with pytest.raises(AuditMalformed):
        decode_leaf(leaf)
