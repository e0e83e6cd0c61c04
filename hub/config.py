"""Settings from environment variables, each checked with an error that names the variable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hub.errors import ConfigError

DEFAULT_LOG_ORIGIN = "tongban.local/audit"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str
    port: int
    graphiql: bool
    signing_key_file: Path
    log_origin: str
    auto_approve_connectors: bool
    """Admit a department's connector as it registers, without an admin's approval."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: object) -> Settings:
        data_dir = Path(str(overrides.get("data_dir") or env.get("TONGBAN_DATA_DIR", ".tongban")))
        url = env.get("TONGBAN_DATABASE_URL") or f"sqlite:///{data_dir.resolve() / 'tongban.db'}"
        values = {
            "data_dir": data_dir,
            "database_url": url,
            "host": env.get("TONGBAN_HOST", "127.0.0.1"),
            "port": _port(env.get("TONGBAN_PORT", "8000")),
            "graphiql": _flag("TONGBAN_GRAPHIQL", env.get("TONGBAN_GRAPHIQL", "false")),
            "signing_key_file": Path(
                env.get("TONGBAN_SIGNING_KEY_FILE") or data_dir / "hub-signing.pem"
            ),
            "log_origin": _origin(env.get("TONGBAN_LOG_ORIGIN", DEFAULT_LOG_ORIGIN)),
            "auto_approve_connectors": _flag(
                "TONGBAN_AUTO_APPROVE_CONNECTORS", env.get("TONGBAN_AUTO_APPROVE_CONNECTORS", "")
            ),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _origin(text: str) -> str:
    """C2SP checkpoints name their log by a schema-less URL, which also names the signing key."""
    if not text or any(c.isspace() or c == "+" for c in text) or "://" in text:
        raise ConfigError(
            f"TONGBAN_LOG_ORIGIN must be a schema-less URL such as {DEFAULT_LOG_ORIGIN}"
        )
    return text


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"TONGBAN_PORT must be a TCP port number (1-65535), not {text!r}")
    return int(text)


def _flag(name: str, text: str) -> bool:
    if text.lower() in {"1", "true", "yes", "on"}:
        return True
    if text.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {text!r}")
