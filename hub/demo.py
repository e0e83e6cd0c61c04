"""``tongban demo``: the hub on embedded SQLite with four mock departments, ready to query.

The mock departments run in a child process (``python -m mocks``), as real departments would run
apart from the hub; the hub learns of them only through their manifests, registered in the store.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from hub.apikeys import hash_api_key, new_api_key
from hub.errors import ConfigError
from hub.roles import Role
from hub.store import ConnectorStatus, Store

DEPARTMENTS = ("police", "hrss", "housing", "health")
MOCKS_READY_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class DemoFacts:
    """What ``demo.json`` holds and the demo prints: everything a script needs to start."""

    hub_url: str
    graphiql_url: str
    api_keys: dict[str, str]
    purposes: dict[str, list[str]]
    samples: dict[str, str]
    departments: dict[str, str] = field(default_factory=dict)
    citizen_subject: str | None = None
    """The resident ID the citizen key speaks for."""

    def write(self, path: Path) -> None:
        path.write_bytes(orjson.dumps(self, option=orjson.OPT_INDENT_2))


def start_mocks(host: str, base_port: int, population: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "mocks", "--host", host, "--base-port", str(base_port)]
    return subprocess.Popen([*command, "--population", str(population)])


async def wait_for_mocks(urls: dict[str, str], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + MOCKS_READY_TIMEOUT_SECONDS
    async with aiohttp.ClientSession() as session:
        for department, url in urls.items():
            while True:
                if process.poll() is not None:
                    raise ConfigError(f"mock departments exited with status {process.returncode}")
                try:
                    async with session.get(f"{url}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise ConfigError(f"mock department {department} at {url} did not start")
                await asyncio.sleep(0.1)


async def fetch_samples(police_url: str) -> dict[str, str]:
    async with aiohttp.ClientSession() as session, session.get(f"{police_url}/_samples") as answer:
        samples: dict[str, str] = await answer.json()
        return samples


async def register_mock_connectors(
    store: Store, urls: dict[str, str], timeout_ms: int | None = None
) -> None:
    """Register the built-in manifests, pointed at this run's mock ports, as approved."""
    for department, url in urls.items():
        manifest = load_manifest_file(BUILTIN_MANIFESTS / f"{department}.yaml")
        document: dict[str, Any] = manifest.model_dump(mode="json")
        document["transport"]["endpoint"] = url
        if timeout_ms is not None:
            document["timeout_ms"] = timeout_ms
        await store.put_connector(department, document, ConnectorStatus.APPROVED)


PROFILE_CATEGORIES = (
    "basic",
    "contact",
    "address",
    "household",
    "income",
    "social_insurance",
    "property",
)
CONSENT_DAYS = 30


async def grant_profile_consent(store: Store, grantee: str, subject: str, *, health: bool) -> None:
    """What a citizen grants the portal for CITIZEN_PROFILE: one consent for the ordinary
    categories and, only if they choose, a separate one for health (PIPL Art. 29)."""
    now = datetime.now(UTC)
    for categories in (PROFILE_CATEGORIES, ("health",))[: 2 if health else 1]:
        await store.add_consent(
            subject=subject,
            grantee=grantee,
            purpose="CITIZEN_PROFILE",
            categories=categories,
            valid_from=now - timedelta(minutes=1),
            valid_until=now + timedelta(days=CONSENT_DAYS),
        )


async def grant_demo_consents(store: Store, portal: str, samples: dict[str, str]) -> None:
    """The sample citizens' consents: health only for the one with a chronic condition, and
    none for the minor (a guardian must consent), so the demo shows each refusal too."""
    for kind, subject in samples.items():
        if kind != "minor":
            await grant_profile_consent(store, portal, subject, health=kind == "chronic_condition")


async def demo_client_id(store: Store, role: Role) -> str:
    """The id of the active demo client of ``role`` (its key names no id)."""
    name = f"demo-{role.value}"
    return next(c.id for c in await store.list_clients() if c.name == name and not c.revoked_at)


async def issue_demo_keys(store: Store, citizen: str | None = None) -> dict[str, str]:
    """One fresh key per role; the citizen's is bound to ``citizen``'s resident ID (none without
    it). The previous run's demo clients are revoked (keys show once)."""
    for client in await store.list_clients():
        if client.name.startswith("demo-") and client.revoked_at is None:
            await store.revoke_client(client.id)
    keys: dict[str, str] = {}
    for role in Role:
        subject = citizen if role is Role.CITIZEN else None
        if role is Role.CITIZEN and subject is None:
            continue
        key = new_api_key(role)
        await store.add_client(f"demo-{role.value}", role, hash_api_key(key), subject)
        keys[role.value] = key
    return keys
