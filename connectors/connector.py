"""A department connector: its manifest, a transport, batching across requests, a deadline, one
retry of a read whose connection failed, and a circuit breaker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from connectors.batching import OpportunisticBatcher, Outcomes
from connectors.breaker import CircuitBreaker, CircuitView
from connectors.manifest import Manifest
from connectors.records import FetchItem, ResidentId, SubjectRecord
from connectors.retry import read_with_retry
from connectors.transport import Transport
from hub.errors import SourceDisabled, SourceError

log = logging.getLogger(__name__)


class Connector:
    def __init__(self, manifest: Manifest, transport: Transport) -> None:
        self.manifest = manifest
        self.department = manifest.department
        self._transport = transport
        self._timeout = manifest.timeout_ms / 1000
        self._batcher = OpportunisticBatcher(manifest.department, self._send, manifest.batch_limit)
        circuit = manifest.circuit
        self._breaker = CircuitBreaker(
            manifest.department, circuit.failure_threshold, circuit.cooldown_ms / 1000
        )
        self._retired = False

    @property
    def calls(self) -> int:
        """Department calls made so far (batches, not subjects)."""
        return self._batcher.calls

    @property
    def circuit(self) -> CircuitView:
        return self._breaker.view

    def fetch(self, items: Sequence[FetchItem]) -> asyncio.Future[Outcomes]:
        """Outcomes per subject: batched with other requests' items for the same department."""
        return self._batcher.submit(items)

    def retire(self) -> None:
        """The connector was disabled: requests that still hold it (queued or yet to ask) are
        refused from now on, rather than asking a department that no longer takes part."""
        self._retired = True

    async def close(self) -> None:
        """The connector left the registry (disabled, or replaced by a new manifest) or the hub
        stops: retire it, and release its transport's resources (a PostgreSQL pool once the call
        under way ends; an HTTP transport's share of the hub's session holds none)."""
        self.retire()
        try:
            await self._transport.close()
        except SourceError as error:  # nothing to be done about it but to say so
            log.warning("connector %s did not close cleanly: %s", self.department, error.message)
        except Exception:  # a plugin's own close; the other connectors must still close
            log.exception("connector %s failed to close", self.department)

    async def _send(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        if self._retired:
            raise SourceDisabled(self.department, "the connector was disabled or replaced")
        self._breaker.admit()
        try:
            records = await read_with_retry(
                self.department, self._timeout, lambda: self._transport.fetch(items)
            )
        except BaseException as error:
            self._breaker.record(error)
            raise
        self._breaker.record(None)
        return records

    async def health(self) -> None:
        async with asyncio.timeout(self._timeout):
            await self._transport.health()
