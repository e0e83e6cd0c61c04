"""The schema a request runs on, swapped whole when the connector registry changes.

A request reads ``runtime.current`` once and keeps that object to the end, so a swap never
changes the schema under a query in flight: the old one lives as long as someone holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from graphql import GraphQLSchema

from connectors.registry import ConnectorRegistry
from hub.documents import DocumentCache
from policies.purposes import PurposeRegistry
from schema.compose import compose_schema


@dataclass(frozen=True, slots=True)
class LiveSchema:
    registry: ConnectorRegistry
    schema: strawberry.Schema
    documents: DocumentCache

    @property
    def graphql_schema(self) -> GraphQLSchema:
        return self.schema._schema

    @classmethod
    def compose(cls, registry: ConnectorRegistry) -> LiveSchema:
        schema = compose_schema(registry)
        return cls(registry, schema, DocumentCache(schema._schema))


class Runtime:
    def __init__(self, purposes: PurposeRegistry, registry: ConnectorRegistry) -> None:
        self.purposes = purposes
        self.current = LiveSchema.compose(registry)

    def swap(self, registry: ConnectorRegistry) -> None:
        self.current = LiveSchema.compose(registry)
