"""``python -m bench.serve NAME --port P --mock-base-port B``: one baseline under lean uvicorn.

The same serving settings as the hub (uvloop, httptools, no access log), so the servers differ
only in the application.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

import uvicorn
from starlette.applications import Starlette

from bench.baselines import floor, plain_strawberry
from bench.baselines.clients import (
    AiohttpClient,
    ClientFactory,
    DepartmentClient,
    HttpxClient,
    TongbanClient,
)
from bench.departments import department_urls
from bench.servers import FLOOR, FLOOR_HTTPX, FLOOR_TONGBAN_CLIENT, PLAIN_STRAWBERRY

AppFactory = Callable[[ClientFactory], Starlette]
ClientClass = Callable[[Mapping[str, str]], DepartmentClient]

BASELINES: Mapping[str, tuple[AppFactory, ClientClass]] = {
    FLOOR: (floor.create_app, AiohttpClient),
    FLOOR_HTTPX: (floor.create_app, HttpxClient),
    FLOOR_TONGBAN_CLIENT: (floor.create_app, TongbanClient),
    PLAIN_STRAWBERRY: (plain_strawberry.create_app, AiohttpClient),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__)
    parser.add_argument("name", choices=list(BASELINES))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mock-base-port", type=int, required=True)
    args = parser.parse_args()
    urls = department_urls(args.mock_base_port)
    create_app, client = BASELINES[args.name]
    app = create_app(lambda: client(urls))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        ws="none",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
