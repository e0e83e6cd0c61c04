"""The transport contract: all a connector needs from the wire, small enough to read at once.

A transport makes ONE call to a department for at most ``batch_limit`` items, gives up with
``SourceTimeout`` after the manifest's ``timeout_ms``, and raises only ``hub.errors.SourceError``
subclasses. It hands back only the fields asked for each subject. Batching across requests and
fan-out live above it in ``connectors.batching``, so a transport (HTTP/JSON in ``http_json``,
GraphQL, a PostgreSQL view, a plugin; docs/transports.md) only implements these three methods.
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

    async def close(self) -> None:
        """Release what the transport opened (a pool of connections); called once, when its
        connector leaves the registry or the hub stops. Opening is lazy: on first use."""
        ...
