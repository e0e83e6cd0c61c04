"""Requests from the bench process: any JSON answer, or one checked to be a 200 without errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import orjson

from bench.errors import BenchFailed

_SHOWN_CHARACTERS = 2_000


async def post_json(
    session: aiohttp.ClientSession, url: str, headers: Mapping[str, str], body: bytes
) -> tuple[int, dict[str, Any] | None, bytes]:
    """The answer's status, its JSON object (None when it is not one) and its bytes."""
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
    return response.status, answer if isinstance(answer, dict) else None, text


async def post_checked(
    session: aiohttp.ClientSession, url: str, headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    status, answer, text = await post_json(session, url, headers, body)
    if status != 200 or answer is None or "errors" in answer:
        raise BenchFailed(f"{url} answered HTTP {status}: {shown(text)}")
    return answer


def shown(text: bytes) -> str:
    """An answer's start, for a failure's message."""
    return text.decode(errors="replace")[:_SHOWN_CHARACTERS]
