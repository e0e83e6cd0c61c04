"""The endpoint reads the headers it needs as Starlette would, and names every request: with the
caller's id when it is a sane token, else with a fresh random one."""

from __future__ import annotations

import re

import pytest

from hub.endpoint import read_headers, request_id_for


def test_the_first_of_each_header_read_is_kept_and_the_others_are_left() -> None:
    scope = {
        "headers": [
            (b"host", b"hub"),
            (b"authorization", b"Bearer tb_portal_first"),
            (b"tongban-operator", "王芳".encode()),
            (b"authorization", b"Bearer tb_portal_second"),
        ]
    }

    headers = read_headers(scope)

    assert headers == {
        b"authorization": "Bearer tb_portal_first",
        b"tongban-operator": "王芳".encode().decode("latin-1"),
    }


def test_a_sane_request_id_offered_is_kept() -> None:
    assert request_id_for("portal-7:case.2024_01") == "portal-7:case.2024_01"


@pytest.mark.parametrize(
    "offered",
    [None, "", "has space", "x" * 129, "换行\n"],
    ids=["none", "empty", "a space", "too long", "not a token"],
)
def test_a_missing_or_insane_request_id_is_replaced_by_a_fresh_random_one(
    offered: str | None,
) -> None:
    fresh = {request_id_for(offered) for _ in range(100)}

    assert len(fresh) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}", request_id) for request_id in fresh)
