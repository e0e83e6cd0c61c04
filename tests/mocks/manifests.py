"""The shipped department manifests, read as plain YAML: the mocks must match them as published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_DIRECTORY = Path(__file__).resolve().parents[2] / "connectors" / "manifests"


def manifest(department: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((_DIRECTORY / f"{department}.yaml").read_text())
    return document


def domain_fields(department: str) -> set[str]:
    domains = manifest(department)["domains"].values()
    return {name for domain in domains for name in domain["fields"]}
