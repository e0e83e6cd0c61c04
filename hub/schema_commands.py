"""``tongban schema``: the composed SDL, and the check that keeps a published copy honest.

The SDL is composed as a hub process composes it — the core types and the approved connectors'
domains — from the store's connectors, or from the built-in manifests (what the demo serves, and
what the committed ``schema/schema.graphql`` records). Clients generate code from that file, so
CI refuses a change that would break them unless the file changes with it, and refuses a stale
file outright: the file is only useful if it is exactly what the hub serves.
"""

from __future__ import annotations

from graphql import GraphQLError, build_schema, find_breaking_changes, print_schema

from connectors.http_client import HttpClient
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import ConnectorRegistry, build_connector
from hub.registry_watch import approved_registry
from hub.runtime import LiveSchema
from hub.store import Store
from policies.policy import load_policy

REGENERATE = "tongban schema export --builtin > schema/schema.graphql"


async def stored_sdl(store: Store) -> str:
    """The SDL a hub on ``store`` serves now."""
    policy = load_policy()
    records = await store.list_connectors()
    async with HttpClient() as client:  # connectors need one; nothing is sent
        registry = approved_registry(
            records, policy.categories.by_code.keys(), lambda m: build_connector(m, client), {}
        )
        return await _sdl(registry)


async def builtin_sdl() -> str:
    """The SDL composed from the built-in manifests."""
    manifests = [load_manifest_file(path) for path in sorted(BUILTIN_MANIFESTS.glob("*.yaml"))]
    async with HttpClient() as client:
        return await _sdl(ConnectorRegistry(build_connector(m, client) for m in manifests))


async def _sdl(registry: ConnectorRegistry) -> str:
    try:
        return print_schema(LiveSchema.compose(registry, load_policy()).graphql_schema) + "\n"
    finally:
        await registry.close()  # a plugin's transport may hold something; nothing was opened


def schema_problems(published: str, composed: str) -> list[str]:
    """Why ``published`` may not stand for ``composed``: each breaking change, or else that it is
    out of date; empty when they are the same."""
    if published == composed:
        return []
    try:
        before = build_schema(published)
    except GraphQLError as error:
        return [f"not a GraphQL schema ({error.message}); regenerate: {REGENERATE}"]
    breaking = find_breaking_changes(before, build_schema(composed))
    if breaking:
        changes = [f"breaking ({change.type.name}): {change.description}" for change in breaking]
        return [*changes, f"if clients are meant to change with it, regenerate: {REGENERATE}"]
    return [f"out of date, though nothing breaks; regenerate: {REGENERATE}"]
