"""Transport plugins for the tests, installed through a real entry point: ``install`` writes a
distribution's metadata (``*.dist-info`` with ``entry_points.txt``) into a directory, and once
that directory is on ``sys.path`` ``importlib.metadata`` finds them as it finds any package's.

``ledger`` answers from a ledger in its options, and answers every field whatever was asked (so
the hub must drop what it did not ask); the others are broken in the ways a plugin can be.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from connectors.manifest import Manifest
from connectors.records import FetchItem, Provenance, ResidentId, SubjectRecord
from connectors.transport_specs import PluginTransportSpec

ENTRY_POINTS = """\
[tongban.transports]
ledger = tests.connectors.ledger_plugin:ledger
failing = tests.connectors.ledger_plugin:failing
hollow = tests.connectors.ledger_plugin:hollow
sticky = tests.connectors.ledger_plugin:sticky
unimportable = tests.connectors.no_such_module:factory
"""
CLOSED: list[str] = []
"""The department of each ledger closed so far."""


def install(directory: Path) -> Path:
    """Write the test plugins' distribution metadata into ``directory``; returns it."""
    info = directory / "tongban_test_plugins-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: tongban-test-plugins\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    return directory


class Ledger:
    def __init__(self, manifest: Manifest) -> None:
        assert isinstance(manifest.transport, PluginTransportSpec)
        options = manifest.transport.options
        if not isinstance(options.get("incomes"), dict):
            raise ValueError("option 'incomes' must map resident IDs to incomes")
        self._department = manifest.department
        self._incomes: dict[str, float] = options["incomes"]

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        now = datetime.now(UTC)
        provenance = Provenance(self._department, now.isoformat(), now, False, None)
        records = {}
        for item in items:
            income = self._incomes.get(item.subject)
            fields = {} if income is None else {"annualTaxableIncome": income, "secret": 1}
            records[item.subject] = SubjectRecord(income is not None, fields, provenance)
        return records

    async def health(self) -> None:
        return None

    async def close(self) -> None:
        CLOSED.append(self._department)


class FailingLedger(Ledger):
    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        raise RuntimeError("the ledger file is locked")


class StickyLedger(Ledger):
    async def close(self) -> None:
        raise OSError("the ledger file stays locked")


def ledger(manifest: Manifest) -> Ledger:
    return Ledger(manifest)


def failing(manifest: Manifest) -> FailingLedger:
    return FailingLedger(manifest)


def sticky(manifest: Manifest) -> StickyLedger:
    return StickyLedger(manifest)


def hollow(manifest: Manifest) -> object:
    return object()
