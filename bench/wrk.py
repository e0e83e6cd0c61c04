"""Driving ``wrk`` on the load core: constant concurrency, rotating bodies, checked answers.

The Lua script (``load.lua``) reports in JSON, so nothing here parses wrk's human summary.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.errors import BenchFailed
from bench.processes import LOAD_CORE

SCRIPT = Path(__file__).with_name("load.lua")
_ERROR_COUNTS = ("connect", "read", "write", "status", "timeout", "answers_with_errors")


@dataclass(frozen=True, slots=True)
class Load:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float


def ensure_wrk() -> str:
    """wrk's path, installing the Debian package when running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchFailed("wrk is not on PATH; install it (Debian: apt-get install -y wrk)")
    print("wrk is not on PATH; installing it with apt-get…", flush=True)
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "wrk"]):
        if subprocess.run(command, check=False).returncode != 0:
            raise BenchFailed(f"{' '.join(command)} failed (its output is above)")
    found = shutil.which("wrk")
    if found is None:
        raise BenchFailed("apt-get installed wrk, yet it is still not on PATH")
    return found


async def run_wrk(
    url: str,
    bodies: Sequence[bytes],
    headers: Mapping[str, str],
    connections: int,
    seconds: float,
) -> Load:
    """Raises when any request failed or any answer carried GraphQL errors."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as file:
        file.write(b"\n".join(bodies) + b"\n")
        file.flush()
        command = [
            *("taskset", "-c", str(LOAD_CORE), ensure_wrk(), "-t1", f"-c{connections}"),
            *(f"-d{seconds:g}s", "--timeout", "10s", "-s", str(SCRIPT), url, "--", file.name),
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output, _ = await process.communicate()
    report = _report(output.decode(errors="replace"))
    failures = {name: report[name] for name in _ERROR_COUNTS if report[name]}
    if failures:
        raise BenchFailed(f"wrk -c{connections} on {url}: failed requests {failures}")
    return Load(
        requests=report["requests"],
        rps=report["requests"] / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
    )


def _report(output: str) -> dict[str, int]:
    for line in output.splitlines():
        if line.startswith("{"):
            report: dict[str, int] = orjson.loads(line)
            return report
    raise BenchFailed(f"wrk printed no report:\n{output}")
