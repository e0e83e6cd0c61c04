"""Child processes pinned to one core: the server under test on one, everything else on the other.

Pinning keeps the load generator and the departments from stealing the server's core, so a
server's numbers are what one core of it can do.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path

from bench.errors import BenchFailed

SERVER_CORE = 0
LOAD_CORE = 1
TONGBAN = str(Path(sys.executable).with_name("tongban"))
_READY_TIMEOUT_SECONDS = 60.0
_STOP_TIMEOUT_SECONDS = 10.0


@contextlib.asynccontextmanager
async def pinned(
    core: int,
    command: Sequence[str],
    ports: Sequence[int],
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[Process]:
    """Runs ``command`` on ``core`` until the block ends; ready once every port accepts."""
    process = await asyncio.create_subprocess_exec("taskset", "-c", str(core), *command, env=env)
    try:
        for port in ports:
            await _wait_for_port(port, process, " ".join(command))
        yield process
    finally:
        await _stop(process)


async def run_pinned(core: int, command: Sequence[str]) -> tuple[float, str]:
    """Runs ``command`` on ``core`` to its end: its wall-clock seconds and its output."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *("taskset", "-c", str(core), *command),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=without_tongban_settings(),
    )
    output, _ = await process.communicate()
    seconds = time.perf_counter() - started
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise BenchFailed(f"{' '.join(command)} exited with status {process.returncode}:\n{text}")
    return seconds, text


def without_tongban_settings() -> dict[str, str]:
    """This environment minus TONGBAN_*: a ``tongban`` child must use the bench's store, never
    the one its caller's shell names."""
    return {name: value for name, value in os.environ.items() if not name.startswith("TONGBAN_")}


async def _wait_for_port(port: int, process: Process, name: str) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_SECONDS
    while True:
        if process.returncode is not None:
            raise BenchFailed(f"{name} exited with status {process.returncode} before listening")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if time.monotonic() > deadline:
                raise BenchFailed(
                    f"{name} did not listen on port {port} within {_READY_TIMEOUT_SECONDS:g} s"
                    " (its output above may say why)"
                ) from None
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return


async def _stop(process: Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        async with asyncio.timeout(_STOP_TIMEOUT_SECONDS):
            await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()
