"""Real ``tongban serve`` processes sharing one PostgreSQL and one signing key, and the load that
drives them: for what only separate processes show (a crash, several sequencers at once)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from hub import demo
from hub.audit.export import export_chunks
from hub.audit.export_format import ExportedEntry, parse_line
from hub.audit.leaf import decode_leaf
from hub.audit.note import NoteSigner
from hub.audit.verify import VerifiedLog, verify_export
from hub.config import DEFAULT_LOG_ORIGIN
from hub.keys import load_or_create_signing_key
from hub.roles import Role
from hub.store import Store

START_SECONDS = 30
QUERY = """query($id: ID!) { citizen(id: $id, purpose: "LOW_INCOME_REVIEW") {
  identity { name } } }"""


@dataclass(frozen=True)
class Deployment:
    """What every hub process of one deployment shares: the database, the key, the settings."""

    env: Mapping[str, str]
    portal_key: str
    signer: NoteSigner


async def deploy(store: Store, database_url: str, urls: Mapping[str, str], tmp: Path) -> Deployment:
    await demo.register_mock_connectors(store, dict(urls))
    keys = await demo.issue_demo_keys(store)
    key_file = tmp / "hub-signing.pem"
    signer = NoteSigner(DEFAULT_LOG_ORIGIN, load_or_create_signing_key(key_file))
    env = {
        **os.environ,
        "TONGBAN_DATABASE_URL": database_url,
        "TONGBAN_SIGNING_KEY_FILE": str(key_file),
        "TONGBAN_DATA_DIR": str(tmp),
    }
    return Deployment(env, keys[Role.PORTAL.value], signer)


class HubProcess:
    """One ``tongban serve`` on a free loopback port; its output goes to ``log``."""

    def __init__(self, deployment: Deployment, log: Path) -> None:
        self._deployment = deployment
        self._log = log
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self, session: aiohttp.ClientSession) -> None:
        command = ["-m", "hub.cli", "serve", "--port", str(self.port)]
        with self._log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, *command, env=dict(self._deployment.env), stdout=log, stderr=log
            )
        async with asyncio.timeout(START_SECONDS):
            while True:
                assert self._process.returncode is None, self._log.read_text()
                try:
                    async with session.get(f"{self.url}/healthz") as answer:
                        if answer.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)

    async def kill(self) -> None:
        """kill -9: no shutdown, no last integration, no closing of connections."""
        await self._end(signal.SIGKILL)

    async def stop(self) -> None:
        await self._end(signal.SIGTERM)

    async def _end(self, how: signal.Signals) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(how)
            async with asyncio.timeout(15):
                await self._process.wait()


async def drive(
    session: aiohttp.ClientSession,
    hubs: Sequence[HubProcess],
    key: str,
    subjects: Sequence[str],
    count: int,
    concurrency: int,
    answered: dict[str, int],
    name: str = "load",
) -> None:
    """``count`` profile reads, request ``n`` to hub ``n % len(hubs)`` with id ``<name>-<n>``,
    at most ``concurrency`` at a time. ``answered`` fills with the id and HTTP status of each
    response that arrives; a request whose hub dies under it has none."""
    limit = asyncio.Semaphore(concurrency)

    async def read(n: int) -> None:
        request_id = f"{name}-{n}"
        headers = {"Authorization": f"Bearer {key}", "X-Request-Id": request_id}
        payload = {"query": QUERY, "variables": {"id": subjects[n % len(subjects)]}}
        async with limit:
            try:
                async with session.post(
                    f"{hubs[n % len(hubs)].url}/graphql", json=payload, headers=headers
                ) as answer:
                    await answer.read()
            except aiohttp.ClientError:
                return
        answered[request_id] = answer.status

    await asyncio.gather(*(read(n) for n in range(count)))


async def sequenced(store: Store, size: int, seconds: float = 30) -> None:
    """Wait until the hubs' integrators have put ``size`` entries under a checkpoint."""
    async with asyncio.timeout(seconds):
        while (head := await store.audit_checkpoint()) is None or head.size < size:  # noqa: ASYNC110 — other processes do the work
            await asyncio.sleep(0.1)


async def verified_log(store: Store, deployment: Deployment) -> tuple[VerifiedLog, list[str]]:
    """The log exported and verified with the public key alone, and its entries' request ids."""
    head = await store.audit_checkpoint()
    size = 0 if head is None else head.size
    exported = b"".join([chunk async for chunk, _ in export_chunks(store, size)])
    lines = exported.splitlines(keepends=True)
    log = verify_export(lines, deployment.signer.verifier)
    entries = [decode_leaf(leaf) for leaf in _leaves(lines)]
    return log, [entry.request_id for entry in entries]


def _leaves(lines: Sequence[bytes]) -> list[bytes]:
    records = [parse_line(line) for line in lines[1:]]
    return [record.leaf for record in records if isinstance(record, ExportedEntry)]
