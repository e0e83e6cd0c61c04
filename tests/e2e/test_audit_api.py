"""Auditors search the log and prove what they find; citizens see who read their data.

DESIGN.md scenario 6 end to end: who read a citizen's health data, on which basis, each entry
proved against a checkpoint signed by the key the hub serves, and the citizen's own view.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.apikeys import hash_api_key, new_api_key
from hub.audit.checkpoint import Checkpoint, open_checkpoint
from hub.audit.leaf import decode_leaf
from hub.audit.merkle import leaf_hash, verify_consistency, verify_inclusion
from hub.audit.note import NoteVerifier
from hub.roles import Role
from hub.store import open_store
from tests.e2e.conftest import Departments, HubClient, serve_hub

PROFILE = """query($id: ID!) { citizen(id: $id, purpose: "CITIZEN_PROFILE") {
  identity { name } health { chronicConditions } } }"""
IDENTITY = """query($id: ID!) { citizen(id: $id, purpose: "CITIZEN_PROFILE") {
  identity { name } } }"""

ENTRIES = """query($filter: AuditFilter, $after: String, $first: Int!) {
  auditEntries(filter: $filter, after: $after, first: $first) {
    entries { leafIndex leaf time subject clientId purpose legalBasis consentId
              fields { field decision } departments { department outcome } }
    endCursor hasNextPage } }"""
INCLUSION = """query($index: Int!, $size: Int) { inclusionProof(leafIndex: $index, treeSize: $size)
  { leafIndex treeSize hashes checkpoint { size rootHash note } } }"""
CONSISTENCY = """query($from: Int!, $to: Int!) { consistencyProof(from: $from, to: $to) {
  fromCheckpoint { size note } toCheckpoint { size note } hashes } }"""
MY_ACCESS = """query($after: String) { myDataAccess(after: $after, first: 1) {
  entries { leafIndex time clientName purpose legalBasis consentId fields { field decision } }
  endCursor hasNextPage } }"""


@dataclass(frozen=True)
class AuditedHub:
    """A hub whose log holds two checkpointed rounds of profile reads about two citizens."""

    hub: HubClient
    verifier: NoteVerifier
    reader: str
    """The citizen whose health data was read, and who holds a citizen key."""
    other: str
    sizes: tuple[int, int]


@pytest.fixture(scope="module")
async def audited(
    departments: Departments, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AuditedHub]:
    reader, other = departments.samples["chronic_condition"], departments.samples["ordinary"]
    store = await open_store(f"sqlite:///{tmp_path_factory.mktemp('audit') / 'hub.db'}")
    async for hub in serve_hub(store, departments.urls, [reader, other]):
        key = new_api_key(Role.CITIZEN)
        await store.add_client("王芳 (citizen)", Role.CITIZEN, hash_api_key(key), reader)
        hub = replace(hub, keys={**hub.keys, "citizen": key})
        async with hub.session.get(f"{hub.url}/.well-known/tongban/audit-key") as answer:
            verifier = NoteVerifier.from_key((await answer.text()).strip())
        await _read(hub, PROFILE, reader)
        await _read(hub, IDENTITY, other)
        first = await _sequenced(hub, 2)
        await _read(hub, PROFILE, reader)
        second = await _sequenced(hub, 3)
        yield AuditedHub(hub, verifier, reader, other, (first, second))


async def _read(hub: HubClient, query: str, subject: str) -> None:
    status, body = await hub.post(query, {"id": subject})
    assert status == 200
    assert body["data"]["citizen"]["identity"]["name"], body


async def _sequenced(hub: HubClient, size: int) -> int:
    """The size of the checkpoint once the log has ``size`` entries under one."""
    async with asyncio.timeout(5):
        while (head := await hub.store.audit_checkpoint()) is None or head.size < size:  # noqa: ASYNC110 — the hub's integrator works meanwhile
            await asyncio.sleep(0.05)
    return head.size


async def _ask(
    audited: AuditedHub, query: str, variables: dict[str, Any], role: str = "auditor"
) -> dict[str, Any]:
    status, body = await audited.hub.post(query, variables, role=role)
    assert status == 200
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _signed(audited: AuditedHub, note: str) -> Checkpoint:
    return open_checkpoint(note.encode(), audited.verifier)


async def test_an_auditor_finds_who_read_health_data_and_proves_each_entry(
    audited: AuditedHub,
) -> None:
    since = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    wanted = {"subject": audited.reader, "category": "health", "since": since}
    found = (await _ask(audited, ENTRIES, {"filter": wanted, "first": 50}))["auditEntries"]

    assert len(found["entries"]) == 2
    for entry in found["entries"]:
        leaf = base64.b64decode(entry["leaf"])
        assert decode_leaf(leaf).subject == entry["subject"] == audited.reader
        assert entry["purpose"] == "CITIZEN_PROFILE"
        assert entry["consentId"]
        assert entry["legalBasis"]
        assert ("health.chronicConditions", "allow") in {
            (f["field"], f["decision"]) for f in entry["fields"]
        }
        for size in (None, *audited.sizes):
            if size is not None and size <= entry["leafIndex"]:
                continue
            proof = (await _ask(audited, INCLUSION, {"index": entry["leafIndex"], "size": size}))[
                "inclusionProof"
            ]
            head = _signed(audited, proof["checkpoint"]["note"])
            assert head.size == proof["treeSize"] == (size or audited.sizes[-1])
            assert base64.b64decode(proof["checkpoint"]["rootHash"]) == head.root
            hashes = [base64.b64decode(h) for h in proof["hashes"]]
            verify_inclusion(entry["leafIndex"], head.size, leaf_hash(leaf), hashes, head.root)


async def test_the_later_checkpoint_is_proved_consistent_with_the_earlier(
    audited: AuditedHub,
) -> None:
    first, second = audited.sizes
    proof = (await _ask(audited, CONSISTENCY, {"from": first, "to": second}))["consistencyProof"]

    old = _signed(audited, proof["fromCheckpoint"]["note"])
    new = _signed(audited, proof["toCheckpoint"]["note"])
    assert (old.size, new.size) == (first, second)
    hashes = [base64.b64decode(h) for h in proof["hashes"]]
    verify_consistency(old.size, new.size, hashes, old.root, new.root)


async def test_filters_narrow_the_search_and_cursors_page_through_it(
    audited: AuditedHub,
) -> None:
    async def search(first: int = 50, after: str | None = None, **wanted: Any) -> Any:
        return (await _ask(audited, ENTRIES, {"filter": wanted, "first": first, "after": after}))[
            "auditEntries"
        ]

    everything = await search()
    assert [e["leafIndex"] for e in everything["entries"]] == [0, 1, 2]
    assert not everything["hasNextPage"]
    assert [e["subject"] for e in (await search(subject=audited.other))["entries"]] == [
        audited.other
    ]
    assert len((await search(department="health"))["entries"]) == 2
    assert len((await search(purpose="CITIZEN_PROFILE", decision="allow"))["entries"]) == 3
    assert (await search(purpose="LOW_INCOME_REVIEW"))["entries"] == []
    later = datetime.fromisoformat(everything["entries"][-1]["time"])
    assert len((await search(until=later.isoformat()))["entries"]) == 2

    paged, after = [], None
    while True:
        page = await search(first=1, after=after)
        paged += page["entries"]
        after = page["endCursor"]
        if not page["hasNextPage"]:
            break
    assert paged == everything["entries"]


async def test_a_citizen_sees_who_read_their_data_and_nothing_of_anyone_else(
    audited: AuditedHub,
) -> None:
    first = (await _ask(audited, MY_ACCESS, {}, role="citizen"))["myDataAccess"]
    rest = (await _ask(audited, MY_ACCESS, {"after": first["endCursor"]}, role="citizen"))[
        "myDataAccess"
    ]

    seen = first["entries"] + rest["entries"]
    assert (first["hasNextPage"], rest["hasNextPage"]) == (True, False)
    assert [entry["leafIndex"] for entry in seen] == [0, 2]
    for entry in seen:
        assert entry["clientName"] == "demo-portal"
        assert (entry["purpose"], entry["consentId"] is not None) == ("CITIZEN_PROFILE", True)
        assert entry["legalBasis"]
        assert {f["field"] for f in entry["fields"]} == {
            "identity.name",
            "health.chronicConditions",
        }


FIELDS = {
    "auditEntries": "auditEntries { endCursor }",
    "inclusionProof": "inclusionProof(leafIndex: 0) { treeSize }",
    "consistencyProof": "consistencyProof(from: 1, to: 1) { hashes }",
    "auditCheckpoint": "auditCheckpoint { size }",
}


@pytest.mark.parametrize("role", ["portal", "department", "admin", "citizen"])
@pytest.mark.parametrize("field", sorted(FIELDS))
async def test_only_auditors_read_the_log(audited: AuditedHub, role: str, field: str) -> None:
    status, body = await audited.hub.post(f"{{ {FIELDS[field]} }}", role=role)

    assert status == 200
    assert body["data"] == {field: None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize("role", ["auditor", "portal"])
async def test_only_citizens_see_their_data_access(audited: AuditedHub, role: str) -> None:
    _, body = await audited.hub.post("{ myDataAccess { endCursor } }", role=role)

    assert body["data"] == {"myDataAccess": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ inclusionProof(leafIndex: 3) { treeSize } }", "AUDIT_NOT_FOUND"),
        ("{ inclusionProof(leafIndex: 0, treeSize: 99) { treeSize } }", "AUDIT_NOT_FOUND"),
        ("{ consistencyProof(from: 1, to: 99) { hashes } }", "AUDIT_NOT_FOUND"),
        ("{ auditCheckpoint(size: 0) { size } }", "AUDIT_NOT_FOUND"),
        ("{ auditEntries(first: 0) { endCursor } }", "PAGE_INVALID"),
        ("{ auditEntries(first: 501) { endCursor } }", "PAGE_INVALID"),
        ('{ auditEntries(after: "-1") { endCursor } }', "PAGE_INVALID"),
    ],
)
async def test_what_the_log_does_not_hold_is_refused_with_a_code(
    audited: AuditedHub, query: str, code: str
) -> None:
    _, body = await audited.hub.post(query, role="auditor")

    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
