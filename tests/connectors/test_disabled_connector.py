"""A connector disabled while requests hold it: a call already at the department finishes, and
everything still waiting is refused with SOURCE_DISABLED instead of reaching the department."""

from __future__ import annotations

import asyncio

from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.manifest_text import read_manifest_document
from connectors.records import FetchItem, SubjectRecord
from connectors.registry import build_connector
from hub.errors import SourceDisabled
from tests.e2e.tax_department import TaxBureau, expected_income, manifest
from tests.support.servers import serving

FIRST, SECOND = "110101199003074518", "110105199001011237"


async def test_calls_waiting_behind_a_disabled_connector_are_refused() -> None:
    bureau = TaxBureau()
    bureau.open.clear()
    async with serving(bureau.app()) as url, HttpClient() as client:
        text = manifest(url, bureau.public_key)
        parsed = parse_manifest(read_manifest_document(text, "tax"), "tax")
        connector = build_connector(parsed, client)
        at_department = connector.fetch([FetchItem(FIRST, frozenset({"annualTaxableIncome"}))])
        while bureau.received == 0:  # noqa: ASYNC110 — the count lives in the server
            await asyncio.sleep(0.005)
        waiting = connector.fetch([FetchItem(SECOND, frozenset({"annualTaxableIncome"}))])

        connector.retire()
        bureau.open.set()
        answered, refused = await at_department, await waiting
        later = await connector.fetch([FetchItem(SECOND, frozenset({"annualTaxableIncome"}))])

    record = answered[FIRST]
    assert isinstance(record, SubjectRecord)
    assert record.fields == {"annualTaxableIncome": expected_income(FIRST)}
    assert isinstance(refused[SECOND], SourceDisabled)
    assert isinstance(later[SECOND], SourceDisabled)
    assert bureau.received == 1
