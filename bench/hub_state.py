"""A hub state directory for one run: the mock connectors approved, a portal API key, and each
subject's consent to the portal for CITIZEN_PROFILE (health separately, as PIPL Art. 29 asks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from hub.config import Settings
from hub.demo import (
    demo_client_id,
    grant_profile_consent,
    issue_demo_keys,
    register_mock_connectors,
)
from hub.roles import Role
from hub.store import open_store


async def prepare_hub(data_dir: Path, urls: Mapping[str, str], subjects: Iterable[str]) -> str:
    """Registers the departments at ``urls`` in ``data_dir``'s SQLite store; the portal key."""
    settings = Settings.from_env({}, data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await open_store(settings.database_url)
    try:
        await register_mock_connectors(store, dict(urls))
        keys = await issue_demo_keys(store)
        portal = await demo_client_id(store, Role.PORTAL)
        for subject in subjects:
            await grant_profile_consent(store, portal, subject, health=True)
    finally:
        await store.close()
    return keys[Role.PORTAL.value]
