"""The ASGI application: routes, and the parts a running hub holds for its lifetime."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from connectors.connector import Connector
from connectors.http_client import HttpClient
from connectors.manifest import Manifest
from connectors.registry import build_connector
from hub.audit.integrator import AuditIntegrator
from hub.audit.note import NoteSigner
from hub.audit.reader import AuditReader
from hub.audit.writer import AuditWriter
from hub.auth import Authenticator
from hub.connector_desk import ConnectorDesk
from hub.consent_desk import ConsentDesk
from hub.consent_reads import CoalescedConsents
from hub.endpoint import GraphQLEndpoint
from hub.errors import SourceError, StoreError
from hub.graphiql import graphiql_page
from hub.keys import public_key_bytes
from hub.notary import Notary
from hub.registry_watch import RegistryWatch, approved_registry
from hub.runtime import Runtime
from hub.store import Store
from policies.policy import load_policy

STATIC_DIR = Path(__file__).with_name("static")
READINESS_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class GraphiQLDefaults:
    query: str
    headers: str


@dataclass(slots=True)
class Hub:
    store: Store
    client: HttpClient
    runtime: Runtime
    key: Ed25519PrivateKey
    signer: NoteSigner
    audit: AuditWriter
    integrator: AuditIntegrator
    watch: RegistryWatch
    connectors: ConnectorDesk

    async def close(self) -> None:
        """Connectors, then the HTTP client, then the store: each closes whatever failed before."""
        async with contextlib.AsyncExitStack() as closing:
            closing.push_async_callback(self.store.close)
            closing.push_async_callback(self.client.close)
            await self.runtime.current.registry.close()


async def start_hub(
    store: Store, key: Ed25519PrivateKey, log_origin: str, auto_approve: bool = False
) -> Hub:
    """Load policies and the approved connectors from the store and compose the schema.

    ``key`` is the hub's signing key: audit checkpoints (as the log named ``log_origin``),
    consent artefacts and verification answers. ``auto_approve`` admits a department's
    connector as it registers, without waiting for an admin."""
    client = HttpClient()

    def build(manifest: Manifest) -> Connector:
        return build_connector(manifest, client)

    policy = load_policy()
    categories = policy.categories.by_code.keys()
    version = await store.registry_version()
    registry = approved_registry(await store.list_connectors(), categories, build, {})
    runtime = Runtime(policy, registry)
    signer = NoteSigner(log_origin, key)
    integrator = AuditIntegrator(store, signer)
    audit = AuditWriter(store, integrator.poke)
    watch = RegistryWatch(store, runtime, build, version)
    desk = ConnectorDesk(store, categories, auto_approve)
    return Hub(store, client, runtime, key, signer, audit, integrator, watch, desk)


def create_app(hub: Hub, graphiql: GraphiQLDefaults | None = None) -> Starlette:
    """``graphiql`` set serves GraphiQL at GET /graphql (demo and development only)."""
    desk = ConsentDesk(hub.store, hub.runtime.policy, hub.key)
    endpoint = GraphQLEndpoint(
        hub.runtime,
        Authenticator(hub.store),
        hub.audit,
        CoalescedConsents(hub.store),
        desk,
        AuditReader(hub.store),
        Notary(hub.key),
        hub.connectors,
    )

    async def graphiql_route(request: Request) -> Response:
        if graphiql is None:
            return Response("GraphiQL is off; set TONGBAN_GRAPHIQL=true", status_code=404)
        return graphiql_page(graphiql.query, graphiql.headers)

    async def healthz(request: Request) -> Response:
        return _json({"status": "ok"}, 200)

    async def readyz(request: Request) -> Response:
        report = await _readiness(hub)
        return _json(report, 200 if report["ready"] else 503)

    async def verifier_key(request: Request) -> Response:
        return PlainTextResponse(hub.signer.verifier.key + "\n")

    async def signing_key(request: Request) -> Response:
        raw = public_key_bytes(hub.key)
        return _json({"algorithm": "Ed25519", "public_key": base64.b64encode(raw).decode()}, 200)

    async def checkpoint(request: Request) -> Response:
        latest = await hub.store.audit_checkpoint()
        if latest is None:
            return PlainTextResponse("no checkpoint yet\n", status_code=404)
        return PlainTextResponse(latest.note)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        integrating = asyncio.create_task(hub.integrator.run())
        watching = asyncio.create_task(hub.watch.run())
        yield
        for task in (watching, integrating):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await hub.integrator.integrate_once()  # what the last requests appended
        finally:  # whatever became of that, the connections and pools are released
            await hub.close()

    return Starlette(
        routes=[
            Route("/graphql", endpoint.handle, methods=["POST"]),
            Route("/graphql", graphiql_route, methods=["GET"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/.well-known/tongban/audit-key", verifier_key),
            Route("/.well-known/tongban/signing-key", signing_key),
            Route("/audit/checkpoint", checkpoint),
            Mount("/static", StaticFiles(directory=STATIC_DIR)),
        ],
        lifespan=lifespan,
    )


async def _readiness(hub: Hub) -> dict[str, Any]:
    """Ready when the store answers; each department's health check and this process's circuit
    breaker for it are reported beside it (a department down degrades answers, not the hub).
    orjson writes the breaker's view as it is: a dataclass, its enum and datetime included."""
    connectors = hub.runtime.current.registry.connectors

    async def probe(awaitable: Any) -> str:
        try:
            async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
                await awaitable
        except (StoreError, SourceError) as error:
            return f"{error.code}: {error.message}"
        except TimeoutError:
            return "timeout"
        return "ok"

    store, *departments = await asyncio.gather(
        probe(hub.store.ping()), *(probe(c.health()) for c in connectors.values())
    )
    return {
        "ready": store == "ok",
        "store": store,
        "connectors": {
            department: {"health": health, "circuit": connector.circuit}
            for (department, connector), health in zip(connectors.items(), departments, strict=True)
        },
    }


def _json(content: dict[str, Any], status: int) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")
