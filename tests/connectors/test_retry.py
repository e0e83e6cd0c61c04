"""A department read whose connection failed is sent once more, within the same deadline."""

from __future__ import annotations

from connectors.connector import Connector
from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.manifest_text import read_manifest_document
from connectors.records import FetchItem, SubjectRecord
from connectors.registry import build_connector
from hub.errors import SourceUnavailable
from tests.connectors.dropping_front import DroppingFront
from tests.e2e.tax_department import TaxBureau, expected_income, manifest
from tests.support.servers import serving

SUBJECT = "110101199003074518"
ASKED = [FetchItem(SUBJECT, frozenset({"annualTaxableIncome"}))]


async def _fetch_through(drops: int) -> tuple[object, Connector, TaxBureau]:
    bureau = TaxBureau()
    async with (
        serving(bureau.app()) as url,
        DroppingFront(url, drops).serving() as front,
        HttpClient() as client,
    ):
        text = manifest(front, bureau.public_key)
        parsed = parse_manifest(read_manifest_document(text, "tax"), "tax")
        connector = build_connector(parsed, client)
        outcome = (await connector.fetch(ASKED))[SUBJECT]
    return outcome, connector, bureau


async def test_a_dropped_connection_is_retried_once_and_answers() -> None:
    outcome, connector, bureau = await _fetch_through(drops=1)

    assert isinstance(outcome, SubjectRecord)
    assert outcome.fields == {"annualTaxableIncome": expected_income(SUBJECT)}
    assert bureau.received == 1
    assert connector.circuit.consecutive_failures == 0


async def test_a_second_dropped_connection_fails_the_read_as_one_failure() -> None:
    outcome, connector, bureau = await _fetch_through(drops=2)

    assert isinstance(outcome, SourceUnavailable)
    assert outcome.code == "SOURCE_UNAVAILABLE"
    assert bureau.received == 0
    assert connector.circuit.consecutive_failures == 1
