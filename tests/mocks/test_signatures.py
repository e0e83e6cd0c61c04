"""Answers are signed with the key the shipped manifests publish, over the exact body bytes."""

from __future__ import annotations

import base64
import hashlib

import aiohttp
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mocks.departments import DEPARTMENTS
from mocks.population import Population
from tests.mocks.manifests import manifest


@pytest.mark.parametrize("department", list(DEPARTMENTS))
async def test_published_key_is_the_manifests_key(
    http: aiohttp.ClientSession, urls: dict[str, str], department: str
) -> None:
    async with http.get(f"{urls[department]}/v1/key") as response:
        key = await response.json()
    public_key = manifest(department)["public_key"]
    assert key == {
        "department": department,
        "key_id": hashlib.sha256(base64.b64decode(public_key)).digest()[:8].hex(),
        "algorithm": "Ed25519",
        "public_key": public_key,
    }


@pytest.mark.parametrize("department", list(DEPARTMENTS))
async def test_batch_answer_verifies_with_the_manifest_key_and_binds_the_request(
    http: aiohttp.ClientSession, urls: dict[str, str], population: Population, department: str
) -> None:
    field = sorted(DEPARTMENTS[department].fields)[0]
    request = orjson.dumps({"items": [{"id": population.people[5].id, "fields": [field]}]})
    async with http.post(f"{urls[department]}/v1/batch", data=request) as response:
        body = await response.read()
        key_id = response.headers["Tongban-Key-Id"]
        signature = base64.b64decode(response.headers["Tongban-Signature"], validate=True)
    public_key = base64.b64decode(manifest(department)["public_key"])
    Ed25519PublicKey.from_public_bytes(public_key).verify(signature, body)
    assert key_id == hashlib.sha256(public_key).digest()[:8].hex()
    answer = orjson.loads(body)
    assert answer["department"] == department
    assert answer["request_sha256"] == hashlib.sha256(request).hexdigest()
    assert answer["issued_at"].endswith("Z")
