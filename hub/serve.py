"""Running the hub under uvicorn: the only place the app is started."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator

import uvicorn

from hub import heap
from hub.app import GraphiQLDefaults, Hub, create_app, start_hub
from hub.config import Settings
from hub.keys import load_or_create_signing_key
from hub.store import Store

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Server(uvicorn.Server):
    """Stops on SIGINT/SIGTERM as uvicorn does, but returns instead of re-raising the signal
    afterwards, so that the caller's cleanup (the demo's departments, the store) still runs."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for stop in _STOP_SIGNALS:
            loop.add_signal_handler(stop, self.handle_exit, stop, None)
        try:
            yield
        finally:
            for stop in _STOP_SIGNALS:
                loop.remove_signal_handler(stop)


async def serve(settings: Settings, store: Store, graphiql: GraphiQLDefaults | None) -> None:
    """Serve until SIGINT/SIGTERM, then drain connections and close the store."""
    key = load_or_create_signing_key(settings.signing_key_file)
    hub = await start_hub(  # the caller closes the store
        store, key, settings.log_origin, settings.auto_approve_connectors
    )
    await serve_started(hub, settings, graphiql)


async def serve_started(
    hub: Hub, settings: Settings, graphiql: GraphiQLDefaults | None = None
) -> None:
    """Serve a hub already started (``bench/`` serves its variants this way, so that they differ
    from ``tongban serve`` in nothing but what the variant changed)."""
    heap.freeze()
    config = uvicorn.Config(
        create_app(hub, graphiql if settings.graphiql else None),
        host=settings.host,
        port=settings.port,
        loop="none",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
    await _Server(config).serve()
