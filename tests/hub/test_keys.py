"""The hub's signing key is created once, kept private, and reloaded the same."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hub.errors import ConfigError
from hub.keys import load_or_create_signing_key, public_key_bytes


def test_key_is_created_private_and_reloaded_identically(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "hub-signing.pem"

    created = load_or_create_signing_key(path)
    reloaded = load_or_create_signing_key(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_key_bytes(created) == public_key_bytes(reloaded)


def test_unreadable_key_file_stops_start_up(tmp_path: Path) -> None:
    path = tmp_path / "hub-signing.pem"
    path.write_text("not a key", encoding="utf-8")

    with pytest.raises(ConfigError, match="cannot be read"):
        load_or_create_signing_key(path)
