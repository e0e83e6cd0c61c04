"""The transport contract: all a connector needs from the wire, small enough to read at once.

A transport makes ONE call to a department for at most ``batch_limit`` items, gives up with
``SourceTimeout`` after the manifest's ``timeout_ms``, and raises only ``hub.errors.SourceError``
subclasses. Batching across requests and fan-out live above it in ``connectors.batching``, so a
new transport (GraphQL, PostgreSQL view, plugin) only implements these two methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from connectors.records import FetchItem, ResidentId, SubjectRecord


class Transport(Protocol):
    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        """One department call. A subject missing from the result was not answered."""
        ...

    async def health(self) -> None:
        """Return if the department answers; raise a ``SourceError`` saying why not."""
        ...
