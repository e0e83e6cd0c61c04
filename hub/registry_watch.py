"""Keeping each hub process's schema in step with the connector registry in the store.

Every process polls ``registry_version`` (a one-row read) four times a second; when it moved, the
process reads the connectors, builds a registry of the approved ones and swaps a new schema in
whole. So an approval shows in every process sharing the store within a poll and a compose,
without a restart. Requests in flight keep the schema they started with; a connector disabled
under them answers SOURCE_DISABLED.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Iterable, Mapping

from connectors.connector import Connector
from connectors.manifest import Manifest, check_categories, parse_manifest
from connectors.registry import ConnectorRegistry, check_disjoint
from hub import heap
from hub.errors import ManifestError, StoreError
from hub.runtime import Runtime
from hub.store import ConnectorRecord, ConnectorStatus, Store

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25

Build = Callable[[Manifest], Connector]


def approved_registry(
    records: Iterable[ConnectorRecord],
    categories: Collection[str],
    build: Build,
    live: Mapping[str, Connector],
) -> ConnectorRegistry:
    """The approved connectors that can serve together. A stored manifest that no longer passes
    (the policy dropped a category, two approvals raced for one domain) is left out and logged:
    one department's mistake must not take the others down. A connector whose manifest did not
    change is kept, with its batching and breaker state."""
    accepted: list[Connector] = []
    for record in records:
        if record.status is not ConnectorStatus.APPROVED:
            continue
        try:
            manifest = parse_manifest(record.manifest, f"store:{record.department}")
            check_categories(manifest, categories, manifest.department)
            check_disjoint([*(connector.manifest for connector in accepted), manifest])
            current = live.get(manifest.department)
            if current is None or current.manifest != manifest:
                current = build(manifest)
            accepted.append(current)
        except ManifestError as error:  # a plugin this process cannot load is one too
            log.error("connector %s left out of the schema: %s", record.department, error.message)
    return ConnectorRegistry(accepted)


class RegistryWatch:
    def __init__(self, store: Store, runtime: Runtime, build: Build, version: int) -> None:
        """``version`` is the registry version ``runtime``'s connectors were read at."""
        self._store = store
        self._runtime = runtime
        self._build = build
        self._version = version

    async def run(self, interval: float = POLL_SECONDS) -> None:
        while True:
            try:
                await self.refresh()
            except StoreError as error:  # the store is back soon, or /readyz says it is not
                log.warning("connector registry not refreshed: %s", error.message)
            await asyncio.sleep(interval)

    async def refresh(self) -> None:
        """Swap in a new schema if the registry changed since the last look."""
        version = await self._store.registry_version()
        if version == self._version:
            return
        # Read after the version: a change committed in between is seen now, and again next time.
        records = await self._store.list_connectors()
        previous = self._runtime.current.registry.connectors
        categories = self._runtime.policy.categories.by_code.keys()
        registry = approved_registry(records, categories, self._build, previous)
        self._runtime.swap(registry)
        heap.thaw_for_swap()
        self._version = version
        for department, connector in previous.items():
            if registry.connectors.get(department) is not connector:
                # Retired at once; its pool closes when the call under way (if any) returns.
                await connector.close()
