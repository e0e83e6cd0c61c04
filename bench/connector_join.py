"""Departments joining at runtime: from an admin's approval through one hub process to the new
field answering in another.

Two ``tongban serve`` share a scratch PostgreSQL database, pinned to the server core as every
server under test is; the marriage registry (``bench.marriage_registry``) answers on the load
core. Each round a new department code joins: its department client registers its manifest
through hub A's GraphQL API, and after about two registry polls (plus a random part, so that the
rounds do not fall in step with the hubs' polls) an admin approves it, also through hub A. From
the moment ``approveConnector`` returns, hub B is asked for the new field, one query after
another a few milliseconds apart, until it answers with the registry's value, its signature
verified: that wait is the round's delay.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from bench.answers import post_checked, post_json, shown
from bench.errors import BenchFailed
from bench.join_state import JoinKeys, prepare_join
from bench.marriage_registry import FIELD, department_code, manifest, marital_status
from bench.processes import LOAD_CORE, pinned
from bench.servers import Server, hub
from bench.stores import POSTGRESQL, fresh_url
from bench.subjects import synthetic_ids
from hub.registry_watch import POLL_SECONDS

ROUNDS = 10
PURPOSE = "LOW_INCOME_REVIEW"
"""A statutory duty that reaches ``basic`` raw: no consent to grant, and the subject an adult."""
POLL_GAP_SECONDS = 0.005
"""Between one query to hub B and the next: the delay's resolution, with the query's own time."""
_PAUSE_SECONDS = 2 * POLL_SECONDS
_GIVE_UP_SECONDS = 10.0

REGISTER = """mutation($manifest: String!) {
  registerConnector(manifest: $manifest) { department status } }"""
APPROVE = """mutation($department: String!) {
  approveConnector(department: $department) { department status } }"""


@dataclass(frozen=True, slots=True)
class ConnectorJoin:
    rounds: int
    delays_ms: list[float]
    """Per round: approveConnector returned on hub A → hub B answered the new field."""
    p50_ms: float
    max_ms: float
    queries: int
    """Queries hub B was asked while waiting, every round together."""
    query_gap_ms: float
    """Mean time from one of those queries to the next: how finely the delays are measured."""


async def measure_join(
    department_urls: Mapping[str, str], hub_ports: tuple[int, int], registry_port: int
) -> ConnectorJoin:
    """``department_urls``: the four mock departments, whose connectors the hubs start with."""
    codes = [department_code(n) for n in range(1, ROUNDS + 1)]
    registry = [sys.executable, "-m", "bench.marriage_registry", "--port", str(registry_port)]
    base_url = f"http://127.0.0.1:{registry_port}"
    with tempfile.TemporaryDirectory(prefix="tongban-bench-join-") as data_dir:  # the hubs' key
        async with (
            fresh_url(POSTGRESQL) as database_url,
            pinned(LOAD_CORE, registry, [registry_port]),
            aiohttp.ClientSession() as session,
        ):
            keys = await prepare_join(database_url, department_urls, codes)
            first, second = (
                hub(port, Path(data_dir), keys.portal, name, database_url)
                for port, name in zip(hub_ports, ("hub A", "hub B"), strict=True)
            )
            async with first.running(), second.running():  # one after the other: one key file
                rounds = [
                    await _round(session, (first, second), keys, code, base_url) for code in codes
                ]
    delays = [delay for delay, _ in rounds]
    queries = sum(asked for _, asked in rounds)
    return ConnectorJoin(
        rounds=len(rounds),
        delays_ms=delays,
        p50_ms=statistics.median(delays),
        max_ms=max(delays),
        queries=queries,
        query_gap_ms=sum(delays) / queries,
    )


async def _round(
    session: aiohttp.ClientSession,
    hubs: tuple[Server, Server],
    keys: JoinKeys,
    code: str,
    base_url: str,
) -> tuple[float, int]:
    """The delay in milliseconds, and how many queries hub B was asked meanwhile."""
    first, second = hubs
    document = {"manifest": manifest(code, base_url)}
    await _mutation(session, first, keys.departments[code], REGISTER, document, "PENDING")
    await asyncio.sleep(_PAUSE_SECONDS + random.uniform(0, POLL_SECONDS))
    await _mutation(session, first, keys.admin, APPROVE, {"department": code}, "APPROVED")
    approved = time.perf_counter()
    subject = synthetic_ids(1)[0]
    body = orjson.dumps({"query": _query(code), "variables": {"id": subject}})
    queries, answer = 0, {}
    while time.perf_counter() - approved < _GIVE_UP_SECONDS:
        queries += 1
        answer = await _ask(session, second, body)
        if _answered(answer, code, subject):
            return (time.perf_counter() - approved) * 1000, queries
        await asyncio.sleep(POLL_GAP_SECONDS)
    raise BenchFailed(
        f"{code} was approved on {first.name}, yet {second.name} had not answered {FIELD} after"
        f" {_GIVE_UP_SECONDS:g} s; its last answer: {str(answer)[:500]}"
    )


async def _mutation(
    session: aiohttp.ClientSession,
    server: Server,
    key: str,
    mutation: str,
    variables: Mapping[str, str],
    status: str,
) -> None:
    body = orjson.dumps({"query": mutation, "variables": variables})
    answer = await post_checked(session, server.url, {"Authorization": f"Bearer {key}"}, body)
    [info] = answer["data"].values()
    if info["status"] != status:
        raise BenchFailed(f"{info['department']} is {info['status']}, not {status}")


def _query(code: str) -> str:
    selection = f"{code} {{ {FIELD} provenance {{ department signatureVerified }} }}"
    return f'query($id: ID!) {{ citizen(id: $id, purpose: "{PURPOSE}") {{ {selection} }} }}'


async def _ask(session: aiohttp.ClientSession, server: Server, body: bytes) -> dict[str, Any]:
    """Any answer, refusals included: until the swap, the schema has no such field."""
    status, answer, text = await post_json(session, server.url, server.headers, body)
    if answer is None:
        raise BenchFailed(f"{server.name} answered HTTP {status}: {shown(text)}")
    return answer


def _answered(answer: Mapping[str, Any], code: str, subject: str) -> bool:
    """Whether the field answered; an answer with the wrong value or provenance fails the run."""
    domain = ((answer.get("data") or {}).get("citizen") or {}).get(code)
    if domain is None:
        return False
    provenance = domain["provenance"]
    if (
        domain[FIELD] != marital_status(subject)
        or provenance["department"] != code
        or provenance["signatureVerified"] is not True
    ):
        raise BenchFailed(f"{code} answered, but not what the registry said: {answer}")
    return True
