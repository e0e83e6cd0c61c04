"""What the store hands out: immutable records whose timestamps are aware UTC datetimes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from hub.roles import Role


class ConnectorStatus(StrEnum):
    """Where a department's connector stands; only approved connectors are ever called."""

    PENDING = "pending"
    APPROVED = "approved"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """An API client. Its id, not its name, identifies it: names are labels and may repeat,
    so a key can be rotated under the same name with the old one still valid until revoked."""

    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class ConnectorRecord:
    """A department's registered connector; ``version`` counts the puts for that department."""

    department: str
    manifest: dict[str, Any]
    status: ConnectorStatus
    version: int
    updated_at: datetime


def new_client_id() -> str:
    """A short random id (64 bits): unguessable enough to print in logs and audit entries."""
    return "cl_" + secrets.token_urlsafe(8)
