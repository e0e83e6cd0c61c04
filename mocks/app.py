"""One mock department as a Starlette app: the wire-format routes, plus underscore routes that
tests and benchmarks use to read counters and what was asked, find sample subjects and inject
faults.

Faults act on the data routes (``/v1/batch``, ``/v1/citizens/{id}``) only, so a health probe
never moves the deterministic error count.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping, Sequence
from http import HTTPStatus

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mocks.departments import DEPARTMENTS, Department
from mocks.faults import NO_FAULTS, Faults, FaultSwitch
from mocks.population import Population
from mocks.samples import find_samples
from mocks.signing import Signer
from mocks.wire import Item, Refusal, answer_body, error_body, parse_batch, parse_fields

_JSON = "application/json"
_GARBAGE = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
ASKED_KEPT = 20_000
"""Batch items ``/_asked`` remembers: plenty for a test, bounded under a benchmark's load."""


def create_app(
    department: str, population: Population, *, faults: Faults = NO_FAULTS, batch_limit: int = 500
) -> Starlette:
    if department not in DEPARTMENTS:
        raise ValueError(f"unknown department {department!r}; known: {', '.join(DEPARTMENTS)}")
    mock = _MockDepartment(DEPARTMENTS[department], population, faults, batch_limit)
    return Starlette(
        routes=[
            Route("/v1/batch", mock.batch, methods=["POST"]),
            Route("/v1/citizens/{id}", mock.citizen, methods=["GET"]),
            Route("/v1/key", mock.key, methods=["GET"]),
            Route("/healthz", _healthz, methods=["GET"]),
            Route("/_samples", mock.samples, methods=["GET"]),
            Route("/_stats", mock.stats, methods=["GET"]),
            Route("/_stats/reset", mock.reset_stats, methods=["POST"]),
            Route("/_asked", mock.asked, methods=["GET"]),
            Route("/_faults", mock.faults, methods=["GET", "PUT"]),
        ],
        exception_handlers={Refusal: _refused, HTTPException: _http_error},
    )


class _MockDepartment:
    def __init__(
        self, department: Department, population: Population, faults: Faults, batch_limit: int
    ) -> None:
        self._department = department
        self._population = population
        self._signer = Signer(department.name)
        self._switch = FaultSwitch(faults)
        self._batch_limit = batch_limit
        self._records: dict[str, Mapping[str, object] | None] = {}
        self._samples: dict[str, str] | None = None
        self._batches = 0
        self._items = 0
        self._fields_asked: set[str] = set()
        self._asked: deque[Item] = deque(maxlen=ASKED_KEPT)
        self._hanging = 0

    async def batch(self, request: Request) -> Response:
        body = await request.body()
        items = parse_batch(body, self._department.fields, self._batch_limit)
        self._batches += 1
        self._items += len(items)
        self._fields_asked.update(name for item in items for name in item.fields)
        self._asked.extend(items)
        return await self._answer(request, body, items)

    async def citizen(self, request: Request) -> Response:
        fields = parse_fields(request.query_params.get("fields"), self._department.fields)
        target = request.scope["raw_path"] + b"?" + request.scope["query_string"]
        return await self._answer(request, target, [Item(request.path_params["id"], fields)])

    async def key(self, request: Request) -> Response:
        return _json(
            {
                "department": self._department.name,
                "key_id": self._signer.key_id,
                "algorithm": "Ed25519",
                "public_key": self._signer.public_key,
            }
        )

    async def samples(self, request: Request) -> Response:
        if self._samples is None:
            try:
                self._samples = find_samples(self._population)
            except ValueError as exc:
                raise Refusal(404, "NOT_FOUND", str(exc)) from exc
        return _json(self._samples)

    async def stats(self, request: Request) -> Response:
        return _json(
            {
                "batches": self._batches,
                "items": self._items,
                "fields_asked": sorted(self._fields_asked),
                "hanging": self._hanging,
            }
        )

    async def reset_stats(self, request: Request) -> Response:
        self._batches = self._items = 0
        self._fields_asked.clear()
        self._asked.clear()
        return await self.stats(request)

    async def asked(self, request: Request) -> Response:
        """Each batch item since the last reset, oldest first: which subject was asked for
        which fields, so a test can prove that no request named a field policy withheld."""
        return _json([[item.id, list(item.fields)] for item in self._asked])

    async def faults(self, request: Request) -> Response:
        if request.method == "PUT":
            try:
                self._switch.set(Faults.from_json(orjson.loads(await request.body())))
            except (orjson.JSONDecodeError, ValueError) as exc:
                raise Refusal(400, "BAD_REQUEST", str(exc)) from exc
        return _json(vars(self._switch.faults))

    async def _answer(self, request: Request, bound_to: bytes, items: Sequence[Item]) -> Response:
        """``bound_to`` is what ``request_sha256`` hashes: the batch body or the GET target."""
        if self._switch.faults.latency_ms:
            await asyncio.sleep(self._switch.faults.latency_ms / 1000)
        if self._switch.faults.hang:
            await self._hold(request)
        if self._switch.next_call_fails():
            raise Refusal(503, "UNAVAILABLE", "injected fault: error_rate")
        if self._switch.faults.garbage:
            return Response(_GARBAGE, media_type="text/html")
        body = answer_body(self._department.name, bound_to, [self._result(item) for item in items])
        headers = self._signer.headers(body, forged=self._switch.faults.bad_signature)
        return Response(body, media_type=_JSON, headers=headers)

    def _result(self, item: Item) -> dict[str, object]:
        try:
            record = self._records[item.id]
        except KeyError:
            person = self._population.by_id.get(item.id)
            if person is None:
                return {"id": item.id, "found": False}
            record = self._records[item.id] = self._department.record(person, self._population.seed)
        if record is None:
            return {"id": item.id, "found": False}
        return {
            "id": item.id,
            "found": True,
            "fields": {name: record[name] for name in item.fields},
        }

    async def _hold(self, request: Request) -> None:
        """Answer nothing until the hang is switched off or the client gives up."""
        self._hanging += 1
        waits = [
            asyncio.ensure_future(self._switch.released()),
            asyncio.ensure_future(_disconnected(request)),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
            self._hanging -= 1


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _healthz(request: Request) -> Response:
    return _json({"status": "ok"})


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refusal)
    return Response(exc.body(), status_code=exc.status, media_type=_JSON)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTPStatus(exc.status_code).name
    return Response(error_body(code, exc.detail), status_code=exc.status_code, media_type=_JSON)


def _json(document: object) -> Response:
    return Response(orjson.dumps(document), media_type=_JSON)
