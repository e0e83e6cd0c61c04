"""``python -m bench.p50_at_1 [--latency MS] [--rounds N]``: S1's p50 at concurrency 1 alone,
the hub interleaved with the floor and the floor over the hub's client, as ``bench.run``
measures it after its other rows, on freshly started departments.

The target it judges (within 0.5 ms of the floor) sits inside this host's run-to-run spread:
a full run takes some 15 minutes and gives one gap per latency; this gives one in about two, so
that a change on the request path can be judged on several.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import uvloop

from bench.departments import running_mocks
from bench.errors import BenchFailed
from bench.hub_state import prepare_hub
from bench.interleaved import ROUNDS, Interleaved, measure_interleaved, turn_seconds
from bench.report import Outcome, interleaved_table, print_verdicts, write_json
from bench.run import (
    FULL_SECONDS,
    LATENCIES_MS,
    MOCK_BASE_PORT,
    POPULATION,
    SERVER_PORT,
    SUBJECTS,
    console,
    floors_beside_the_hub,
    pin_to_load_core,
)
from bench.servers import hub
from bench.subjects import subject_pool
from bench.targets import judge_interleaved
from bench.wrk import ensure_wrk

SECONDS_PER_TURN = turn_seconds(FULL_SECONDS)
"""As ``bench.run`` takes them at its default length of run."""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.p50_at_1", description=__doc__)
    default = " and ".join(f"{latency:g}" for latency in LATENCIES_MS)
    parser.add_argument("--latency", type=float, action="append", help=f"ms ({default})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"({ROUNDS})")
    args = parser.parse_args()
    latencies = args.latency or list(LATENCIES_MS)
    try:
        pin_to_load_core()
        ensure_wrk()
        measured = uvloop.run(_measure(latencies, args.rounds))
    except BenchFailed as failure:
        sys.exit(f"bench: {failure}")
    settings = {"latencies_ms": latencies, "interleaved_rounds": args.rounds}
    outcome = Outcome(settings=settings, interleaved=measured)
    verdicts = judge_interleaved(measured)
    console.print(interleaved_table(measured))
    print_verdicts(console, verdicts)
    console.print(f"Results: {write_json(outcome, verdicts)}")


async def _measure(latencies: list[float], rounds: int) -> list[Interleaved]:
    subjects = subject_pool(POPULATION, SUBJECTS)
    measured = []
    with tempfile.TemporaryDirectory(prefix="tongban-p50-") as directory:
        async with running_mocks(MOCK_BASE_PORT, POPULATION) as mocks:
            api_key = await prepare_hub(Path(directory), mocks.urls, subjects)
            servers = [hub(SERVER_PORT, Path(directory), api_key), *floors_beside_the_hub()]
            for latency in latencies:
                await mocks.set_latency(latency)
                console.print(f"S1 p50@1 at {latency:g} ms (interleaved)…")
                measured.append(
                    await measure_interleaved(servers, subjects, latency, SECONDS_PER_TURN, rounds)
                )
    return measured


if __name__ == "__main__":
    main()
