"""The manifest forms shown in docs/transports.md and the README are manifests the hub accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from connectors.manifest import parse_manifest
from tests.connectors.departments import full_manifest

ROOT = Path(__file__).parents[2]
SNIPPETS = [
    block
    for page in ("docs/transports.md", "README.md")
    for block in re.findall(r"```yaml\n(.*?)```", (ROOT / page).read_text("utf-8"), re.DOTALL)
    if block.startswith("transport:")
]


def test_the_docs_show_every_kind_of_transport() -> None:
    kinds = {yaml.safe_load(block)["transport"]["kind"] for block in SNIPPETS}

    assert kinds == {"http-json", "graphql", "postgres", "plugin"}
    assert any("mapping:" in block for block in SNIPPETS)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet-{i}" for i in range(len(SNIPPETS))])
def test_a_documented_transport_is_a_valid_manifest(snippet: str) -> None:
    shown = yaml.safe_load(snippet)

    manifest = parse_manifest(full_manifest(shown["transport"], shown.get("public_key")), "docs")

    assert manifest.transport.kind == shown["transport"]["kind"]
