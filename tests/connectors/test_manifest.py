"""Manifests are untrusted input: every mistake names its place in the document."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from connectors.http_client import HttpClient
from connectors.manifest import parse_manifest
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import ConnectorRegistry, build_connector
from hub.errors import ManifestError
from tests.support.yaml_bomb import yaml_bomb


def _police() -> dict[str, Any]:
    document: dict[str, Any] = load_manifest_file(BUILTIN_MANIFESTS / "police.yaml").model_dump(
        mode="json"
    )
    return document


def test_builtin_manifests_load_and_round_trip() -> None:
    for path in sorted(BUILTIN_MANIFESTS.glob("*.yaml")):
        manifest = load_manifest_file(path)
        assert parse_manifest(manifest.model_dump(mode="json"), "round trip") == manifest


def _broken(edit: str) -> dict[str, Any]:
    document = _police()
    identity = document["domains"]["identity"]["fields"]
    match edit:
        case "unknown type":
            identity["name"]["type"] = "Strng"
        case "malformed type":
            identity["name"]["type"] = "[String"
        case "no category":
            identity["name"]["category"] = None
        case "bad key":
            document["public_key"] = "bm90IGEga2V5"
        case "not base64":
            document["public_key"] = "***"
        case "duplicate field":
            document["domains"]["household"]["fields"]["name"] = copy.deepcopy(identity["name"])
        case "unknown transport":
            document["transport"]["kind"] = "carrier-pigeon"
        case "extra key":
            document["colour"] = "blue"
        case "bad field name":
            identity["Name"] = identity.pop("name")
        case "batch limit":
            document["batch_limit"] = 0
    return document


@pytest.mark.parametrize(
    ("edit", "path", "reason"),
    [
        ("unknown type", "domains.identity.fields.name", "unknown type 'Strng'"),
        ("malformed type", "domains.identity.fields.name.type", "is not a type"),
        ("no category", "domains.identity", "needs a data category"),
        ("bad key", "public_key", "32 bytes"),
        ("not base64", "public_key", "not base64"),
        ("duplicate field", "domains.household.fields.name", "already in domain 'identity'"),
        ("unknown transport", "transport.kind", "http-json"),
        ("extra key", "colour", "Extra inputs"),
        ("bad field name", "domains.identity.fields.Name", "pattern"),
        ("batch limit", "batch_limit", "greater than or equal to 1"),
    ],
)
def test_broken_manifest_names_path_and_reason(edit: str, path: str, reason: str) -> None:
    with pytest.raises(ManifestError) as raised:
        parse_manifest(_broken(edit), "police.yaml")

    assert raised.value.code == "MANIFEST_INVALID"
    assert raised.value.path.startswith(path), raised.value.path
    assert reason in raised.value.reason


def test_file_that_is_not_yaml_is_a_manifest_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("department: [unclosed", encoding="utf-8")

    with pytest.raises(ManifestError, match="not YAML or JSON"):
        load_manifest_file(path)


def test_aliases_are_refused_before_anything_walks_them(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(yaml_bomb(), encoding="utf-8")

    with pytest.raises(ManifestError, match=r"aliases \(\*name\) are not allowed"):
        load_manifest_file(path)


def test_a_manifest_past_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("department: police\n" + "# padding\n" * 30_000, encoding="utf-8")

    with pytest.raises(ManifestError, match="a manifest has at most 262,144"):
        load_manifest_file(path)


def test_more_domains_than_a_manifest_may_hold_is_refused_at_its_place() -> None:
    document = _police()
    domain = document["domains"]["identity"]
    document["domains"] = {f"domain{index}": domain for index in range(33)}

    with pytest.raises(ManifestError) as raised:
        parse_manifest(document, "police.yaml")

    assert raised.value.path == "domains"
    assert "at most 32" in raised.value.reason


async def test_two_departments_cannot_answer_the_same_domain() -> None:
    first = parse_manifest(_police(), "police")
    second_document = _police()
    second_document["department"] = "police2"
    second = parse_manifest(second_document, "police2")
    async with HttpClient() as client:
        connectors = [build_connector(m, client) for m in (first, second)]
        with pytest.raises(ManifestError, match="already answered by department 'police'"):
            ConnectorRegistry(connectors)


VIEW = {"kind": "postgres", "dsn": "postgresql://reader@db/police", "view": "v.people"}
GRAPHQL = {"kind": "graphql", "endpoint": "http://police.example/graphql", "query_field": "people"}
MAPPING = {
    "request": {"items": "q", "id": "sfzh", "fields": "want"},
    "response": {"results": "rows", "id": "sfzh"},
}


@pytest.mark.parametrize(
    ("transport", "path", "reason"),
    [
        ({**VIEW, "id_column": "id", "dsn": "postgresql://u:pw@db/x"}, "transport.dsn", "password"),
        (
            {**VIEW, "id_column": "id", "dsn": "postgres://db/x?password=pw"},
            "transport.dsn",
            "password",
        ),
        (
            {**VIEW, "id_column": "id", "dsn": "postgresql://reader@db/x?passfile=/root/.pgpass"},
            "transport.dsn",
            "are not allowed",
        ),
        (
            {**VIEW, "id_column": "id", "dsn": "postgresql:///x?host=/var/run/postgresql"},
            "transport.dsn",
            "local socket",
        ),
        ({**VIEW, "id_column": "id", "dsn": "postgres://db:abc/x"}, "transport.dsn", "port"),
        ({**VIEW, "id_column": "id", "view": 'v"; DROP TABLE x; --'}, "transport.view", "pattern"),
        ({**VIEW, "id_column": "id", "columns": {"nam": "name"}}, "transport.columns.nam", "not a"),
        ({**VIEW}, "transport.id_column", "Field required"),
        ({**GRAPHQL, "fields": {"name": "fullName { x }"}}, "transport.fields.name", "pattern"),
        ({**GRAPHQL, "ids_type": "[ID!]!) { x }"}, "transport.ids_type", "pattern"),
        ({**GRAPHQL, "endpoint": "ftp://police"}, "transport.endpoint", "pattern"),
        (
            {
                "kind": "http-json",
                "endpoint": "http://a",
                "mapping": {**MAPPING, "fields": {"x": "y"}},
            },
            "transport.mapping.fields.x",
            "not a domain field",
        ),
        (
            {
                "kind": "http-json",
                "endpoint": "http://a",
                "mapping": {
                    **MAPPING,
                    "request": {"items": "q", "id": "person.id", "fields": "person"},
                },
            },
            "transport.mapping.request",
            "different places",
        ),
        ({"kind": "plugin", "name": "has space"}, "transport.name", "pattern"),
        ({"endpoint": "http://a"}, "transport.kind", "kind"),
    ],
)
def test_broken_transport_names_path_and_reason(
    transport: dict[str, Any], path: str, reason: str
) -> None:
    document = {**_police(), "transport": transport, "public_key": None}

    with pytest.raises(ManifestError) as raised:
        parse_manifest(document, "police.yaml")

    assert raised.value.path == path
    assert reason in raised.value.reason


def test_a_view_does_not_sign_so_its_manifest_names_no_key() -> None:
    document = {**_police(), "transport": {**VIEW, "id_column": "id"}}

    with pytest.raises(ManifestError) as raised:
        parse_manifest(document, "police.yaml")

    assert raised.value.path == "public_key"
    assert "does not sign" in raised.value.reason
