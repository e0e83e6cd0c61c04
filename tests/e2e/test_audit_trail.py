"""No data leaves without its audit record, and the record says who asked what, why, and how."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from urllib.parse import quote

from hub.audit.checkpoint import open_checkpoint
from hub.audit.leaf import AuditEntry, decode_leaf
from hub.audit.note import NoteVerifier
from hub.store import open_store
from hub.store.audit_records import AuditQuery
from tests.e2e.conftest import Departments, HubClient, serve_hub

WHO_QUERY = """query($id: ID!) { citizen(id: $id, purpose: "LOW_INCOME_REVIEW") {
  identity { name } property { propertyCount } } }"""


def _logged(database: Path, request_id: str) -> list[AuditEntry]:
    """What the log holds for a request, read straight from the file: appended or sequenced."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT body FROM audit_entries WHERE request_id = ?", (request_id,)
        ).fetchall()
    return [decode_leaf(body) for (body,) in rows]


async def test_answer_arrives_only_after_its_entry_is_durable(
    departments: Departments, tmp_path: Path
) -> None:
    path = tmp_path / "hub.db"
    subject = departments.samples["low_income"]
    headers = {
        "X-Request-Id": "req-durable-1",
        "Tongban-Operator": quote("街道窗口-李娜"),
        "Tongban-Case-Ref": "DB-2026-0042",
    }
    async for hub in serve_hub(await open_store(f"sqlite:///{path}"), departments.urls):
        status, body = await hub.post(WHO_QUERY, {"id": subject}, headers=headers)
        # Read before anything else runs: the entry must already be on disk.
        (entry,) = _logged(path, "req-durable-1")

    assert status == 200, body
    assert body["data"]["citizen"]["identity"]["name"]
    assert (entry.subject, entry.purpose, entry.role) == (subject, "LOW_INCOME_REVIEW", "portal")
    assert (entry.operator, entry.case_ref) == ("街道窗口-李娜", "DB-2026-0042")
    # Under the statutory 低保 review property is predicate-only: recorded, and housing not asked.
    assert entry.fields == (
        ("identity.name", "allow"),
        ("property.propertyCount", "predicate_only"),
    )
    assert entry.departments == (("police", "OK"),)
    assert entry.legal_basis is not None
    assert entry.legal_basis.startswith("PIPL Art. 13(3)")
    assert entry.outcome == "ok"


async def test_failed_department_is_in_the_entry(departments: Departments, tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    await departments.set_faults("police", error_rate=1.0)
    async for hub in serve_hub(await open_store(f"sqlite:///{path}"), departments.urls):
        await hub.post(
            WHO_QUERY, {"id": departments.samples["ordinary"]}, headers={"X-Request-Id": "req-2"}
        )
        (entry,) = _logged(path, "req-2")

    assert entry.departments == (("police", "SOURCE_UNAVAILABLE"),)
    assert entry.outcome == "failed"


async def test_each_subject_entry_says_how_each_department_answered_it(
    departments: Departments, tmp_path: Path
) -> None:
    """The hub builds each entry as it would read if every department answered, while they
    work; a subject answered otherwise (HR knows no minor) gets the entry of its own answers."""
    path = tmp_path / "hub.db"
    adult, minor = departments.samples["ordinary"], departments.samples["minor"]
    query = """query($ids: [ID!]!) { citizens(ids: $ids, purpose: "CITIZEN_PROFILE") {
      id identity { name } employment { employed } } }"""
    store = await open_store(f"sqlite:///{path}")
    async for hub in serve_hub(store, departments.urls, consenting=[adult, minor]):
        await hub.post(query, {"ids": [adult, minor]}, headers={"X-Request-Id": "req-mixed"})
        entries = {entry.subject: entry for entry in _logged(path, "req-mixed")}

    assert entries[adult].departments == (("hrss", "OK"), ("police", "OK"))
    assert entries[adult].outcome == "ok"
    assert entries[minor].departments == (("hrss", "NOT_FOUND"), ("police", "OK"))
    assert entries[minor].outcome == "partial"
    assert entries[adult].time == entries[minor].time


async def test_entries_are_sequenced_under_a_signed_checkpoint_within_a_second(
    hub: HubClient, departments: Departments
) -> None:
    subject = departments.samples["deceased"]
    await hub.post(WHO_QUERY, {"id": subject})

    async with asyncio.timeout(1.5):
        while not await hub.store.search_audit(AuditQuery(subject=subject), None, 10):  # noqa: ASYNC110 — polls another process's work
            await asyncio.sleep(0.05)

    async with hub.session.get(f"{hub.url}/.well-known/tongban/audit-key") as answer:
        verifier = NoteVerifier.from_key((await answer.text()).strip())
    async with hub.session.get(f"{hub.url}/audit/checkpoint") as answer:
        checkpoint = open_checkpoint(await answer.read(), verifier)
    (stored,) = await hub.store.search_audit(AuditQuery(subject=subject), None, 10)
    assert checkpoint.size > stored.leaf_index


async def test_audit_failure_fails_closed_with_no_data(
    departments: Departments, tmp_path: Path
) -> None:
    path = tmp_path / "hub.db"
    async for hub in serve_hub(await open_store(f"sqlite:///{path}"), departments.urls):
        # From a thread: the hub (on this event loop) may be in a write transaction, which it
        # can only finish while the loop runs; waiting for its lock on the loop would deadlock.
        await asyncio.to_thread(_drop_table, path, "audit_tag_sets")

        status, body = await hub.post(WHO_QUERY, {"id": departments.samples["ordinary"]})

        assert status == 200
        assert body["data"] == {"citizen": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["AUDIT_UNAVAILABLE"]


def _drop_table(path: Path, table: str) -> None:
    with sqlite3.connect(path) as database:
        database.execute(f"DROP TABLE {table}")
