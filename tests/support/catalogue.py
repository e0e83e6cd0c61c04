"""The citizen fields as plain data, read from the built-in manifests: which department answers
each, its data category, its shape, and what of it a mask hides. Property tests draw queries from
this and judge answers by it, without asking the hub how it sees its own schema."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connectors.manifest import SCALARS, Manifest
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import domain_type_name
from hub import demo

SELF = ""
"""In ``Field.masked``: the value itself is masked (it is a scalar, or a list of them)."""


@dataclass(frozen=True)
class Field:
    domain: str
    name: str
    department: str
    category: str
    type_name: str
    """A scalar's name, or the nested object type of its items."""
    is_list: bool
    masked: frozenset[str]
    """What a masked release hides: ``SELF``, or the names of nested fields."""

    @property
    def scalar(self) -> bool:
        return self.type_name in SCALARS


@dataclass(frozen=True)
class Catalogue:
    fields: Mapping[str, Mapping[str, Field]]
    """Domain → field name → field."""
    objects: Mapping[str, tuple[str, ...]]
    """Nested object type → its field names."""

    @classmethod
    def builtin(cls) -> Catalogue:
        manifests = [
            load_manifest_file(BUILTIN_MANIFESTS / f"{department}.yaml")
            for department in demo.DEPARTMENTS
        ]
        fields = {
            domain: _domain_fields(manifest, domain)
            for manifest in manifests
            for domain in manifest.domains
        }
        objects = {
            name: tuple(spec.fields)
            for manifest in manifests
            for name, spec in manifest.types.items()
        }
        return cls(fields, objects)

    def department(self, domain: str) -> str:
        return next(iter(self.fields[domain].values())).department

    def domains_of(self, department: str) -> list[str]:
        return [domain for domain in self.fields if self.department(domain) == department]

    def type_name(self, domain: str) -> str:
        return domain_type_name(domain)


def _domain_fields(manifest: Manifest, domain: str) -> dict[str, Field]:
    fields = {}
    for name, spec in manifest.domains[domain].fields.items():
        nested = manifest.types.get(spec.type.name)
        if nested is None:
            masked = frozenset({SELF} if spec.mask else ())
        else:
            masked = frozenset(inner for inner, item in nested.fields.items() if item.mask)
        fields[name] = Field(
            domain,
            name,
            manifest.department,
            spec.category or "",
            spec.type.name,
            spec.type.is_list,
            masked,
        )
    return fields
