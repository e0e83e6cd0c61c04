"""A portal's verified profile of one citizen, across the four departments."""

from __future__ import annotations

from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.signing import key_id
from tests.e2e.conftest import Departments, HubClient


async def test_profile_combines_all_four_departments(
    hub: HubClient, departments: Departments
) -> None:
    subject = departments.samples["ordinary"]
    person = departments.population.by_id[subject]

    body = await hub.profile(subject)

    assert "errors" not in body
    citizen = body["data"]["citizen"]
    assert citizen["id"] == subject
    assert citizen["identity"]["name"] == person.name
    assert citizen["identity"]["birthDate"] == person.birth.isoformat()
    assert subject in {member["id"] for member in citizen["household"]["members"]}
    assert citizen["household"]["size"] == len(citizen["household"]["members"])
    assert isinstance(citizen["employment"]["employed"], bool)
    assert citizen["property"]["propertyCount"] >= 0
    assert isinstance(citizen["health"]["chronicConditions"], list)
    sources = {citizen[d]["provenance"]["department"] for d in ("employment", "property", "health")}
    assert sources == {"hrss", "housing", "health"}


async def test_provenance_names_the_verified_department_key(
    hub: HubClient, departments: Departments
) -> None:
    body = await hub.profile(departments.samples["ordinary"])

    provenance = body["data"]["citizen"]["identity"]["provenance"]
    police_key = load_manifest_file(BUILTIN_MANIFESTS / "police.yaml").public_key_bytes
    assert police_key is not None
    assert provenance == {
        "department": "police",
        "signatureVerified": True,
        "keyId": key_id(police_key),
    }


async def test_profile_on_postgresql_store(
    hub_on_postgres: HubClient, departments: Departments
) -> None:
    body = await hub_on_postgres.profile(departments.samples["chronic_condition"])

    assert "errors" not in body
    assert body["data"]["citizen"]["identity"]["name"]


async def test_many_citizens_in_one_query_make_one_call_per_department_chunk(
    hub: HubClient, departments: Departments
) -> None:
    subjects = [person.id for person in departments.population.people[:1_000]]
    before = {name: await departments.batches(name) for name in departments.urls}

    status, body = await hub.post(
        """query($ids: [ID!]!) { citizens(ids: $ids, purpose: "CITIZEN_PROFILE") {
             id identity { name } employment { employed } property { propertyCount }
             health { hospitalizationsLastYear } } }""",
        {"ids": subjects},
    )

    assert status == 200
    # HR knows no children: their employment is NOT_FOUND, and nothing else fails.
    failures = {(e["extensions"]["code"], e["path"][-1]) for e in body.get("errors", [])}
    assert failures <= {("NOT_FOUND", "employment")}
    answered = body["data"]["citizens"]
    assert [citizen["id"] for citizen in answered] == subjects
    assert all(citizen["identity"]["name"] for citizen in answered)
    for name in departments.urls:
        # 1,000 subjects with a batch limit of 500: exactly two calls per department.
        assert await departments.batches(name) - before[name] == 2, name
