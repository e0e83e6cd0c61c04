"""A TCP front before a department that drops the first connections it takes, mid-request.

To the hub that looks exactly like a keep-alive connection the department had just closed, or a
connection reset on the way: no answer at all, which is what a retry is for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit


class DroppingFront:
    def __init__(self, upstream: str, drops: int) -> None:
        parts = urlsplit(upstream)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self.drops = drops
        """Connections still to drop; the rest are passed through to the department."""

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            yield f"http://127.0.0.1:{port}"

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.drops:
            self.drops -= 1
            await reader.read(1)  # the request has begun
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(self._host, self._port)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    writer.close()
