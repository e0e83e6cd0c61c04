"""A department's PostgreSQL view (or table), read through asyncpg (docs/transports.md).

A batch is one read-only transaction on one pooled connection, with ONE parameterised query per
distinct set of fields in it, so no subject has a column read that policy withheld from it:

    SELECT "id_no", "taxable" FROM "tax"."citizen_income" WHERE "id_no" = ANY($1::text[])

Identifiers come from the manifest (held to plain names there) and are quoted here; values only
ever travel as parameters. A view does not sign, so its records say ``signature_verified=False``.
The pool is opened on first use and closed with the connector.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg
import orjson

from connectors.answer import asked_subject
from connectors.manifest import Manifest
from connectors.records import (
    FetchItem,
    FieldName,
    Provenance,
    ResidentId,
    SubjectRecord,
    by_field_set,
)
from connectors.transport_specs import PostgresTransportSpec
from hub.errors import (
    SourceBadResponse,
    SourceError,
    SourceTimeout,
    SourceUnavailable,
    SourceUnreachable,
)

Statement = tuple[str, Sequence[Any]]

_NO_ANSWER = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.InternalClientError,  # first use of a connection the server has just closed
)
_MISFIT = (
    asyncpg.UndefinedColumnError,
    asyncpg.UndefinedTableError,
    asyncpg.UndefinedFunctionError,  # no ``=`` between the id column and text: not a text column
    asyncpg.DataError,
)


def quote_ident(name: str) -> str:
    """A SQL identifier, quoted: case kept, and no name can close the quotes."""
    return '"' + name.replace('"', '""') + '"'


class PostgresViewTransport:
    def __init__(self, manifest: Manifest, spec: PostgresTransportSpec) -> None:
        self._department = manifest.department
        self._spec = spec
        self._timeout = manifest.timeout_ms / 1000
        self._relation = ".".join(quote_ident(part) for part in spec.view.split("."))
        self._id = quote_ident(spec.id_column)
        self._columns = {
            name: quote_ident(spec.columns.get(name, name))
            for domain in manifest.domains.values()
            for name in domain.fields
        }
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        self._closed = False

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        groups = [(sorted(fields), subjects) for fields, subjects in by_field_set(items).items()]
        answers = await self._read([(self._select(names), (ids,)) for names, ids in groups])
        now = dt.datetime.now(dt.UTC)
        provenance = Provenance(self._department, now.isoformat(), now, False, None)
        records = {item.subject: SubjectRecord(False, {}, provenance) for item in items}
        for (names, subjects), rows in zip(groups, answers, strict=True):
            members = frozenset(subjects)
            for row in rows:
                subject = asked_subject(self._department, row[0], members)
                if records[subject].found:
                    reason = f"the view has two rows for {subject}; a view has one per resident"
                    raise SourceBadResponse(self._department, reason)
                fields = {name: _plain(value) for name, value in zip(names, row[1:], strict=True)}
                records[subject] = SubjectRecord(True, fields, provenance)
        return records

    async def health(self) -> None:
        """The view answers, with every column the manifest names."""
        await self._read([(f"{self._select_from(sorted(self._columns))} LIMIT 0", ())])

    async def close(self) -> None:
        self._closed = True
        if self._pool is not None:
            try:
                async with asyncio.timeout(self._timeout):
                    await self._pool.close()
            except TimeoutError:  # a database that stopped answering must not hold a swap up
                self._pool.terminate()
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                raise SourceUnavailable(self._department, f"pool did not close: {exc}") from exc

    def _select(self, names: Sequence[FieldName]) -> str:
        return f"{self._select_from(names)} WHERE {self._id} = ANY($1::text[])"

    def _select_from(self, names: Sequence[FieldName]) -> str:
        columns = ", ".join([self._id, *(self._columns[name] for name in names)])
        return f"SELECT {columns} FROM {self._relation}"

    async def _read(self, statements: Sequence[Statement]) -> list[list[asyncpg.Record]]:
        try:
            async with asyncio.timeout(self._timeout):
                pool = await self._opened()
                async with pool.acquire() as connection, connection.transaction(readonly=True):
                    return [await connection.fetch(sql, *args) for sql, args in statements]
        except (TimeoutError, asyncpg.QueryCanceledError) as exc:
            raise SourceTimeout(self._department, f"no answer within {self._timeout:g} s") from exc
        except (*_NO_ANSWER, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            # ValueError: asyncpg's own, for a DSN it cannot use or a JSON value it cannot read
            raise self._failure(exc) from exc

    async def _opened(self) -> asyncpg.Pool:
        async with self._opening:
            if self._closed:
                raise SourceUnavailable(self._department, "the connector was closed")
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._spec.dsn,
                    min_size=0,
                    max_size=self._spec.pool_size,
                    init=_decode_json,
                    server_settings={"application_name": "tongban"},
                )
            return self._pool

    def _failure(self, exc: Exception) -> SourceError:
        where = f"{self._spec.view} ({type(exc).__name__}: {exc})"
        if isinstance(exc, _NO_ANSWER):
            return SourceUnreachable(self._department, f"cannot reach the database of {where}")
        if isinstance(exc, _MISFIT):
            return SourceBadResponse(
                self._department, f"the view does not fit the manifest: {where}"
            )
        return SourceUnavailable(self._department, f"the database refused {where}")


async def _decode_json(connection: asyncpg.Connection) -> None:
    """Columns of JSON (a household's members as a list of objects) arrive as Python values."""
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name,
            schema="pg_catalog",
            encoder=lambda v: orjson.dumps(v).decode(),
            decoder=orjson.loads,
        )


def _plain(value: Any) -> Any:
    """What a manifest field holds: ISO 8601 text for dates and times, floats for numerics."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(member) for member in value]
    return value
