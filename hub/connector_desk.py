"""Registering department connectors: validated, bound to their department, approved by an admin.

Registration follows X-Road's model: a department hands in its manifest, and it takes part only
once an admin approves it (unless the hub approves automatically). Everything that could keep the
schema from composing is checked here, before the store is touched, so a mistake is an error
naming its place in the manifest and never a half-registered connector. What the store holds is
picked up by every hub process's ``RegistryWatch``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from connectors.manifest import Manifest, check_categories, parse_manifest
from connectors.manifest_text import read_manifest_document
from connectors.plugins import check_plugin
from connectors.registry import check_disjoint
from connectors.transport_specs import PluginTransportSpec
from hub.errors import Forbidden, NotFound
from hub.roles import Role
from hub.store import ConnectorRecord, ConnectorStatus, Store


@dataclass(frozen=True, slots=True)
class Caller:
    role: Role
    department: str | None
    """The department a department client is bound to."""

    def may_touch(self, department: str) -> bool:
        return self.role is Role.ADMIN or (
            self.role is Role.DEPARTMENT and self.department == department
        )


APPROVED, DISABLED = ConnectorStatus.APPROVED, ConnectorStatus.DISABLED

OPERATOR = Caller(Role.ADMIN, None)
"""Whoever runs ``tongban connectors`` on the hub's host: they hold the store already."""


class ConnectorDesk:
    def __init__(self, store: Store, categories: Collection[str], auto_approve: bool) -> None:
        self._store = store
        self._categories = categories
        self._auto_approve = auto_approve

    async def register(self, caller: Caller, text: str, source: str) -> ConnectorRecord:
        """Register or update the caller's connector from YAML or JSON ``text``; it waits for
        approval (and, while it waits, the department's domains leave the schema)."""
        manifest = parse_manifest(read_manifest_document(text, source), source)
        if not caller.may_touch(manifest.department):
            raise Forbidden(f"a client of {caller.department!r} cannot register for another")
        await self._check_fits(manifest, source)
        status = APPROVED if self._auto_approve else ConnectorStatus.PENDING
        document = manifest.model_dump(mode="json")
        return await self._store.put_connector(manifest.department, document, status)

    async def approve(self, caller: Caller, department: str) -> ConnectorRecord:
        if caller.role is not Role.ADMIN:
            raise Forbidden("only an admin approves connectors")
        record = await self._record(caller, department)
        source = f"store:{department}"
        await self._check_fits(parse_manifest(record.manifest, source), source)
        return await self._store.put_connector(department, record.manifest, APPROVED)

    async def disable(self, caller: Caller, department: str) -> ConnectorRecord:
        """Take the connector out of the schema; a department may withdraw its own."""
        record = await self._record(caller, department)
        return await self._store.put_connector(department, record.manifest, DISABLED)

    async def listed(self, caller: Caller) -> list[ConnectorRecord]:
        """Every connector for an admin, its own for a department."""
        if caller.role not in (Role.ADMIN, Role.DEPARTMENT):
            raise Forbidden("only admins and departments see connectors")
        return [r for r in await self._store.list_connectors() if caller.may_touch(r.department)]

    async def _record(self, caller: Caller, department: str) -> ConnectorRecord:
        if not caller.may_touch(department):
            raise Forbidden(f"a client of {caller.department!r} cannot touch {department!r}")
        record = await self._store.get_connector(department)
        if record is None:
            raise NotFound(f"no connector registered for {department!r}")
        return record

    async def _check_fits(self, manifest: Manifest, source: str) -> None:
        """Known categories, a plugin this hub can load, and no domain or type another approved
        connector already has."""
        check_categories(manifest, self._categories, source)
        if isinstance(manifest.transport, PluginTransportSpec):
            await check_plugin(manifest, manifest.transport, source)
        others = [
            parse_manifest(record.manifest, f"store:{record.department}")
            for record in await self._store.list_connectors()
            if record.status is APPROVED and record.department != manifest.department
        ]
        check_disjoint([*others, manifest])
