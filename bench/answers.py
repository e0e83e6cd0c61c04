"""One checked request from the bench process: the answer must be a 200 without errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import orjson

from bench.errors import BenchFailed

_SHOWN_CHARACTERS = 2_000


async def post_checked(
    session: aiohttp.ClientSession, url: str, headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    try:
        async with session.post(
            url, data=body, headers={"Content-Type": "application/json", **headers}
        ) as response:
            text = await response.read()
    except aiohttp.ClientError as exc:
        raise BenchFailed(f"{url} did not answer: {exc!r}") from exc
    try:
        answer = orjson.loads(text)
    except orjson.JSONDecodeError:
        answer = None
    if response.status != 200 or not isinstance(answer, dict) or "errors" in answer:
        shown = text.decode(errors="replace")[:_SHOWN_CHARACTERS]
        raise BenchFailed(f"{url} answered HTTP {response.status}: {shown}")
    return answer
