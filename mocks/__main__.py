"""``python -m mocks``: serve the mock departments until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mocks.departments import DEPARTMENTS
from mocks.faults import NO_FAULTS, Faults
from mocks.runner import DepartmentFailed, run


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m mocks", description="Serve the mock departments until Ctrl-C or SIGTERM."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--base-port", type=int, default=8101, help="police; hrss +1, housing +2, health +3"
    )
    parser.add_argument("--population", type=int, default=100_000, help="number of citizens")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--only", action="append", choices=list(DEPARTMENTS), help="repeat for several"
    )
    parser.add_argument("--batch-limit", type=int, default=500)
    faults = parser.add_argument_group("faults (also settable at runtime: PUT /_faults)")
    faults.add_argument("--latency-ms", type=float, default=0.0)
    faults.add_argument("--error-rate", type=float, default=0.0)
    faults.add_argument("--hang", action="store_true")
    faults.add_argument("--garbage", action="store_true")
    faults.add_argument("--bad-signature", action="store_true")
    args = parser.parse_args(argv)
    try:
        knobs = Faults.from_json({name: getattr(args, name) for name in vars(NO_FAULTS)})
    except ValueError as exc:
        parser.error(str(exc))
    try:
        run(
            args.host,
            args.base_port,
            args.population,
            args.seed,
            args.only or tuple(DEPARTMENTS),
            knobs,
            args.batch_limit,
        )
    except DepartmentFailed as exc:
        sys.exit(f"mocks: {exc}")


if __name__ == "__main__":
    main()
