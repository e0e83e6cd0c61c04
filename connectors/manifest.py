"""The connector manifest: what a department can answer, how to reach it, which key signs it.

A manifest is data a department hands in (YAML or JSON), so it is validated as untrusted input:
every mistake becomes one ``ManifestError`` naming the path inside the document and the reason,
and nothing half-valid ever reaches the registry.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator, model_serializer, model_validator

from connectors.transport_specs import (
    TRANSPORT_KINDS,
    PostgresTransportSpec,
    Strict,
    TransportSpec,
    mapped_fields,
)
from hub.errors import ManifestError

SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
_TYPE_REF = re.compile(
    r"^(?:\[(?P<item>[A-Z][A-Za-z0-9]*)(?P<item_required>!)?\]|(?P<name>[A-Z][A-Za-z0-9]*))(?P<required>!)?$"
)
_FIELD_NAME = r"^[a-z][A-Za-z0-9]{0,63}$"
_TYPE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")
MAX_DOMAINS = 32
"""Per manifest, and as many nested object types."""
MAX_FIELDS = 128
"""Per domain or nested object type."""


class MaskKind(StrEnum):
    """How a value is masked when policy releases it masked (the rules live in ``policies``)."""

    RESIDENT_ID = "resident_id"
    PHONE = "phone"
    NAME = "name"
    ADDRESS = "address"


class Text(Strict):
    """A text in English and Chinese: every name and description is bilingual."""

    en: Annotated[str, Field(min_length=1, max_length=500)]
    zh: Annotated[str, Field(min_length=1, max_length=500)]


class TypeRef(Strict):
    """A parsed GraphQL type reference such as ``[HouseholdMember!]!``."""

    name: str
    required: bool
    is_list: bool
    item_required: bool

    @classmethod
    def parse(cls, text: str) -> TypeRef:
        match = _TYPE_REF.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a type such as String, Int!, [String!]!")
        return cls(
            name=match["item"] or match["name"],
            required=bool(match["required"]),
            is_list=match["item"] is not None,
            item_required=bool(match["item_required"]),
        )

    @model_serializer
    def _as_text(self) -> str:
        return str(self)

    def __str__(self) -> str:
        inner = self.name + ("!" if self.item_required else "")
        return (f"[{inner}]" if self.is_list else self.name) + ("!" if self.required else "")


class FieldSpec(Strict):
    type: TypeRef
    description: Text
    category: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,31}$")
    mask: MaskKind | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _parse_type(cls, value: object) -> object:
        return TypeRef.parse(value) if isinstance(value, str) else value


FieldMap = dict[Annotated[str, Field(pattern=_FIELD_NAME)], FieldSpec]


class ObjectTypeSpec(Strict):
    """A nested object (a household member, a property title); its fields carry no category."""

    description: Text
    fields: Annotated[FieldMap, Field(min_length=1, max_length=MAX_FIELDS)]

    @model_validator(mode="after")
    def _no_categories(self) -> ObjectTypeSpec:
        for name, spec in self.fields.items():
            if spec.category is not None:
                raise ValueError(f"field {name!r}: nested fields take the category of their domain")
        return self


class DomainSpec(Strict):
    """A group of fields one department answers about a citizen: one GraphQL object."""

    description: Text
    fields: Annotated[FieldMap, Field(min_length=1, max_length=MAX_FIELDS)]

    @model_validator(mode="after")
    def _categorised(self) -> DomainSpec:
        for name, spec in self.fields.items():
            if spec.category is None:
                raise ValueError(f"field {name!r} needs a data category")
        return self


class CircuitSpec(Strict):
    """When the hub stops asking a failing department, and when it tries again."""

    failure_threshold: Annotated[int, Field(ge=1, le=1_000)] = 5
    cooldown_ms: Annotated[int, Field(ge=10, le=3_600_000)] = 5_000


class Manifest(Strict):
    department: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
    name: Text
    transport: TransportSpec
    batch_limit: Annotated[int, Field(ge=1, le=10_000)] = 500
    timeout_ms: Annotated[int, Field(ge=10, le=60_000)] = 2_000
    circuit: CircuitSpec = CircuitSpec()
    public_key: str | None = Field(
        description="Base64 of the raw 32-byte Ed25519 key; null only for a department that "
        "cannot sign yet, whose answers are then marked unverified."
    )
    types: Annotated[dict[str, ObjectTypeSpec], Field(max_length=MAX_DOMAINS)] = Field(
        default_factory=dict
    )
    domains: Annotated[
        dict[Annotated[str, Field(pattern=_FIELD_NAME)], DomainSpec],
        Field(min_length=1, max_length=MAX_DOMAINS),
    ]

    @field_validator("public_key")
    @classmethod
    def _ed25519_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            raw = base64.b64decode(value, validate=True)
        except binascii.Error as exc:
            raise ValueError("not base64") from exc
        if len(raw) != 32:
            raise ValueError(f"an Ed25519 public key has 32 bytes, this one {len(raw)}")
        return value

    @property
    def public_key_bytes(self) -> bytes | None:
        return None if self.public_key is None else base64.b64decode(self.public_key)

    def domain_of(self, field_name: str) -> str:
        """The domain a department field belongs to (field names are unique per department)."""
        for domain, spec in self.domains.items():
            if field_name in spec.fields:
                return domain
        raise KeyError(field_name)


def parse_manifest(document: Mapping[str, Any], source: str) -> Manifest:
    """Validate a decoded manifest; ``source`` names it in errors (a file name, ``mutation``)."""
    try:
        manifest = Manifest.model_validate(document)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise ManifestError(
            source,
            _error_path(first["loc"], first.get("ctx")),
            first["msg"].removeprefix("Value error, "),
        ) from exc
    _check_references(manifest, source)
    return manifest


def _error_path(loc: tuple[int | str, ...], context: dict[str, Any] | None) -> str:
    """The place in the document: pydantic puts the ``kind`` of the transport it tried into
    the location (``transport.graphql.endpoint``), which is not in the document, and puts an
    unknown ``kind`` at ``transport`` itself."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["transport"] and parts[1:2] and parts[1] in TRANSPORT_KINDS:
        del parts[1]
    if context is not None and "discriminator" in context:
        parts.append(str(context["discriminator"]).strip("'"))
    return ".".join(parts)


