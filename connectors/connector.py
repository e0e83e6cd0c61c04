"""A department connector: its manifest, a transport, batching across requests and a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from connectors.batching import OpportunisticBatcher, Outcomes
from connectors.manifest import Manifest
from connectors.records import FetchItem
from connectors.transport import Transport
from hub.errors import SourceDisabled


class Connector:
    def __init__(self, manifest: Manifest, transport: Transport) -> None:
        self.manifest = manifest
        self.department = manifest.department
        self._transport = transport
        self._timeout = manifest.timeout_ms / 1000
        self._batcher = OpportunisticBatcher(
            manifest.department, transport.fetch, manifest.batch_limit
        )
        self._retired: SourceDisabled | None = None

    @property
    def calls(self) -> int:
        """Department calls made so far (batches, not subjects)."""
        return self._batcher.calls

    def fetch(self, items: Sequence[FetchItem]) -> asyncio.Future[Outcomes]:
        """Outcomes per subject: batched with other requests' items for the same department."""
        if self._retired is None:
            return self._batcher.submit(items)
        answered = asyncio.get_running_loop().create_future()
        answered.set_result({item.subject: self._retired for item in items})
        return answered

    def retire(self) -> None:
        """The connector was disabled: requests that still hold it are refused from now on,
        rather than asking a department that no longer takes part."""
        self._retired = SourceDisabled(self.department, "the connector was disabled")

    async def health(self) -> None:
        async with asyncio.timeout(self._timeout):
            await self._transport.health()
