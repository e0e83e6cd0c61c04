"""A PostgreSQL view on the local server, read through asyncpg: one parameterised query per
distinct field set, in a read-only transaction, each subject read only its own columns — as the
server reports what it was made to read (``tests.connectors.tax_view``), not as the hub says."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest

from connectors.connector import Connector
from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.records import FetchItem, SubjectOutcome, SubjectRecord
from connectors.registry import build_connector
from tests.connectors.departments import FIELDS, full_facts, full_manifest
from tests.connectors.tax_view import COLUMNS, create_tax_view

pytestmark = pytest.mark.postgres

FIRST, SECOND, THIRD, STRANGER = (
    "110101199003074518",
    "110105199001011237",
    "310104198512120022",
    "440305199912310011",
)
INCOME = frozenset({"annualTaxableIncome"})


@dataclass
class Department:
    url: str
    database: asyncpg.Connection
    reads: list[tuple[str, str, str]] = field(default_factory=list)
    """(column, subject, statement start) for every value the server was made to read."""

    def connector(self, client: HttpClient, **transport: Any) -> Connector:
        spec: dict[str, Any] = {"kind": "postgres", "dsn": self.url, "view": "tax.citizen_income"}
        spec |= {"id_column": "id_no", "columns": COLUMNS, **transport}
        document = full_manifest(spec, None) | {"timeout_ms": 1_000}
        return build_connector(parse_manifest(document, "tax"), client)

    async def settled_reads(self) -> list[tuple[str, str, str]]:
        await self.database.execute("SELECT 1")  # notifications of earlier commits are in
        return self.reads

    async def hub_connections(self) -> int:
        count: int = await self.database.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = 'tongban'"
        )
        return count


@pytest.fixture
async def department(postgres_url: str) -> AsyncIterator[Department]:
    database = await asyncpg.connect(postgres_url)
    try:
        await create_tax_view(database, [FIRST, SECOND, THIRD])
        found = Department(postgres_url, database)
        await database.add_listener(
            "tax_reads", lambda *args: found.reads.append(tuple(args[3].split(" ", 2)))
        )
        yield found
    finally:
        await database.close()


@pytest.fixture
async def client() -> AsyncIterator[HttpClient]:
    async with HttpClient() as opened:
        yield opened


async def _fetch(connector: Connector, *items: FetchItem) -> dict[str, SubjectOutcome]:
    try:
        return await connector.fetch(items)
    finally:
        await connector.close()


async def test_each_subject_is_read_only_its_own_columns_one_query_per_field_set(
    department: Department, client: HttpClient
) -> None:
    connector = department.connector(client)

    await _fetch(
        connector, FetchItem(FIRST, INCOME), FetchItem(SECOND, FIELDS), FetchItem(THIRD, INCOME)
    )

    reads = await department.settled_reads()
    by_subject: dict[str, set[str]] = {}
    for column, subject, _ in reads:
        by_subject.setdefault(subject, set()).add(column)
    assert by_subject == {
        FIRST: {"taxable"},
        SECOND: {"taxable", "paid", "dependants", "assessedOn"},
        THIRD: {"taxable"},
    }
    assert len({statement for _, _, statement in reads}) == 2


async def test_values_arrive_as_the_manifest_types_them_and_unsigned(
    department: Department, client: HttpClient
) -> None:
    answered = await _fetch(department.connector(client), FetchItem(SECOND, FIELDS))

    record = answered[SECOND]
    assert isinstance(record, SubjectRecord)
    assert record.fields == full_facts(SECOND)  # numeric → float, jsonb → list, date → ISO text
    assert (record.provenance.signature_verified, record.provenance.key_id) == (False, None)


async def test_a_subject_without_a_row_is_not_found(
    department: Department, client: HttpClient
) -> None:
    answered = await _fetch(department.connector(client), FetchItem(STRANGER, INCOME))

    stranger = answered[STRANGER]
    assert isinstance(stranger, SubjectRecord)
    assert (stranger.found, stranger.fields) == (False, {})


async def test_the_reads_run_in_a_read_only_transaction(
    department: Department, client: HttpClient
) -> None:
    connector = department.connector(client, view="tax.writing")

    answered = await _fetch(connector, FetchItem(FIRST, INCOME))

    refused = answered[FIRST]
    assert not isinstance(refused, SubjectRecord)
    assert refused.code == "SOURCE_UNAVAILABLE"
    assert "read-only transaction" in refused.message
    assert await department.database.fetchval("SELECT count(*) FROM tax.read_log") == 0


@pytest.mark.parametrize(
    ("transport", "code", "reason"),
    [
        (
            {"columns": {**COLUMNS, "taxPaidLastYear": "paid_total"}},
            "SOURCE_BAD_RESPONSE",
            "paid_total",
        ),
        ({"view": "tax.no_such_view"}, "SOURCE_BAD_RESPONSE", "no_such_view"),
        ({"id_column": "taxable"}, "SOURCE_BAD_RESPONSE", "does not fit the manifest"),
        ({"view": "tax.slow"}, "SOURCE_TIMEOUT", "within 1 s"),
    ],
)
async def test_a_view_that_does_not_fit_or_stalls_fails_with_a_stable_code(
    department: Department,
    client: HttpClient,
    transport: dict[str, Any],
    code: str,
    reason: str,
) -> None:
    connector = department.connector(client, **transport)

    answered = await _fetch(connector, FetchItem(FIRST, frozenset({"taxPaidLastYear"})))

    outcome = answered[FIRST]
    assert not isinstance(outcome, SubjectRecord)
    assert (outcome.code, outcome.department) == (code, "tax")
    assert reason in outcome.message


async def test_an_unreachable_database_is_source_unavailable(
    department: Department, client: HttpClient
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the socket closes
    connector = department.connector(client, dsn=f"postgresql://postgres@127.0.0.1:{port}/x")

    answered = await _fetch(connector, FetchItem(FIRST, INCOME))

    outcome = answered[FIRST]
    assert not isinstance(outcome, SubjectRecord)
    assert outcome.code == "SOURCE_UNAVAILABLE"
    assert "cannot reach" in outcome.message


async def test_the_pool_opens_on_first_use_and_closes_with_the_connector(
    department: Department, client: HttpClient
) -> None:
    connector = department.connector(client)
    assert await department.hub_connections() == 0

    await connector.health()
    assert await department.hub_connections() == 1

    await connector.close()
    async with asyncio.timeout(5):
        while await department.hub_connections():  # noqa: ASYNC110 — the state is the server's
            await asyncio.sleep(0.02)
