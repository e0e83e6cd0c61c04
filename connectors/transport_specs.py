"""The ``transport`` member of a manifest: how the hub reaches a department, one model per kind.

``kind`` picks the model (a pydantic discriminated union); docs/transports.md documents each
form with an example. Every name that ends up in a query (a GraphQL field, a SQL identifier) is
held to a plain pattern here, and is still quoted or placed by the transport, never pasted in.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    """The base of every manifest model: unknown keys are mistakes, parsed values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


_SEGMENT = r"[A-Za-z_][A-Za-z0-9_-]{0,63}"
DottedPath = Annotated[str, Field(pattern=rf"^{_SEGMENT}(\.{_SEGMENT}){{0,7}}$")]
"""Where a value lies in a JSON object: keys joined by dots, ``data.person.idNo``."""

_GRAPHQL_NAME = r"[_A-Za-z][_0-9A-Za-z]{0,63}"
GraphQLName = Annotated[str, Field(pattern=rf"^{_GRAPHQL_NAME}$")]
GraphQLPath = Annotated[str, Field(pattern=rf"^{_GRAPHQL_NAME}(\.{_GRAPHQL_NAME}){{0,7}}$")]
"""A field of the department's schema, nested objects joined by dots: ``income.taxable``."""

_SQL_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,62}"
SqlName = Annotated[str, Field(pattern=rf"^{_SQL_NAME}$")]
SqlRelation = Annotated[str, Field(pattern=rf"^({_SQL_NAME}\.)?{_SQL_NAME}$")]
"""A view or table, optionally schema-qualified: ``tax.citizen_income``."""

UrlPath = Annotated[str, Field(pattern=r"^/[^\s?#]*$", max_length=500)]
HttpUrl = Annotated[str, Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$", max_length=2000)]


class Binding(Strict):
    """Where a department's answer says what the hub checks beyond its signature; each path is
    optional, and once named it must be there and match."""

    request_sha256: DottedPath | None = None
    """The hex SHA-256 of the exact request body: an answer replayed for another request fails."""
    department: DottedPath | None = None
    issued_at: DottedPath | None = None


class RequestMapping(Strict):
    """Where the asked items go in the body the hub sends."""

    items: DottedPath
    id: DottedPath
    fields: DottedPath
    """The department's names of the fields asked for this subject alone (data minimisation)."""

    @model_validator(mode="after")
    def _apart(self) -> RequestMapping:
        if f"{self.id}.".startswith(f"{self.fields}.") or f"{self.fields}.".startswith(
            f"{self.id}."
        ):
            raise ValueError("'id' and 'fields' must lead to different places in an item")
        return self


class ResponseMapping(Strict):
    """Where the answers lie in the department's answer."""

    results: DottedPath
    id: DottedPath
    found: DottedPath | None = None
    """A boolean in each result; without it, a subject listed is found and one left out is not."""


class JsonMapping(Strict):
    """A department's own JSON, described rather than reshaped (docs/transports.md)."""

    batch_path: UrlPath = "/v1/batch"
    health_path: UrlPath = "/healthz"
    request: RequestMapping
    response: ResponseMapping
    fields: dict[str, DottedPath] = Field(default_factory=dict)
    """Hub field → where its value lies in a result, which is also its name in the request;
    a field left out is found under its own name."""
    binding: Binding = Binding()


class HttpJsonTransportSpec(Strict):
    kind: Literal["http-json"]
    endpoint: HttpUrl
    mapping: JsonMapping | None = None
    """None: the department speaks docs/wire-format.md."""


class GraphQLTransportSpec(Strict):
    """A department's own GraphQL service, asked through one root field taking a list of ids."""

    kind: Literal["graphql"]
    endpoint: HttpUrl
    query_field: GraphQLName
    ids_argument: GraphQLName = "ids"
    ids_type: Annotated[str, Field(pattern=rf"^\[{_GRAPHQL_NAME}!?\]!?$")] = "[ID!]!"
    id_field: GraphQLPath = "id"
    fields: dict[str, GraphQLPath] = Field(default_factory=dict)
    """Hub field → the department's field; a field left out has the same name there."""
    binding: Binding = Binding()
    """Paths in the whole answer, for instance ``extensions.requestSha256``."""


DSN_PARAMETERS = frozenset({"sslmode", "application_name", "connect_timeout"})
"""What a manifest's DSN may set beyond host, port, database and user."""


class PostgresTransportSpec(Strict):
    """A read-only view (or table) in a department's PostgreSQL, one row per resident."""

    kind: Literal["postgres"]
    dsn: Annotated[str, Field(pattern=r"^postgres(ql)?://", max_length=2000)]
    view: SqlRelation
    id_column: SqlName
    columns: dict[str, SqlName] = Field(default_factory=dict)
    """Hub field → column; a field left out is read from the column of the same name."""
    pool_size: Annotated[int, Field(ge=1, le=32)] = 4

    @field_validator("dsn")
    @classmethod
    def _no_secrets_no_local_files(cls, value: str) -> str:
        """A manifest is stored and shown to admins and its department: no secret belongs in
        it. The password comes from the hub's ~/.pgpass, matched by host, port, database and
        user. Nor may the department point the hub at its own files (a password file, a client
        key) or at a local socket, where the hub's own login would be used on its behalf."""
        parts = urlsplit(value)
        given = parse_qs(parts.query)
        if parts.password is not None or "password" in given:
            raise ValueError("no password in a manifest: the hub takes it from its password file")
        if not parts.hostname:
            raise ValueError("name the database's host: a local socket is not a department's")
        try:
            parts.port  # noqa: B018 — urlsplit checks the port only when asked
        except ValueError as exc:
            raise ValueError(f"the port is not a number: {exc}") from exc
        unknown = sorted(set(given) - DSN_PARAMETERS)
        if unknown:
            allowed = ", ".join(sorted(DSN_PARAMETERS))
            raise ValueError(f"DSN parameters {unknown} are not allowed; only {allowed}")
        return value


class PluginTransportSpec(Strict):
    """A transport installed with the hub, found in the ``tongban.transports`` entry points."""

    kind: Literal["plugin"]
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    options: dict[str, Any] = Field(default_factory=dict)
    """Handed to the plugin as they are; the plugin's factory validates them."""


TransportSpec = Annotated[
    HttpJsonTransportSpec | GraphQLTransportSpec | PostgresTransportSpec | PluginTransportSpec,
    Field(discriminator="kind"),
]
TRANSPORT_KINDS = frozenset({"http-json", "graphql", "postgres", "plugin"})


def mapped_fields(spec: BaseModel) -> dict[str, str]:
    """The hub fields a transport maps by name, with where (for checks across the manifest)."""
    match spec:
        case HttpJsonTransportSpec(mapping=JsonMapping(fields=fields)):
            return {f"mapping.fields.{name}": name for name in fields}
        case GraphQLTransportSpec(fields=fields):
            return {f"fields.{name}": name for name in fields}
        case PostgresTransportSpec(columns=columns):
            return {f"columns.{name}": name for name in columns}
    return {}
