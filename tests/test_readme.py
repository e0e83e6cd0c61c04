"""The README's GraphQL examples are valid against the schema the demo serves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from connectors.http_client import HttpClient
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import build_registry
from hub.runtime import LiveSchema
from policies.policy import load_policy

README = Path(__file__).parents[1] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
async def test_readme_example_validates(example: str) -> None:
    manifests = [load_manifest_file(path) for path in sorted(BUILTIN_MANIFESTS.glob("*.yaml"))]
    async with HttpClient() as client:
        live = LiveSchema.compose(build_registry(manifests, client), load_policy())

    errors = validate(live.graphql_schema, parse(example))

    assert not errors, [error.message for error in errors]
