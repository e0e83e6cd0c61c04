"""A department connector: its manifest, a transport, batching across requests and a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from connectors.batching import OpportunisticBatcher, Outcomes
from connectors.manifest import Manifest
from connectors.records import FetchItem
from connectors.transport import Transport


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

    def fetch(self, items: Sequence[FetchItem]) -> asyncio.Future[Outcomes]:
        """Outcomes per subject: batched with other requests' items for the same department."""
        return self._batcher.submit(items)

    async def health(self) -> None:
        async with asyncio.timeout(self._timeout):
            await self._transport.health()