def _check_references(manifest: Manifest, source: str) -> None:
    """Checks across parts of the document, which pydantic cannot locate by path."""
    fields = {name for spec in manifest.domains.values() for name in spec.fields}
    for path, name in mapped_fields(manifest.transport).items():
        if name not in fields:
            raise ManifestError(source, f"transport.{path}", f"{name!r} is not a domain field")
    if isinstance(manifest.transport, PostgresTransportSpec) and manifest.public_key is not None:
        reason = "a PostgreSQL view does not sign its answers; leave public_key null"
        raise ManifestError(source, "public_key", reason)
    for name in manifest.types:
        if not _TYPE_NAME.match(name) or name in SCALARS:
            raise ManifestError(source, f"types.{name}", "not a usable GraphQL type name")
    seen: dict[str, str] = {}
    for domain, spec in manifest.domains.items():
        for field_name, field in spec.fields.items():
            path = f"domains.{domain}.fields.{field_name}"
            if field_name in seen:
                reason = f"already in domain {seen[field_name]!r}; names are unique per department"
                raise ManifestError(source, path, reason)
            seen[field_name] = domain
            _check_type_known(manifest, source, path, field.type)
    for type_name, type_spec in manifest.types.items():
        for field_name, field in type_spec.fields.items():
            path = f"types.{type_name}.fields.{field_name}"
            if field.type.name in manifest.types:
                raise ManifestError(source, path, "objects nest one level deep, not more")
            _check_type_known(manifest, source, path, field.type)


def _check_type_known(manifest: Manifest, source: str, path: str, ref: TypeRef) -> None:
    if ref.name not in SCALARS and ref.name not in manifest.types:
        raise ManifestError(source, path, f"unknown type {ref.name!r}")


def check_categories(manifest: Manifest, known: Collection[str], source: str) -> None:
    """Refuse a field whose data category the policies do not know: no purpose could decide it,
    so it would be unreachable at best and, at worst, fall through a gap in the policy."""
    for domain, spec in manifest.domains.items():
        for field_name, field in spec.fields.items():
            if field.category not in known:
                path = f"domains.{domain}.fields.{field_name}.category"
                raise ManifestError(source, path, f"unknown data category {field.category!r}")
