"""What a resolver knows about the request: set by the hub's endpoint, read by ``schema``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from hub.audit.leaf import AuditEntry
from hub.roles import Role
from schema.policy_gate import ConsentSource


class AuditSink(Protocol):
    async def record(self, entries: Sequence[tuple[AuditEntry, frozenset[str]]]) -> None:
        """Return once the entries are durable; raise ``AuditUnavailable`` otherwise."""
        ...


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: str
    client_id: str
    role: Role
    audit: AuditSink
    consents: ConsentSource
    operator: str | None
    """The person at the portal, as the portal names them (header ``Tongban-Operator``)."""
    case_ref: str | None
    """The portal's case reference (header ``Tongban-Case-Ref``)."""
