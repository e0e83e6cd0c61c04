"""``python -m bench.marriage_registry --port P``: the fifth department, a civil-affairs marriage
registry that joins the hub at runtime, answering per docs/wire-format.md.

Built from the mocks' own wire and signing code. One process stands in for every department code
the benchmark registers (``marriage01``, ``marriage02``…): each is served under its own path
(its manifest's endpoint names it), answers in its own name and signs with its own Ed25519 key,
derived from the code as the mocks derive theirs. It knows every resident ID: its facts are
computed from the ID, so the benchmark can check what came through.
"""

from __future__ import annotations

import argparse
import hashlib
from functools import cache
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mocks.serving import server_config
from mocks.signing import Signer
from mocks.wire import Item, Refusal, answer_body, parse_batch

FIELD = "maritalStatus"
"""The field the benchmark asks for; category ``basic``, which statutory purposes reach raw."""
_STATUSES = ("UNMARRIED", "MARRIED", "DIVORCED", "WIDOWED")
_BATCH_LIMIT = 500
_JSON = "application/json"


def department_code(round_number: int) -> str:
    """The department (and its one domain) a benchmark round registers."""
    return f"marriage{round_number:02d}"


def marital_status(subject: str) -> str:
    return _STATUSES[hashlib.sha256(subject.encode()).digest()[0] % len(_STATUSES)]


def manifest(department: str, base_url: str) -> str:
    """The manifest ``department`` hands in: JSON text, which registerConnector reads as YAML."""
    document: dict[str, Any] = {
        "department": department,
        "name": {"en": "Civil Affairs Bureau — Marriage Registry", "zh": "民政局婚姻登记处"},
        "transport": {"kind": "http-json", "endpoint": f"{base_url}/{department}"},
        "batch_limit": _BATCH_LIMIT,
        "timeout_ms": 2_000,
        "public_key": _signer(department).public_key,
        "domains": {
            department: {
                "description": {"en": "Marriage registration", "zh": "婚姻登记信息"},
                "fields": {
                    FIELD: {
                        "type": "String!",
                        "category": "basic",
                        "description": {"en": "Registered marital status", "zh": "婚姻状况"},
                    }
                },
            }
        },
    }
    return orjson.dumps(document).decode()


def create_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/{department}/v1/batch", _batch, methods=["POST"]),
            Route("/{department}/healthz", _healthz, methods=["GET"]),
        ]
    )


async def _batch(request: Request) -> Response:
    department = request.path_params["department"]
    body = await request.body()
    try:
        items = parse_batch(body, {FIELD}, _BATCH_LIMIT)
    except Refusal as refusal:
        return Response(refusal.body(), status_code=refusal.status, media_type=_JSON)
    answer = answer_body(department, body, [_result(item) for item in items])
    headers = _signer(department).headers(answer)
    return Response(answer, media_type=_JSON, headers=headers)


def _result(item: Item) -> dict[str, object]:
    facts = {FIELD: marital_status(item.id)}
    return {"id": item.id, "found": True, "fields": {name: facts[name] for name in item.fields}}


@cache
def _signer(department: str) -> Signer:
    return Signer(department)


async def _healthz(request: Request) -> Response:
    return Response(b'{"status": "ok"}', media_type=_JSON)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.marriage_registry", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.Server(server_config(create_app(), "127.0.0.1", args.port)).run()


if __name__ == "__main__":
    main()
