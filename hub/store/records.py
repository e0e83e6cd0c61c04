"""What the store hands out: immutable records whose timestamps are aware UTC datetimes."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
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
    subject: str | None = None
    """The resident ID a citizen client speaks for; None for every other role."""
    department: str | None = None
    """The department code a department client speaks for; None for every other role."""


@dataclass(frozen=True, slots=True)
class ConnectorRecord:
    """A department's registered connector; ``version`` counts the puts for that department."""

    department: str
    manifest: dict[str, Any]
    status: ConnectorStatus
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """A citizen's consent to one client processing some data categories for one purpose.

    Only ``revoked_at`` ever changes, so what an artefact signed for a consent says stays true of
    it, apart from its status."""

    id: str
    subject: str
    grantee: str
    """The id of the API client the consent is given to."""
    purpose: str
    categories: frozenset[str]
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def granted_now(
        cls,
        subject: str,
        grantee: str,
        purpose: str,
        categories: Collection[str],
        valid_from: datetime,
        valid_until: datetime,
    ) -> ConsentRecord:
        """A new consent, its times in UTC (SQLite compares them as text)."""
        return cls(
            id="cs_" + secrets.token_urlsafe(12),  # 96 bits: printed on artefacts, and many
            subject=subject,
            grantee=grantee,
            purpose=purpose,
            categories=frozenset(categories),
            valid_from=valid_from.astimezone(UTC),
            valid_until=valid_until.astimezone(UTC),
            created_at=datetime.now(UTC),
            revoked_at=None,
        )


def new_client_id() -> str:
    """A short random id (64 bits): unguessable enough to print in logs and audit entries."""
    return "cl_" + secrets.token_urlsafe(8)
