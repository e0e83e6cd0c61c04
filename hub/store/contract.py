"""The one contract every storage backend fulfils, so the hub never knows which it runs on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from hub.roles import Role
from hub.store.records import ClientRecord, ConnectorRecord, ConnectorStatus


class Store(Protocol):
    """Everything the hub keeps across restarts. Every method raises StoreError, and only
    StoreError, when the database fails it."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Return if the database answers a query; backs /readyz."""

    async def add_client(self, name: str, role: Role, key_hash: bytes) -> ClientRecord:
        """Register a client by the hash of its key; the key itself is never stored."""

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
