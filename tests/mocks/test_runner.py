"""``python -m mocks``: every department in its own process, ready lines, clean stop."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from mocks.departments import DEPARTMENTS

_ROOT = Path(__file__).resolve().parents[2]


def _free_consecutive_ports(count: int) -> int:
    """A base port with ``count`` free ports from it (another process may still race us)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base: int = probe.getsockname()[1]
        if base + count > 65535:
            continue
        sockets = [socket.socket() for _ in range(count)]
        try:
            for offset, sock in enumerate(sockets):
                sock.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    pytest.fail("no run of free ports on 127.0.0.1")


async def _start(*arguments: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mocks",
        "--population",
        "2000",
        *arguments,
        cwd=_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_serves_each_department_on_its_port_and_stops_on_sigterm(
    http: aiohttp.ClientSession,
) -> None:
    base = _free_consecutive_ports(len(DEPARTMENTS))
    process = await _start("--base-port", str(base))
    assert process.stdout is not None
    try:
        lines = [
            (await asyncio.wait_for(process.stdout.readline(), 30)).decode() for _ in DEPARTMENTS
        ]
        for offset, name in enumerate(DEPARTMENTS):
            [line] = [line for line in lines if line.startswith(name)]
            assert f"ready on http://127.0.0.1:{base + offset}" in line
            async with http.get(f"http://127.0.0.1:{base + offset}/v1/key") as response:
                assert (await response.json())["department"] == name
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
    for offset in range(len(DEPARTMENTS)):
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"http://127.0.0.1:{base + offset}/healthz")


async def test_a_department_that_cannot_start_stops_the_others_and_fails() -> None:
    base = _free_consecutive_ports(len(DEPARTMENTS))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base + 1))
        taken.listen()
        process = await _start("--base-port", str(base), "--only", "police", "--only", "hrss")
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert b"mock-hrss ended" in stderr
