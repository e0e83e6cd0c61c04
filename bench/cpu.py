"""Where a core's time went during a measurement, from /proc: to the server, or to anyone else.

A server that did not keep its core busy was not what limited its rps (the departments or wrk on
the other core were); time other processes took on the server's core means a noisy run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.processes import LOAD_CORE, SERVER_CORE

_IDLE_COLUMNS = (3, 4)  # idle, iowait in a /proc/stat cpuN line
_UTIME_STIME = slice(11, 13)  # fields 14 and 15 of /proc/<pid>/stat, counted after the name


@dataclass(frozen=True, slots=True)
class CpuSample:
    cores: dict[int, tuple[int, int]]
    """Core → (busy ticks, all ticks) since boot."""
    server_ticks: int


@dataclass(frozen=True, slots=True)
class CpuShares:
    server: float
    """Share of the server core's time the server process used."""
    others: float
    """Share of the server core's time every other process used."""
    load_core: float
    """Share of the load core's time in use (departments, wrk, this harness)."""


def cpu_sample(server_pid: int) -> CpuSample:
    cores: dict[int, tuple[int, int]] = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *columns = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks = [int(value) for value in columns]
            idle = sum(ticks[column] for column in _IDLE_COLUMNS)
            cores[int(name[3:])] = (sum(ticks) - idle, sum(ticks))
    fields = Path(f"/proc/{server_pid}/stat").read_text().rpartition(")")[2].split()
    return CpuSample(cores, sum(int(value) for value in fields[_UTIME_STIME]))


def cpu_shares(before: CpuSample, after: CpuSample) -> CpuShares:
    core_busy, core_total = _delta(before, after, SERVER_CORE)
    load_busy, load_total = _delta(before, after, LOAD_CORE)
    server = after.server_ticks - before.server_ticks
    return CpuShares(
        server=_share(server, core_total),
        others=_share(max(core_busy - server, 0), core_total),
        load_core=_share(load_busy, load_total),
    )


def _delta(before: CpuSample, after: CpuSample, core: int) -> tuple[int, int]:
    (busy_before, total_before), (busy_after, total_after) = before.cores[core], after.cores[core]
    return busy_after - busy_before, total_after - total_before


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
