"""``POST /graphql``: where a request enters the hub.

authenticate → read the body → prepare (parse + validate, cached) → execute (a profile query
directly, ``schema.direct_execution``; any other by graphql-core) → JSON. The whole
path is written out here rather than delegated to Strawberry's view: the view's generality
(multipart, subscriptions, per-request extension hooks) costs a large share of a small query's
budget, and every failure here must carry a stable code. Strawberry builds the schema;
graphql-core executes it, with the leaves of profiles completed by ``schema.plain_fields``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import orjson
from graphql import ExecutionResult, GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from hub.auth import Authenticator
from hub.errors import MalformedRequest, QueryTooLarge, TongbanError
from hub.runtime import Runtime
from schema.audit.source import AuditSource
from schema.context import (
    AuditSink,
    ConnectorDeskAccess,
    ConsentDeskAccess,
    Notary,
    RequestContext,
)
from schema.direct_execution import execute_document
from schema.limits import MAX_QUERY_BYTES
from schema.policy_gate import ConsentSource

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
MAX_HEADER_TEXT = 200
_READ = frozenset({b"authorization", b"x-request-id", b"tongban-operator", b"tongban-case-ref"})
"""The headers the endpoint reads."""


class GraphQLEndpoint:
    def __init__(
        self,
        runtime: Runtime,
        authenticator: Authenticator,
        audit: AuditSink,
        consents: ConsentSource,
        consent_desk: ConsentDeskAccess,
        audit_log: AuditSource,
        notary: Notary,
        connector_desk: ConnectorDeskAccess,
    ) -> None:
        self._runtime = runtime
        self._authenticator = authenticator
        self._audit = audit
        self._consents = consents
        self._consent_desk = consent_desk
        self._notary = notary
        self._audit_log = audit_log
        self._connector_desk = connector_desk

    async def handle(self, request: Request) -> Response:
        headers = read_headers(request.scope)
        request_id = request_id_for(headers.get(b"x-request-id"))
        try:
            client = await self._authenticator.authenticate(headers.get(b"authorization"))
            query, variables, operation = _read_body(await request.body())
        except TongbanError as error:
            return _json({"errors": [_refusal(error)]}, _http_status(error), request_id)
        live = self._runtime.current
        prepared = live.documents.prepare(query)
        if prepared.document is None:
            errors = [error.formatted for error in prepared.errors]
            return _json({"errors": errors}, 200, request_id)
        context = RequestContext(
            request_id=request_id,
            client_id=client.id,
            role=client.role,
            audit=self._audit,
            consents=self._consents,
            consent_desk=self._consent_desk,
            notary=self._notary,
            audit_log=self._audit_log,
            operator=_header_text(headers.get(b"tongban-operator")),
            case_ref=_header_text(headers.get(b"tongban-case-ref")),
            subject=client.subject,
            connector_desk=self._connector_desk,
            department=client.department,
        )
        result = await execute_document(
            live.graphql_schema, prepared.document, prepared.direct, context, variables, operation
        )
        return _json(_format(result), 200, request_id)


def read_headers(scope: Scope) -> dict[bytes, str]:
    """The headers the endpoint reads, the first of each name as Starlette's ``Headers.get``
    gives it, in one pass over the raw list: building ``Headers`` for four lookups cost some
    50 µs of a profile at concurrency 1 on this host, the pass about 13."""
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in _READ and name not in found:
            found[name] = value.decode("latin-1")
    return found


def request_id_for(offered: str | None) -> str:
    """The caller's id when it is a sane token (it lands in the audit log), else a fresh random
    one: 32 random hex digits, the length of a uuid4's hex, without building a UUID (some 50 µs
    cold here, against 17)."""
    if offered and _REQUEST_ID.fullmatch(offered):
        return offered
    return os.urandom(16).hex()


def _header_text(value: str | None) -> str | None:
    """A portal's free-text header (an operator's name, a case reference) for the audit log.

    Header bytes arrive as Latin-1; portals send UTF-8, raw or percent-encoded (RFC 8187 style),
    and both are accepted. Control characters are dropped and the length is bounded.
    """
    if not value:
        return None
    try:
        text = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        text = value
    text = "".join(c for c in unquote(text) if c.isprintable())
    return text[:MAX_HEADER_TEXT] or None


def _read_body(body: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    if len(body) > MAX_QUERY_BYTES:
        raise QueryTooLarge(f"request body is {len(body)} bytes; at most {MAX_QUERY_BYTES}")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest("body is not JSON") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        raise MalformedRequest("body must be a JSON object with a 'query' string")
    variables = payload.get("variables")
    operation = payload.get("operationName")
    if variables is not None and not isinstance(variables, dict):
        raise MalformedRequest("'variables' must be an object")
    if operation is not None and not isinstance(operation, str):
        raise MalformedRequest("'operationName' must be a string")
    return payload["query"], variables, operation


def _format(result: ExecutionResult) -> dict[str, Any]:
    formatted: dict[str, Any] = {"data": result.data}
    if result.errors:
        formatted["errors"] = [_located(error) for error in result.errors]
    return formatted


def _located(error: GraphQLError) -> dict[str, Any]:
    """Our errors speak for themselves; anything else is a bug, logged and never shown."""
    if error.original_error is None or isinstance(error.original_error, TongbanError):
        return dict(error.formatted)
    log.error("unexpected error at %s", error.path, exc_info=error.original_error)
    masked = GraphQLError(
        "internal error", error.nodes, path=error.path, extensions={"code": "INTERNAL"}
    )
    return dict(masked.formatted)


def _refusal(error: TongbanError) -> dict[str, Any]:
    return {"message": error.message, "extensions": error.extensions}


def _http_status(error: TongbanError) -> int:
    return {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "QUERY_TOO_LARGE": 413}.get(error.code, 400)


def _json(content: Mapping[str, Any], status: int, request_id: str) -> Response:
    return Response(
        orjson.dumps(content),
        status_code=status,
        media_type="application/json",
        headers={"x-request-id": request_id},
    )
