"""A department connector: its manifest, a transport, batching across requests and a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from connectors.batching import OpportunisticBatcher
from connectors.manifest import Manifest
from connectors.records import FetchItem, ResidentId, SubjectOutcome
from connectors.transport import Transport
from hub.errors import SourceTimeout


class Connector:
    def __init__(self, manifest: Manifest, transport: Transport) -> None:
        self.manifest = manifest
        self.department = manifest.department
        self._transport = transport
        self._timeout = manifest.timeout_ms / 1000
        self._batcher = OpportunisticBatcher(
            manifest.department, transport.fetch, manifest.batch_limit
        )

    @property
    def calls(self) -> int:
        """Department calls made so far (batches, not subjects)."""
        return self._batcher.calls

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectOutcome]:
        """Outcomes per subject, within the connector's timeout however long the queue is."""
        try:
            async with asyncio.timeout(self._timeout):
                return await self._batcher.fetch(items)
        except TimeoutError:
            error = SourceTimeout(self.department, f"no answer within {self._timeout:g} s")
            return {item.subject: error for item in items}

    async def health(self) -> None:
        async with asyncio.timeout(self._timeout):
            await self._transport.health()
