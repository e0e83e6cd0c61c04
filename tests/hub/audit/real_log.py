"""A real audit log for the tests: entries written by the AuditWriter, sequenced and signed by
the AuditIntegrator with a real key, exported, and tampered with behind the store's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.export import export_chunks
from hub.audit.integrator import AuditIntegrator
from hub.audit.leaf import AuditEntry
from hub.audit.note import NoteSigner
from hub.audit.writer import AuditWriter, audit_row
from hub.roles import Role
from hub.store import Store

SIGNER = NoteSigner("tongban.test/audit", Ed25519PrivateKey.generate())
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def audit_entry(n: int) -> AuditEntry:
    """Entry ``n``: its request id names it."""
    return AuditEntry(
        time=T0 + timedelta(seconds=n),
        request_id=f"req-{n}",
        client_id="cl_portal",
        role=Role.PORTAL,
        operator="街道窗口-李娜",
        case_ref=None,
        subject=f"11010119900307{n % 10:03d}X",
        purpose="LOW_INCOME_REVIEW",
        legal_basis="PIPL Art. 13(3)",
        consent_id=None,
        fields=(("identity.name", "allow"), ("property.propertyCount", "predicate_only")),
        departments=(("housing", "OK"), ("police", "OK")),
        outcome="ok",
    )


async def write_log(
    store: Store, batches: Sequence[int], signer: NoteSigner = SIGNER
) -> list[AuditEntry]:
    """Append batches of these sizes, each sequenced under a checkpoint of its own."""
    writer, integrator = AuditWriter(store), AuditIntegrator(store, signer)
    entries: list[AuditEntry] = []
    for size in batches:
        batch = [audit_entry(len(entries) + n) for n in range(size)]
        await writer.record([audit_row(entry, frozenset()) for entry in batch])
        await integrator.integrate_once()
        entries += batch
    return entries


async def export_lines(store: Store) -> list[bytes]:
    """The export of the log up to its latest checkpoint, line by line."""
    head = await store.audit_checkpoint()
    size = 0 if head is None else head.size
    chunks = [chunk async for chunk, _ in export_chunks(store, size)]
    return b"".join(chunks).splitlines(keepends=True)


async def tamper(url: str, sql: str, *args: object) -> None:
    """Run SQL on the store's database behind its back, as anyone with database access could.
    ``$1``-style parameters, which SQLite spells ``?1``."""
    if urlsplit(url).scheme == "sqlite":
        with closing(sqlite3.connect(urlsplit(url).path[1:])) as db, db:
            db.execute(sql.replace("$", "?"), args)
        return
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql, *args)
    finally:
        await connection.close()
