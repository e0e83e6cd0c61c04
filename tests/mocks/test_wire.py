"""The routes of docs/wire-format.md as a department serves them, over real sockets."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp
import orjson

from mocks.app import ASKED_KEPT
from mocks.population import Population


async def _batch(
    http: aiohttp.ClientSession, url: str, items: list[dict[str, object]]
) -> tuple[int, Any]:
    async with http.post(f"{url}/v1/batch", data=orjson.dumps({"items": items})) as response:
        return response.status, orjson.loads(await response.read())


async def test_batch_answers_each_item_with_only_its_own_fields(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    first, second = population.people[0], population.people[1]
    status, answer = await _batch(
        http,
        urls["police"],
        [
            {"id": first.id, "fields": ["name", "birthDate"]},
            {"id": second.id, "fields": ["gender"]},
            {"id": "110101190001010000", "fields": ["name"]},
        ],
    )
    assert status == 200
    assert answer["department"] == "police"
    assert answer["results"] == [
        {
            "id": first.id,
            "found": True,
            "fields": {"name": first.name, "birthDate": first.birth.isoformat()},
        },
        {"id": second.id, "found": True, "fields": {"gender": "MALE" if second.male else "FEMALE"}},
        {"id": "110101190001010000", "found": False},
    ]


async def test_one_subject_get_is_bound_to_its_request_target(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    person = population.people[0]
    target = f"/v1/citizens/{person.id}?fields=propertyCount,totalAreaSqm"
    async with http.get(urls["housing"] + target) as response:
        answer = orjson.loads(await response.read())
    assert answer["request_sha256"] == hashlib.sha256(target.encode()).hexdigest()
    [result] = answer["results"]
    assert result["id"] == person.id
    assert set(result["fields"]) == {"propertyCount", "totalAreaSqm"}


async def test_unknown_field_is_refused_with_400(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    status, answer = await _batch(
        http, urls["health"], [{"id": population.people[0].id, "fields": ["scheme", "salary"]}]
    )
    assert status == 400
    assert answer == {"error": {"code": "UNKNOWN_FIELD", "message": "no such field: salary"}}


async def test_more_items_than_the_batch_limit_is_refused_with_413(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    items: list[dict[str, object]] = [
        {"id": person.id, "fields": ["employed"]} for person in population.people[:501]
    ]
    status, answer = await _batch(http, urls["hrss"], items)
    assert (status, answer["error"]["code"]) == (413, "BATCH_TOO_LARGE")
    status, answer = await _batch(http, urls["hrss"], items[:500])
    assert status == 200
    assert len(answer["results"]) == 500


async def test_malformed_requests_are_refused_with_400(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    for body in (b"{not json", b'{"items": {}}', b'{"items": [{"id": 1, "fields": []}]}'):
        async with http.post(f"{urls['police']}/v1/batch", data=body) as response:
            assert response.status == 400, body
            assert orjson.loads(await response.read())["error"]["code"] == "BAD_REQUEST"
    async with http.get(f"{urls['police']}/v1/citizens/110101190001010000") as response:
        assert response.status == 400


async def test_stats_count_batches_items_and_fields_until_reset(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    url = urls["housing"]
    async with http.post(f"{url}/_stats/reset") as response:
        assert orjson.loads(await response.read())["batches"] == 0
    ids = [person.id for person in population.people[:3]]
    await _batch(http, url, [{"id": subject, "fields": ["propertyCount"]} for subject in ids])
    await _batch(http, url, [{"id": ids[0], "fields": []}])
    async with http.get(f"{url}/_stats") as response:
        assert orjson.loads(await response.read()) == {
            "batches": 2,
            "items": 4,
            "fields_asked": ["propertyCount"],
            "hanging": 0,
        }


async def test_asked_lists_each_batch_item_since_reset(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    url = urls["police"]
    first, second = population.people[0].id, population.people[1].id
    await _batch(http, url, [{"id": first, "fields": ["name"]}])
    async with http.post(f"{url}/_stats/reset") as response:
        assert response.status == 200
    await _batch(http, url, [{"id": first, "fields": ["gender", "size"]}])
    await _batch(http, url, [{"id": second, "fields": []}, {"id": first, "fields": ["name"]}])
    async with http.get(f"{url}/v1/citizens/{second}?fields=phone") as response:
        assert response.status == 200  # a one-subject read, not a batch item

    async with http.get(f"{url}/_asked") as response:
        assert orjson.loads(await response.read()) == [
            [first, ["gender", "size"]],
            [second, []],
            [first, ["name"]],
        ]


async def test_asked_keeps_only_the_latest_items(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population
) -> None:
    url = urls["housing"]
    items: list[dict[str, object]] = [
        {"id": person.id, "fields": ["propertyCount"]} for person in population.people[:500]
    ]
    for _ in range(ASKED_KEPT // len(items)):
        await _batch(http, url, items)
    last = population.people[500].id
    await _batch(http, url, [{"id": last, "fields": ["totalAreaSqm"]}])

    async with http.get(f"{url}/_asked") as response:
        asked = orjson.loads(await response.read())
    assert len(asked) == ASKED_KEPT
    assert asked[0] == [population.people[1].id, ["propertyCount"]]
    assert asked[-1] == [last, ["totalAreaSqm"]]


async def test_health_is_ok_and_unknown_routes_are_json_404(
    http: aiohttp.ClientSession, urls: dict[str, str]
) -> None:
    async with http.get(f"{urls['hrss']}/healthz") as response:
        assert (response.status, await response.json()) == (200, {"status": "ok"})
    async with http.get(f"{urls['hrss']}/v2/batch") as response:
        assert response.status == 404
        assert (await response.json())["error"]["code"] == "NOT_FOUND"
