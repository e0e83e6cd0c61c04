"""The one contract every storage backend fulfils, so the hub never knows which it runs on."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, Protocol

from hub.roles import Role
from hub.store.audit_contract import AuditLogStore
from hub.store.records import ClientRecord, ConnectorRecord, ConnectorStatus, ConsentRecord


class Store(AuditLogStore, Protocol):
    """Everything the hub keeps across restarts. Every method raises StoreError, and only
    StoreError, when the database fails it. The audit log's methods are in AuditLogStore."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Return if the database answers a query; backs /readyz."""

    async def add_client(
        self,
        name: str,
        role: Role,
        key_hash: bytes,
        subject: str | None = None,
        department: str | None = None,
    ) -> ClientRecord:
        """Register a client by the hash of its key; the key itself is never stored.
        ``subject`` binds a citizen's client to their resident ID, ``department`` a department's
        client to its department code."""

    async def client_by_key_hash(self, key_hash: bytes) -> ClientRecord | None:
        """The active client holding this key; revoked clients are not found."""

    async def list_clients(self) -> list[ClientRecord]:
        """Every client, revoked ones included, oldest first."""

    async def revoke_client(self, client_id: str) -> bool:
        """Revoke for good; False if no active client has this id."""

    async def put_connector(
        self, department: str, manifest: Mapping[str, Any], status: ConnectorStatus
    ) -> ConnectorRecord:
        """Register or replace a department's connector; bumps its version and the registry's."""

    async def get_connector(self, department: str) -> ConnectorRecord | None: ...

    async def list_connectors(self) -> list[ConnectorRecord]:
        """Every registered connector, by department."""

    async def registry_version(self) -> int:
        """A counter every put_connector bumps in the same transaction: hub processes poll it
        to learn cheaply that the registry changed."""

    async def add_consent(
        self,
        *,
        subject: str,
        grantee: str,
        purpose: str,
        categories: Collection[str],
        valid_from: datetime,
        valid_until: datetime,
    ) -> ConsentRecord:
        """Record a consent as the citizen granted it (policy checks a grant before, not here).
        Times must be aware; they come back in UTC."""

    async def get_consent(self, consent_id: str) -> ConsentRecord | None: ...

    async def list_consents(
        self, subject: str | None = None, grantee: str | None = None
    ) -> list[ConsentRecord]:
        """Consents, revoked and expired ones included, oldest first; narrowed when asked."""

    async def revoke_consent(self, consent_id: str, at: datetime) -> bool:
        """Revoke for good as of ``at``; False if no unrevoked consent has this id."""

    async def consents_in_scope(
        self, grantee: str, purpose: str, subjects: Collection[str]
    ) -> list[ConsentRecord]:
        """Every consent, whatever its status, that these subjects gave this grantee for this
        purpose: what a decision weighs. Indexed, and read afresh on every call."""

    async def consents_version(self) -> int:
        """A token that every change to a consent replaces, in the change's own transaction (a
        trigger, whoever writes): while it stands, what ``consents_in_scope`` answered still
        holds, for every hub process. Compare it for equality only: it is random, not a count."""
