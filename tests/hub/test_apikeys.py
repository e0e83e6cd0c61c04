"""API keys: a recognisable shape checked before any lookup, stored only as a hash."""

from __future__ import annotations

import hashlib
import re

import pytest

from hub.apikeys import hash_api_key, new_api_key, parse_api_key
from hub.errors import Unauthenticated
from hub.roles import Role

SECRET = "Zx8-_q" * 5 + "ab"


@pytest.mark.parametrize("role", list(Role))
def test_new_key_names_its_role_and_parses_back_to_it(role: Role) -> None:
    key = new_api_key(role)

    assert re.fullmatch(rf"tb_{role}_[A-Za-z0-9_-]{{32}}", key)
    assert parse_api_key(key) is role


def test_new_keys_never_repeat() -> None:
    assert len({new_api_key(Role.PORTAL) for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "key",
    [
        "",
        f"Bearer tb_portal_{SECRET}",
        f"tb_portal_{SECRET[:-1]}",
        f"tb_portal_{SECRET}x",
        f"tb_portal_{SECRET[:-1]}!",
        f"tk_portal_{SECRET}",
        f"tb_PORTAL_{SECRET}",
        f"tb__{SECRET}",
    ],
)
def test_malformed_key_is_unauthenticated(key: str) -> None:
    with pytest.raises(Unauthenticated, match="API key is malformed"):
        parse_api_key(key)


def test_key_naming_an_unknown_role_is_unauthenticated_without_echoing_it() -> None:
    with pytest.raises(Unauthenticated, match="names no known role") as raised:
        parse_api_key(f"tb_root_{SECRET}")

    assert SECRET not in str(raised.value)


def test_hash_is_the_sha256_digest_of_the_whole_key() -> None:
    key = new_api_key(Role.ADMIN)

    assert hash_api_key(key) == hashlib.sha256(key.encode("utf-8")).digest()
    assert hash_api_key(key.replace("admin", "audit", 1)) != hash_api_key(key)
