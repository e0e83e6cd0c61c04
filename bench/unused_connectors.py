"""Connectors a hub carries without S1 asking them: the built-in four again, renamed to compose.

Each copy suffixes the department code, every domain and every GraphQL type (and the type
references to them) with its number, so the copies and the originals share no name. They point
at an endpoint nothing answers: a hub that asked them would fail its query, so a clean S1 run
also shows it never did.
"""

from __future__ import annotations

from typing import Any

from connectors.manifest import DomainSpec, Manifest, ObjectTypeSpec, TypeRef
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from hub.demo import DEPARTMENTS

COPIES = 2
"""Of the four built-in connectors: 8 unused beside the 4 that S1 asks, 12 in all."""
UNUSED_CONNECTORS = COPIES * len(DEPARTMENTS)


def unused_manifests(endpoint: str, copies: int = COPIES) -> list[dict[str, Any]]:
    """Copies 2 to ``copies + 1`` of each built-in manifest, as documents for the store."""
    return [
        renamed(load_manifest_file(BUILTIN_MANIFESTS / f"{department}.yaml"), str(n), endpoint)
        for n in range(2, copies + 2)
        for department in DEPARTMENTS
    ]


def renamed(manifest: Manifest, suffix: str, endpoint: str) -> dict[str, Any]:
    """``manifest`` with ``suffix`` after its department code, domains and types."""
    types = {name: name + suffix for name in manifest.types}

    def fields(spec: ObjectTypeSpec | DomainSpec) -> dict[str, Any]:
        return {
            "description": spec.description.model_dump(),
            "fields": {
                name: {**field.model_dump(mode="json"), "type": _retyped(field.type, types)}
                for name, field in spec.fields.items()
            },
        }

    return {
        **manifest.model_dump(mode="json"),
        "department": manifest.department + suffix,
        "transport": {"kind": manifest.transport.kind, "endpoint": endpoint},
        "types": {types[name]: fields(spec) for name, spec in manifest.types.items()},
        "domains": {name + suffix: fields(spec) for name, spec in manifest.domains.items()},
    }


def _retyped(ref: TypeRef, types: dict[str, str]) -> str:
    return str(ref.model_copy(update={"name": types.get(ref.name, ref.name)}))
