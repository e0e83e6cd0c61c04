"""Running the hub under uvicorn: the only place the app is started."""

from __future__ import annotations

import uvicorn

from hub.app import GraphiQLDefaults, create_app, start_hub
from hub.config import Settings
from hub.store import Store


async def serve(settings: Settings, store: Store, graphiql: GraphiQLDefaults | None) -> None:
    """Serve until SIGINT/SIGTERM; uvicorn handles the signals and drains connections."""
    hub = await start_hub(store)
    config = uvicorn.Config(
        create_app(hub, graphiql if settings.graphiql else None),
        host=settings.host,
        port=settings.port,
        loop="none",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
    await uvicorn.Server(config).serve()
