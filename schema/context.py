"""What a resolver knows about the request: set by the hub's endpoint, read by ``schema``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hub.connector_desk import Caller
from hub.roles import Role
from hub.store.audit_records import AuditRow
from hub.store.records import ConnectorRecord
from schema.audit.source import AuditSource
from schema.policy_gate import ConsentSource

Artefact = dict[str, object]


class Notary(Protocol):
    def sign(self, document: Mapping[str, object]) -> dict[str, object]:
        """The document with a ``signature`` member by the hub's key."""
        ...


class AuditSink(Protocol):
    async def record(self, rows: Sequence[AuditRow]) -> None:
        """Return once the rows are durable; raise ``AuditUnavailable`` otherwise."""
        ...


class ConsentDeskAccess(Protocol):
    async def grant(
        self,
        grantee: str,
        role: Role,
        subject: str,
        purpose: str,
        categories: Collection[str],
        valid_from: datetime | None,
        valid_until: datetime,
    ) -> Artefact: ...

    async def revoke(self, caller: str, role: Role, consent_id: str) -> Artefact: ...

    async def held(self, caller: str, role: Role, subject: str) -> list[Artefact]: ...


class ConnectorDeskAccess(Protocol):
    async def register(self, caller: Caller, text: str, source: str) -> ConnectorRecord: ...

    async def approve(self, caller: Caller, department: str) -> ConnectorRecord: ...

    async def disable(self, caller: Caller, department: str) -> ConnectorRecord: ...

    async def listed(self, caller: Caller) -> list[ConnectorRecord]: ...


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: str
    client_id: str
    role: Role
    audit: AuditSink
    consents: ConsentSource
    consent_desk: ConsentDeskAccess
    notary: Notary
    audit_log: AuditSource
    operator: str | None
    """The person at the portal, as the portal names them (header ``Tongban-Operator``)."""
    case_ref: str | None
    """The portal's case reference (header ``Tongban-Case-Ref``)."""
    subject: str | None
    """The resident ID a citizen client is bound to; None for every other role."""
    connector_desk: ConnectorDeskAccess
    department: str | None
    """The department a department client is bound to; None for every other role."""

    @property
    def caller(self) -> Caller:
        return Caller(self.role, self.department)
