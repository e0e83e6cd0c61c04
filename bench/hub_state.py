"""A hub state directory for one run: the mock connectors approved, a portal API key, and each
subject's consent to the portal for CITIZEN_PROFILE (health separately, as PIPL Art. 29 asks).

``unused`` connectors are approved beside the mock ones; each must compose, as a hub process
would compose the store's registry, or the run fails (a hub silently leaving one out would
measure fewer connectors than its row says)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.errors import BenchFailed
from connectors.http_client import HttpClient
from connectors.registry import build_connector
from hub.config import Settings
from hub.demo import (
    demo_client_id,
    grant_profile_consent,
    issue_demo_keys,
    register_mock_connectors,
)
from hub.registry_watch import approved_registry
from hub.roles import Role
from hub.store import ConnectorStatus, Store, open_store
from policies.policy import load_policy


async def prepare_hub(
    data_dir: Path,
    urls: Mapping[str, str],
    subjects: Iterable[str],
    unused: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Registers the departments at ``urls`` in ``data_dir``'s SQLite store; the portal key."""
    settings = Settings.from_env({}, data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await open_store(settings.database_url)
    try:
        await register_mock_connectors(store, dict(urls))
        for document in unused:
            await store.put_connector(document["department"], document, ConnectorStatus.APPROVED)
        await _composes(store, len(urls) + len(unused))
        keys = await issue_demo_keys(store)
        portal = await demo_client_id(store, Role.PORTAL)
        for subject in subjects:
            await grant_profile_consent(store, portal, subject, health=True)
    finally:
        await store.close()
    return keys[Role.PORTAL.value]


async def _composes(store: Store, connectors: int) -> None:
    """What ``tongban serve`` will compose from the store holds every connector approved."""
    categories = load_policy().categories.by_code.keys()
    async with HttpClient() as client:  # built, never called
        registry = approved_registry(
            await store.list_connectors(), categories, lambda m: build_connector(m, client), {}
        )
    if len(registry.connectors) != connectors:
        raise BenchFailed(
            f"{connectors} connectors approved, yet only {len(registry.connectors)} compose:"
            f" {', '.join(sorted(registry.connectors))} (the log above says why)"
        )
