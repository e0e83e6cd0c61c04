"""The approved connectors, and which department answers which GraphQL domain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from connectors.answer import StandardWire
from connectors.connector import Connector
from connectors.graphql_transport import GraphQLWire
from connectors.http_client import HttpClient
from connectors.http_json import HttpJsonTransport, Wire
from connectors.json_mapping import MappedWire
from connectors.manifest import Manifest
from connectors.plugins import load_plugin
from connectors.postgres_view import PostgresViewTransport
from connectors.transport import Transport
from connectors.transport_specs import (
    GraphQLTransportSpec,
    PluginTransportSpec,
    PostgresTransportSpec,
)
from hub.errors import ManifestError

RESERVED_TYPE_NAMES = frozenset({"Query", "Mutation", "Citizen", "Provenance", "Release"})
RESERVED_DOMAINS = frozenset({"id"})
"""``Citizen`` members the hub defines itself."""
RESERVED_FIELDS = frozenset({"provenance", "releases"})
"""Members the hub adds to every domain object."""


class ConnectorRegistry:
    """Immutable: a registry change builds a new registry (and a new schema) and swaps it in."""

    def __init__(self, connectors: Iterable[Connector]) -> None:
        self.connectors: Mapping[str, Connector] = {c.department: c for c in connectors}
        check_disjoint(c.manifest for c in self.connectors.values())
        self.domain_owners: Mapping[str, Connector] = {
            domain: connector
            for connector in self.connectors.values()
            for domain in connector.manifest.domains
        }
        self.domain_fields: Mapping[str, frozenset[str]] = {
            domain: frozenset(connector.manifest.domains[domain].fields)
            for domain, connector in self.domain_owners.items()
        }
        """Each domain's department fields: what a plan may ask a department for."""

    async def close(self) -> None:
        """Close every connector (the hub stops, or a command is done with the registry)."""
        for connector in self.connectors.values():
            await connector.close()


def check_disjoint(manifests: Iterable[Manifest]) -> None:
    """Refuse manifests that would share a domain or a GraphQL type with one another or with
    what the hub defines itself: the composed schema must name each thing once."""
    domain_owners: dict[str, str] = {}
    type_owners: dict[str, str] = {}
    for manifest in manifests:
        department = manifest.department
        for domain, spec in manifest.domains.items():
            if domain in RESERVED_DOMAINS or domain in domain_owners:
                owner = domain_owners.get(domain, "the hub")
                raise ManifestError(department, f"domains.{domain}", f"already answered by {owner}")
            domain_owners[domain] = f"department {department!r}"
            for field_name in RESERVED_FIELDS & spec.fields.keys():
                path = f"domains.{domain}.fields.{field_name}"
                raise ManifestError(department, path, "a name the hub adds to every domain")
        for type_name in (*manifest.types, *map(domain_type_name, manifest.domains)):
            if type_name in type_owners or type_name in RESERVED_TYPE_NAMES:
                owner = type_owners.get(type_name, "the hub")
                reason = f"GraphQL type {type_name!r} is already defined by {owner}"
                raise ManifestError(department, "types", reason)
            type_owners[type_name] = repr(department)


def domain_type_name(domain: str) -> str:
    """The GraphQL object type of a domain: ``socialInsurance`` → ``SocialInsurance``."""
    return domain[0].upper() + domain[1:]


def build_connector(manifest: Manifest, client: HttpClient) -> Connector:
    """A connector over the transport its manifest names; a plugin that cannot be loaded is a
    ``ManifestError`` (``connectors.plugins``)."""
    return Connector(manifest, build_transport(manifest, client))


def build_transport(manifest: Manifest, client: HttpClient) -> Transport:
    spec = manifest.transport
    if isinstance(spec, PostgresTransportSpec):
        return PostgresViewTransport(manifest, spec)
    if isinstance(spec, PluginTransportSpec):
        return load_plugin(manifest, spec, manifest.department)
    wire: Wire
    if isinstance(spec, GraphQLTransportSpec):
        wire = GraphQLWire(manifest, spec)
    elif spec.mapping is None:
        wire = StandardWire(manifest.department, spec.endpoint)
    else:
        wire = MappedWire(manifest.department, spec.endpoint, spec.mapping)
    return HttpJsonTransport(manifest, client, wire)


def build_registry(manifests: Iterable[Manifest], client: HttpClient) -> ConnectorRegistry:
    return ConnectorRegistry(build_connector(m, client) for m in manifests)
