"""Serving mock departments: each in its own process, as real departments would be.

Every process builds the population itself (it is deterministic), so nothing is shared but the
command line. The parent prints one line per department once it accepts connections, and stops
them all on SIGINT or SIGTERM.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType

from mocks.app import create_app
from mocks.departments import DEPARTMENTS
from mocks.faults import NO_FAULTS, Faults
from mocks.population import build_population
from mocks.serving import AnnouncingServer, server_config

_STOP_TIMEOUT_S = 5.0


class DepartmentFailed(RuntimeError):
    """A department process ended on its own (its own output says why)."""


def run(
    host: str,
    base_port: int,
    population: int,
    seed: int,
    departments: Sequence[str] = tuple(DEPARTMENTS),
    faults: Faults = NO_FAULTS,
    batch_limit: int = 500,
) -> None:
    """Serve ``departments`` on ``base_port`` + their index in DEPARTMENTS until interrupted.

    Blocks; call it from the main thread (it turns SIGTERM into a clean stop).
    """
    unknown = sorted(set(departments) - DEPARTMENTS.keys())
    if unknown:
        raise ValueError(f"unknown departments: {', '.join(unknown)}")
    context = multiprocessing.get_context("spawn")
    announcements: dict[Connection, BaseProcess] = {}
    with _sigterm_interrupts():
        try:
            for index, name in enumerate(DEPARTMENTS):
                if name in departments:
                    reader, writer = context.Pipe(duplex=False)
                    arguments = (name, host, base_port + index, population, seed, faults)
                    process = context.Process(
                        target=_serve, args=(*arguments, batch_limit, writer), name=f"mock-{name}"
                    )
                    process.start()
                    writer.close()  # the child's copy is then the only one: its death reads as EOF
                    announcements[reader] = process
            _announce_when_ready(announcements)
            processes = list(announcements.values())
            ended = wait([process.sentinel for process in processes])
            raise DepartmentFailed(_ended(next(p for p in processes if p.sentinel in ended)))
        except KeyboardInterrupt:
            pass
        finally:
            _stop(list(announcements.values()))


def _serve(
    name: str,
    host: str,
    port: int,
    population: int,
    seed: int,
    faults: Faults,
    batch_limit: int,
    ready: Connection,
) -> None:
    """One department process. SIGINT is left to the parent until uvicorn takes it over."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started = time.perf_counter()
    app = create_app(
        name, build_population(population, seed), faults=faults, batch_limit=batch_limit
    )
    built = time.perf_counter() - started
    line = (
        f"{name:<8} ready on http://{host}:{port}"
        f"  ({population:,} citizens, seed {seed}, built in {built:.2f} s)"
    )
    AnnouncingServer(server_config(app, host, port), lambda: ready.send(line)).run()


def _announce_when_ready(announcements: dict[Connection, BaseProcess]) -> None:
    """Print each department's ready line; a department that dies first closes its pipe."""
    pending = dict(announcements)
    while pending:
        for reader in wait(list(pending)):
            assert isinstance(reader, Connection)
            process = pending.pop(reader)
            try:
                print(reader.recv(), flush=True)
            except EOFError as exc:
                raise DepartmentFailed(_ended(process)) from exc


def _ended(process: BaseProcess) -> str:
    process.join(_STOP_TIMEOUT_S)
    return f"{process.name} ended (exit code {process.exitcode}); its output above says why"


def _stop(processes: Sequence[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_STOP_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join()


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
