"""Purposes and who may declare them, read from ``purposes.yaml``.

Plain data in, a decision out: this module knows neither GraphQL nor transports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub.errors import ConfigError, PurposeNotAllowed, UnknownPurpose
from hub.roles import Role

DEFAULT_PURPOSES_FILE = Path(__file__).with_name("purposes.yaml")


@dataclass(frozen=True, slots=True)
class Purpose:
    code: str
    name_en: str
    name_zh: str
    roles: frozenset[Role]


class PurposeRegistry:
    def __init__(self, purposes: Mapping[str, Purpose]) -> None:
        self.purposes = dict(purposes)

    def for_role(self, role: Role) -> list[Purpose]:
        return [purpose for purpose in self.purposes.values() if role in purpose.roles]

    def authorize(self, role: Role, code: str) -> Purpose:
        """The declared purpose, if this role may declare it; otherwise a coded refusal."""
        purpose = self.purposes.get(code)
        if purpose is None:
            known = ", ".join(sorted(self.purposes))
            raise UnknownPurpose(f"unknown purpose {code!r}; known purposes: {known}")
        if role not in purpose.roles:
            raise PurposeNotAllowed(f"a {role} client may not declare purpose {code}")
        return purpose


def load_purposes(path: Path = DEFAULT_PURPOSES_FILE) -> PurposeRegistry:
    """Read the purposes file; a mistake names the file and the purpose and stops start-up."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = document["purposes"]
        return PurposeRegistry(
            {
                code: Purpose(
                    code=code,
                    name_en=entry["name"]["en"],
                    name_zh=entry["name"]["zh"],
                    roles=frozenset(Role(role) for role in entry["roles"]),
                )
                for code, entry in entries.items()
            }
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: invalid purposes file: {exc!r}") from exc
