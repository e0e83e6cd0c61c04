"""API keys: ``tb_<role>_<secret>``, shown once at creation and stored only as a hash.

The role in a key tells humans what the key is for and lets the hub reject garbage early; what
a key may do is decided by the client record its hash finds in the store, never by its text.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from hub.errors import Unauthenticated
from hub.roles import Role

_SECRET_BYTES = 24  # 192 bits, exactly 32 url-safe characters
_SHAPE = re.compile(r"tb_(?P<role>[a-z]+)_[A-Za-z0-9_-]{32}")


def new_api_key(role: Role) -> str:
    return f"tb_{role.value}_{secrets.token_urlsafe(_SECRET_BYTES)}"


def hash_api_key(key: str) -> bytes:
    """SHA-256 of the key: what the store keeps and looks clients up by.

    A slow password hash (bcrypt, scrypt, Argon2) would buy nothing: it exists to stretch guessable
    human passwords, and no one enumerates 2**192 random keys however fast the hash. Looking keys
    up by hash also leaks nothing through timing: an attacker cannot steer the digest's prefix.
    """
    return hashlib.sha256(key.encode()).digest()


def parse_api_key(key: str) -> Role:
    """The role a well-formed key names, or Unauthenticated; messages never echo the key."""
    shape = _SHAPE.fullmatch(key)
    if shape is None:
        raise Unauthenticated("API key is malformed: expected tb_<role>_<32 url-safe characters>")
    try:
        return Role(shape["role"])
    except ValueError as exc:
        roles = ", ".join(Role)
        raise Unauthenticated(f"API key names no known role (one of {roles})") from exc
