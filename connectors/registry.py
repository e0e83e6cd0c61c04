"""The approved connectors, and which department answers which GraphQL domain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import aiohttp

from connectors.connector import Connector
from connectors.http_json import HttpJsonTransport
from connectors.manifest import Manifest
from hub.errors import ManifestError

RESERVED_TYPE_NAMES = frozenset({"Query", "Mutation", "Citizen", "Provenance"})


class ConnectorRegistry:
    """Immutable: a registry change builds a new registry (and a new schema) and swaps it in."""

    def __init__(self, connectors: Iterable[Connector]) -> None:
        self.connectors: Mapping[str, Connector] = {c.department: c for c in connectors}
        owners: dict[str, Connector] = {}
        type_owners: dict[str, str] = {}
        for connector in self.connectors.values():
            manifest = connector.manifest
            for domain in manifest.domains:
                if domain in owners:
                    raise ManifestError(
                        manifest.department,
                        f"domains.{domain}",
                        f"domain already answered by department {owners[domain].department!r}",
                    )
                owners[domain] = connector
            for type_name in (*manifest.types, *map(domain_type_name, manifest.domains)):
                if type_name in type_owners or type_name in RESERVED_TYPE_NAMES:
                    owner = type_owners.get(type_name, "the hub")
                    reason = f"GraphQL type {type_name!r} is already defined by {owner}"
                    raise ManifestError(manifest.department, "types", reason)
                type_owners[type_name] = manifest.department
        self.domain_owners: Mapping[str, Connector] = owners
        self.domain_fields: Mapping[str, frozenset[str]] = {
            domain: frozenset(connector.manifest.domains[domain].fields)
            for domain, connector in owners.items()
        }
        """Each domain's department fields: what a plan may ask a department for."""


def domain_type_name(domain: str) -> str:
    """The GraphQL object type of a domain: ``socialInsurance`` → ``SocialInsurance``."""
    return domain[0].upper() + domain[1:]


def build_registry(
    manifests: Iterable[Manifest], session: aiohttp.ClientSession
) -> ConnectorRegistry:
    return ConnectorRegistry(Connector(m, HttpJsonTransport(m, session)) for m in manifests)
