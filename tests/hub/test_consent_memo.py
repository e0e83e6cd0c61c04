"""What the memo keeps: per subject, under one consents version, the least recently used
dropped past its bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.consent_memo import ConsentMemo
from hub.store import ConsentRecord

NOW = datetime.now(UTC)
A, B, C = "11010519491231002X", "110105195003070017", "110101199001011237"


def consent(subject: str) -> ConsentRecord:
    return ConsentRecord.granted_now(
        subject, "cl_portal", "P", ("health",), NOW, NOW + timedelta(days=1)
    )


def test_nothing_is_recalled_before_it_is_kept() -> None:
    assert ConsentMemo().recall(1, "cl_portal", "P", [A]) is None


def test_kept_records_come_back_per_subject_and_none_for_those_without() -> None:
    memo, a = ConsentMemo(), consent(A)
    memo.recall(1, "cl_portal", "P", [A, B])
    memo.keep(1, "cl_portal", "P", [A, B], [a])

    assert memo.recall(1, "cl_portal", "P", [B, A]) == [a]
    assert memo.recall(1, "cl_portal", "P", [B]) == []
    assert memo.recall(1, "cl_portal", "P", [A, C]) is None
    assert memo.recall(1, "cl_street_office", "P", [A]) is None


def test_a_new_version_forgets_everything_kept() -> None:
    memo = ConsentMemo()
    memo.recall(1, "cl_portal", "P", [A])
    memo.keep(1, "cl_portal", "P", [A], [consent(A)])

    assert memo.recall(2, "cl_portal", "P", [A]) is None
    assert memo.recall(2, "cl_portal", "P", [A]) is None


def test_a_read_under_a_version_since_passed_is_not_kept() -> None:
    memo = ConsentMemo()
    memo.recall(1, "cl_portal", "P", [A])  # one request reads version 1, queries meanwhile
    memo.recall(2, "cl_portal", "P", [A])  # another sees version 2 before that query ends

    memo.keep(1, "cl_portal", "P", [A], [consent(A)])

    assert memo.recall(2, "cl_portal", "P", [A]) is None


def test_past_its_bound_the_least_recently_used_subject_goes_first() -> None:
    memo = ConsentMemo(subjects_kept=2)
    memo.recall(1, "cl_portal", "P", [A])
    memo.keep(1, "cl_portal", "P", [A, B], [])
    memo.recall(1, "cl_portal", "P", [A])  # B is now the least recently used

    memo.keep(1, "cl_portal", "P", [C], [])

    assert memo.recall(1, "cl_portal", "P", [A, C]) == []
    assert memo.recall(1, "cl_portal", "P", [B]) is None
