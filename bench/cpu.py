"""How busy each core was over an interval, from /proc/stat.

A server that does not keep its core busy is not what limits its rps: the departments or the load
generator on the other core are, and its number says little about the server.
"""

from __future__ import annotations

from pathlib import Path

CoreTimes = dict[int, tuple[int, int]]
_IDLE_COLUMNS = (3, 4)  # idle, iowait


def core_times() -> CoreTimes:
    """Core → (busy ticks, all ticks) since boot."""
    times: CoreTimes = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *columns = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks = [int(value) for value in columns]
            idle = sum(ticks[column] for column in _IDLE_COLUMNS)
            times[int(name[3:])] = (sum(ticks) - idle, sum(ticks))
    return times


def busy_fraction(before: CoreTimes, after: CoreTimes, core: int) -> float:
    busy = after[core][0] - before[core][0]
    total = after[core][1] - before[core][1]
    return busy / total if total else 0.0
