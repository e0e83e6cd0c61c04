"""Transport plugins from the ``tongban.transports`` entry points: checked where declared, as
pluggy checks hooks, and held to the transport contract once running."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.plugins import check_plugin
from connectors.records import FetchItem, SubjectRecord
from connectors.registry import build_connector
from connectors.transport_specs import PluginTransportSpec
from hub.errors import ManifestError
from tests.connectors.ledger_plugin import CLOSED, install
from tests.e2e.tax_department import manifest_document

FIRST, SECOND = "110101199003074518", "110105199001011237"
INCOMES = {FIRST: 52_000.0}


@pytest.fixture(autouse=True)
def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(install(tmp_path))


def _document(name: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    transport = {"kind": "plugin", "name": name, "options": options or {"incomes": INCOMES}}
    return manifest_document(transport, None)


@pytest.fixture
async def client() -> AsyncIterator[HttpClient]:
    async with HttpClient() as opened:
        yield opened


async def test_a_plugin_found_through_its_entry_point_answers_only_what_was_asked(
    client: HttpClient,
) -> None:
    connector = build_connector(parse_manifest(_document("ledger"), "tax"), client)
    closed = len(CLOSED)

    answered = await connector.fetch(
        [FetchItem(FIRST, frozenset({"annualTaxableIncome"})), FetchItem(SECOND, frozenset())]
    )
    await connector.health()
    await connector.close()

    first, second = answered[FIRST], answered[SECOND]
    assert isinstance(first, SubjectRecord)
    assert isinstance(second, SubjectRecord)
    assert first.fields == {"annualTaxableIncome": 52_000.0}  # not the ledger's "secret"
    assert not second.found
    assert CLOSED[closed:] == ["tax"]


@pytest.mark.parametrize(
    ("name", "options", "path", "reason"),
    [
        ("abacus", None, "transport.name", "plugin 'abacus' is not installed"),
        ("unimportable", None, "transport.name", "cannot be imported"),
        ("ledger", {"incomes": "all of them"}, "transport.options", "must map resident IDs"),
        ("hollow", None, "transport.name", "without async fetch, health, close"),
        ("sticky", None, "transport.name", "OSError: the ledger file stays locked"),
    ],
)
async def test_a_plugin_that_cannot_serve_is_a_manifest_error_naming_it(
    name: str, options: dict[str, Any] | None, path: str, reason: str
) -> None:
    manifest = parse_manifest(_document(name, options), "tax")
    assert isinstance(manifest.transport, PluginTransportSpec)

    with pytest.raises(ManifestError) as raised:
        await check_plugin(manifest, manifest.transport, "manifest")

    assert (raised.value.code, raised.value.path) == ("MANIFEST_INVALID", path)
    assert reason in raised.value.reason
    assert repr(name) in raised.value.reason


async def test_a_plugin_raising_its_own_exception_is_source_unavailable(
    client: HttpClient,
) -> None:
    connector = build_connector(parse_manifest(_document("failing"), "tax"), client)

    answered = await connector.fetch([FetchItem(FIRST, frozenset({"annualTaxableIncome"}))])
    await connector.close()

    outcome = answered[FIRST]
    assert not isinstance(outcome, SubjectRecord)
    assert outcome.code == "SOURCE_UNAVAILABLE"
    assert "RuntimeError: the ledger file is locked" in outcome.message
