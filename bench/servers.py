"""The servers under test: three baselines, the hub and its variants, each a pinned command and
a request."""

from __future__ import annotations

import contextlib
import sys
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from bench.processes import SERVER_CORE, TONGBAN, pinned, without_tongban_settings
from bench.queries import S1_QUERY

HUB = "tongban"
FLOOR = "floor"
FLOOR_HTTPX = "floor-httpx"
FLOOR_TONGBAN_CLIENT = "floor-tongban-client"
"""The floor over the hub's own HTTP client instead of aiohttp."""
PLAIN_STRAWBERRY = "plain-strawberry"
BASELINES = (FLOOR, FLOOR_HTTPX, FLOOR_TONGBAN_CLIENT, PLAIN_STRAWBERRY)
POLICY_OFF = "tongban-policy-off"
AUDIT_OFF = "tongban-audit-off"
BARE = "tongban-bare"
"""Policy and audit both off: the profile pipeline of issue 2 alone, signatures verified."""
HUB_VARIANTS = (POLICY_OFF, AUDIT_OFF, BARE)
TWELVE_CONNECTORS = "tongban-12-connectors"
"""Plain ``tongban serve`` on a store holding eight approved connectors more, none of them asked."""
HUB_AGAIN = "tongban-again"
"""The hub measured a second time in the run: how far its own numbers move."""


@dataclass(frozen=True, slots=True)
class Server:
    name: str
    command: tuple[str, ...]
    port: int
    path: str
    body: Callable[[str], bytes]
    """The S1 request body for one subject."""
    verifies_signatures: bool
    headers: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Process]:
        async with pinned(SERVER_CORE, self.command, [self.port], self.env) as process:
            yield process


def baseline(name: str, port: int, mock_base_port: int) -> Server:
    command = (sys.executable, "-m", "bench.serve", name, "--port", str(port))
    return Server(
        name=name,
        command=(*command, "--mock-base-port", str(mock_base_port)),
        port=port,
        path="/graphql" if name == PLAIN_STRAWBERRY else "/profile",
        body=_graphql_body if name == PLAIN_STRAWBERRY else _floor_body,
        verifies_signatures=False,
    )


def hub(
    port: int, data_dir: Path, api_key: str, name: str = HUB, database_url: str | None = None
) -> Server:
    """``tongban serve`` on ``data_dir``'s store (or on ``database_url``, its signing key still in
    ``data_dir``), whatever TONGBAN_* the bench was started with."""
    env = {} if database_url is None else {"TONGBAN_DATABASE_URL": database_url}
    return _hub(name, (TONGBAN, "serve"), port, data_dir, api_key, env)


def hub_variant(name: str, port: int, data_dir: Path, api_key: str) -> Server:
    """One of ``HUB_VARIANTS`` (``bench.serve_hub``) on the hub's store, answering its key."""
    return _hub(name, (sys.executable, "-m", "bench.serve_hub", name), port, data_dir, api_key)


def _hub(
    name: str,
    program: tuple[str, ...],
    port: int,
    data_dir: Path,
    api_key: str,
    env: Mapping[str, str] | None = None,
) -> Server:
    return Server(
        name=name,
        command=(*program, "--data-dir", str(data_dir), "--port", str(port)),
        port=port,
        path="/graphql",
        body=_graphql_body,
        verifies_signatures=True,
        headers={"Authorization": f"Bearer {api_key}"},
        env={**without_tongban_settings(), **(env or {})},
    )


def _floor_body(subject: str) -> bytes:
    return orjson.dumps({"id": subject})


def _graphql_body(subject: str) -> bytes:
    return orjson.dumps({"query": S1_QUERY, "variables": {"id": subject}})
