"""The hub's other routes: health, readiness and the offline GraphiQL page."""

from __future__ import annotations

import re
from pathlib import Path

from hub.store import open_store
from tests.e2e.conftest import Departments, HubClient, serve_hub


async def test_healthz_answers_without_authentication(hub: HubClient) -> None:
    async with hub.session.get(f"{hub.url}/healthz") as answer:
        assert (answer.status, await answer.json()) == (200, {"status": "ok"})


async def test_readyz_reports_store_and_every_department(hub: HubClient) -> None:
    async with hub.session.get(f"{hub.url}/readyz") as answer:
        report = await answer.json()

    assert answer.status == 200
    assert report.keys() == {"ready", "store", "connectors"}
    assert (report["ready"], report["store"]) == (True, "ok")
    assert report["connectors"].keys() == {"police", "hrss", "housing", "health"}
    assert all(c["health"] == "ok" for c in report["connectors"].values())
    circuit_keys = {"state", "consecutive_failures", "last_failure", "last_failure_at"}
    assert all(c["circuit"].keys() == circuit_keys for c in report["connectors"].values())


async def test_readyz_names_a_department_that_is_down(
    departments: Departments, tmp_path: Path
) -> None:
    urls = {**departments.urls, "health": "http://127.0.0.1:9"}
    async for hub in serve_hub(await open_store(f"sqlite:///{tmp_path / 'hub.db'}"), urls):
        async with hub.session.get(f"{hub.url}/readyz") as answer:
            report = await answer.json()

        assert answer.status == 200, "a department down degrades answers; the hub is still ready"
        assert report["connectors"]["health"]["health"].startswith("SOURCE_UNAVAILABLE")
        assert report["connectors"]["police"]["health"] == "ok"


async def test_graphiql_page_loads_nothing_from_outside(hub: HubClient) -> None:
    async with hub.session.get(f"{hub.url}/graphql") as answer:
        page = await answer.text()

    assert answer.status == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets, "the page names its scripts and styles"
    assert all(asset.startswith("/static/graphiql/") for asset in assets), assets
    assert "http://" not in page
    assert "https://" not in page
    for asset in assets:
        async with hub.session.get(f"{hub.url}{asset}") as served:
            assert served.status == 200, asset
            assert len(await served.read()) > 1_000, asset
