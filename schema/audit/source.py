"""What the audit fields need from the hub, which reads the log; schema never touches the store."""

from __future__ import annotations

from typing import Protocol

from hub.audit.reader import ConsistencyProof, InclusionProof
from hub.store.audit_records import AuditQuery, CheckpointRow, StoredEntry


class AuditSource(Protocol):
    async def search(
        self, query: AuditQuery, after: int | None, limit: int
    ) -> list[StoredEntry]: ...

    async def checkpoint(self, size: int | None = None) -> CheckpointRow: ...

    async def inclusion(self, leaf_index: int, size: int | None = None) -> InclusionProof: ...

    async def consistency(self, old_size: int, new_size: int) -> ConsistencyProof: ...

    async def client_names(self) -> dict[str, str]: ...
