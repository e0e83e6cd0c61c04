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
from policies.policy import Policy
from schema.compose import compose_schema
from schema.policy_gate import PolicyGate


@dataclass(frozen=True, slots=True)
class LiveSchema:
    registry: ConnectorRegistry
    gate: PolicyGate
    schema: strawberry.Schema
    documents: DocumentCache

    @property
    def graphql_schema(self) -> GraphQLSchema:
        return self.schema._schema

    @classmethod
    def compose(cls, registry: ConnectorRegistry, policy: Policy) -> LiveSchema:
        gate = PolicyGate(policy, registry)
        schema = compose_schema(registry, gate)
        return cls(registry, gate, schema, DocumentCache(schema._schema))


class Runtime:
    def __init__(self, policy: Policy, registry: ConnectorRegistry) -> None:
        self.policy = policy
        self.current = LiveSchema.compose(registry, policy)

    def swap(self, registry: ConnectorRegistry) -> None:
        self.current = LiveSchema.compose(registry, self.policy)
