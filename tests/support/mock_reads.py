"""What the mock departments hold, and what they were asked, read over their own routes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.support.catalogue import Catalogue

Record = Mapping[str, Any]
Records = Mapping[str, Mapping[str, Record | None]]
"""Subject → department → every field it holds on them; None where it has no record."""


@dataclass(frozen=True)
class Asked:
    """What one department was asked since the last reset."""

    batches: int
    items: list[tuple[str, frozenset[str]]]


async def read_records(
    session: aiohttp.ClientSession,
    urls: Mapping[str, str],
    catalogue: Catalogue,
    subjects: Iterable[str],
) -> Records:
    """Each subject's true record at each department (``GET /v1/citizens/{id}``, no batch)."""
    records: dict[str, dict[str, Record | None]] = {}
    for subject in subjects:
        records[subject] = {}
        for department, url in urls.items():
            names = [name for d in catalogue.domains_of(department) for name in catalogue.fields[d]]
            target = f"{url}/v1/citizens/{subject}?fields={','.join(names)}"
            async with session.get(target) as answer:
                assert answer.status == 200, await answer.text()
                (result,) = (await answer.json())["results"]
            records[subject][department] = result["fields"] if result["found"] else None
    return records


async def reset(session: aiohttp.ClientSession, urls: Mapping[str, str]) -> None:
    async def one(url: str) -> None:
        async with session.post(f"{url}/_stats/reset") as answer:
            assert answer.status == 200

    await asyncio.gather(*(one(url) for url in urls.values()))


async def asked(session: aiohttp.ClientSession, urls: Mapping[str, str]) -> dict[str, Asked]:
    async def one(url: str) -> Asked:
        async with session.get(f"{url}/_stats") as stats, session.get(f"{url}/_asked") as items:
            batches: int = (await stats.json())["batches"]
            return Asked(batches, [(id, frozenset(fields)) for id, fields in await items.json()])

    answers = await asyncio.gather(*(one(url) for url in urls.values()))
    return dict(zip(urls, answers, strict=True))
