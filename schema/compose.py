"""Compose the GraphQL schema from the registered connectors' manifests.

Every object below ``Query`` is resolved from plain dicts (``dict.get`` is the default resolver):
the domain dicts come straight from the department's verified answer, so a leaf costs one
C-level lookup, and a value may be an exception instance, which graphql-core reports as an error
at exactly that place (a failed domain, a withheld field) while the rest of the answer survives.

Domain leaf fields are nullable in the hub's schema even where the department's manifest says
``!``: policy may withhold any single field, and a withheld field must not blank its whole domain.
"""

from __future__ import annotations

from typing import Any, Optional

import strawberry
from strawberry.schema.config import StrawberryConfig

from connectors.manifest import FieldSpec, Text, TypeRef
from connectors.registry import ConnectorRegistry, domain_type_name
from schema import connector_api, consent_api
from schema.audit.fields import audit_fields
from schema.audit_trail import AuditLabels
from schema.core_types import Provenance, Release
from schema.direct_roots import resolve_directly
from schema.policy_gate import PolicyGate
from schema.profile import ProfileResolver
from schema.verification import Verifier

_SCALARS: dict[str, Any] = {
    "String": str,
    "Int": int,
    "Float": float,
    "Boolean": bool,
    "ID": strawberry.ID,
}


def compose_schema(registry: ConnectorRegistry, gate: PolicyGate) -> strawberry.Schema:
    citizen = _citizen_type(registry)
    labels = AuditLabels(gate)
    resolver = ProfileResolver(registry, gate, labels)
    verifier = Verifier(registry, gate, labels)
    query = strawberry.type(
        type(
            "Query",
            (),
            {
                "__module__": __name__,
                "__annotations__": {},
                "citizen": strawberry.field(
                    resolver=resolver.citizen,
                    graphql_type=Optional[citizen],  # noqa: UP045 — a runtime type, not a hint
                    description=(
                        "One citizen's verified profile, for a declared purpose. "
                        "按声明用途查询一位居民的核验信息。"
                    ),
                ),
                "citizens": strawberry.field(
                    resolver=resolver.citizens,
                    graphql_type=list[Optional[citizen]],  # type: ignore[valid-type]  # noqa: UP045
                    description=(
                        "Many citizens at once (up to 1,000), one batched call per department. "
                        "批量查询，最多 1000 人。"
                    ),
                ),
                "consents": strawberry.field(resolver=consent_api.consents),
                "connectors": strawberry.field(
                    resolver=connector_api.ConnectorList(registry).connectors
                ),
                "verify": strawberry.field(resolver=verifier.verify),
                **audit_fields(),
            },
        )
    )
    schema = strawberry.Schema(
        query=query,
        mutation=Mutation,
        config=StrawberryConfig(default_resolver=dict.get, auto_camel_case=True),
    )
    resolve_directly(schema, ("citizen", "citizens"))
    return schema


@strawberry.type
class Mutation:
    grant_consent = strawberry.mutation(resolver=consent_api.grant_consent)
    revoke_consent = strawberry.mutation(resolver=consent_api.revoke_consent)
    register_connector = strawberry.mutation(resolver=connector_api.register_connector)
    approve_connector = strawberry.mutation(resolver=connector_api.approve_connector)
    disable_connector = strawberry.mutation(resolver=connector_api.disable_connector)


def _citizen_type(registry: ConnectorRegistry) -> type:
    objects: dict[str, type] = {}
    for connector in registry.connectors.values():
        for name, object_spec in connector.manifest.types.items():
            objects[name] = _object_type(
                name, object_spec.description, object_spec.fields, objects, False
            )
    domains: dict[str, tuple[Any, str]] = {"id": (strawberry.ID, "Resident ID. 公民身份号码。")}
    for domain, connector in registry.domain_owners.items():
        spec = connector.manifest.domains[domain]
        domain_type = _object_type(
            domain_type_name(domain), spec.description, spec.fields, objects, True
        )
        source = connector.manifest.name
        domains[domain] = (
            Optional[domain_type],  # noqa: UP045
            f"{_describe(spec.description)}\n\nSource: {source.en}. 来源：{source.zh}。",
        )
    return _plain_type("Citizen", "A citizen as the departments know them. 居民核验信息。", domains)


def _object_type(
    name: str,
    description: Text,
    fields: dict[str, FieldSpec],
    objects: dict[str, type],
    domain: bool,
) -> type:
    members = {
        field_name: (_annotation(spec.type, objects, nullable=domain), _describe(spec.description))
        for field_name, spec in fields.items()
    }
    if domain:
        members["provenance"] = (
            Optional[Provenance],  # noqa: UP045
            "Where these facts came from; null when policy released none of them. 数据出处。",
        )
        members["releases"] = (
            list[Release],
            "What released each data category asked: decision and legal basis. 放行依据。",
        )
    return _plain_type(name, _describe(description), members)


def _plain_type(name: str, description: str, members: dict[str, tuple[Any, str]]) -> type:
    namespace: dict[str, Any] = {"__module__": __name__, "__annotations__": {}}
    for member, (annotation, member_description) in members.items():
        namespace["__annotations__"][member] = annotation
        namespace[member] = strawberry.field(name=member, description=member_description)
    return strawberry.type(type(name, (), namespace), name=name, description=description)


def _annotation(ref: TypeRef, objects: dict[str, type], nullable: bool) -> Any:
    base = _SCALARS.get(ref.name) or objects[ref.name]
    if ref.is_list:
        item = base if ref.item_required else Optional[base]  # noqa: UP045
        base = list[item]  # type: ignore[valid-type]
    return base if ref.required and not nullable else Optional[base]  # noqa: UP045


def _describe(text: Text) -> str:
    return f"{text.en}. {text.zh}" if not text.en.endswith(".") else f"{text.en} {text.zh}"
