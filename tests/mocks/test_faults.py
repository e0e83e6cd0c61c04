"""Each fault knob does what it says, set at start or at runtime over HTTP."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import orjson
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mocks.app import create_app
from mocks.faults import Faults
from mocks.population import Population
from tests.mocks.manifests import manifest
from tests.support.servers import serving


@pytest.fixture(scope="module")
async def police(population: Population) -> AsyncIterator[str]:
    """A police mock of this module's own, so that knobs set here touch no other module."""
    async with serving(create_app("police", population)) as base:
        yield base


@pytest.fixture
async def url(http: aiohttp.ClientSession, police: str) -> AsyncIterator[str]:
    """The module's mock, with every knob switched off again after the test."""
    yield police
    await _put_faults(http, police, {})


def _request(population: Population) -> bytes:
    return orjson.dumps({"items": [{"id": population.people[0].id, "fields": ["name"]}]})


async def _call(
    http: aiohttp.ClientSession, url: str, request: bytes, timeout_s: float = 5.0
) -> tuple[int, bytes, Mapping[str, str]]:
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with http.post(f"{url}/v1/batch", data=request, timeout=timeout) as response:
        return response.status, await response.read(), response.headers.copy()


async def _put_faults(http: aiohttp.ClientSession, url: str, knobs: object) -> Any:
    async with http.put(f"{url}/_faults", data=orjson.dumps(knobs)) as response:
        return response.status, await response.json()


async def _hanging(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(f"{url}/_stats") as response:
        hanging: int = (await response.json())["hanging"]
    return hanging


async def _eventually_hanging(http: aiohttp.ClientSession, url: str, count: int) -> None:
    for _ in range(200):
        if await _hanging(http, url) == count:
            return
        await asyncio.sleep(0.01)
    pytest.fail(f"never {count} calls hanging")


async def test_faults_given_at_start_are_in_force(
    http: aiohttp.ClientSession, population: Population
) -> None:
    faults = Faults(latency_ms=1.0, error_rate=1.0)
    async with serving(create_app("police", population, faults=faults)) as base:
        async with http.get(f"{base}/_faults") as response:
            assert await response.json() == vars(faults)
        status, body, _ = await _call(http, base, _request(population))
    assert (status, orjson.loads(body)["error"]["code"]) == (503, "UNAVAILABLE")


async def test_put_replaces_every_knob_and_refuses_bad_ones(
    http: aiohttp.ClientSession, url: str
) -> None:
    await _put_faults(http, url, {"garbage": True, "latency_ms": 3})
    status, knobs = await _put_faults(http, url, {"error_rate": 0.5})
    assert status == 200
    assert knobs == vars(Faults(error_rate=0.5))
    for bad in ({"error_rate": 1.5}, {"hang": "yes"}, {"slow": True}, [1]):
        status, answer = await _put_faults(http, url, bad)
        assert (status, answer["error"]["code"]) == (400, "BAD_REQUEST"), bad
    async with http.get(f"{url}/_faults") as response:
        assert await response.json() == vars(Faults(error_rate=0.5))


async def test_latency_delays_every_answer(
    http: aiohttp.ClientSession, url: str, population: Population
) -> None:
    await _put_faults(http, url, {"latency_ms": 150})
    started = time.perf_counter()
    status, _, _ = await _call(http, url, _request(population))
    assert status == 200
    assert time.perf_counter() - started >= 0.15


async def test_error_rate_fails_an_exact_evenly_spread_share(
    http: aiohttp.ClientSession, url: str, population: Population
) -> None:
    await _put_faults(http, url, {"error_rate": 0.5})
    answers = [await _call(http, url, _request(population)) for _ in range(6)]
    assert [status for status, _, _ in answers] == [200, 503] * 3
    assert orjson.loads(answers[1][1])["error"]["code"] == "UNAVAILABLE"


async def test_hang_holds_answers_until_it_is_cleared(
    http: aiohttp.ClientSession, url: str, population: Population
) -> None:
    await _put_faults(http, url, {"hang": True})
    pending = asyncio.create_task(_call(http, url, _request(population)))
    await _eventually_hanging(http, url, 1)
    assert not pending.done()
    await _put_faults(http, url, {})
    status, _, _ = await pending
    assert status == 200
    assert await _hanging(http, url) == 0


async def test_hang_lets_go_when_the_client_gives_up(
    http: aiohttp.ClientSession, url: str, population: Population
) -> None:
    await _put_faults(http, url, {"hang": True})
    with pytest.raises(TimeoutError):
        await _call(http, url, _request(population), timeout_s=0.2)
    await _eventually_hanging(http, url, 0)


async def test_garbage_answers_200_with_a_body_that_is_not_json(
    http: aiohttp.ClientSession, url: str, population: Population
) -> None:
    await _put_faults(http, url, {"garbage": True})
    status, body, _ = await _call(http, url, _request(population))
    assert status == 200
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(body)


async def test_bad_signature_is_well_formed_but_does_not_verify(
    http: aiohttp.ClientSession, url: str, population: Population
) -> None:
    await _put_faults(http, url, {"bad_signature": True})
    request = _request(population)
    status, body, headers = await _call(http, url, request)
    assert status == 200
    assert orjson.loads(body)["request_sha256"] == hashlib.sha256(request).hexdigest()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(manifest("police")["public_key"]))
    signature = base64.b64decode(headers["Tongban-Signature"], validate=True)
    assert len(signature) == 64
    with pytest.raises(InvalidSignature):
        key.verify(signature, body)
