"""A department is asked for exactly the fields a query selects, and only if one is selected."""

from __future__ import annotations

from tests.e2e.conftest import Departments, HubClient


async def test_department_is_asked_only_for_selected_fields(
    hub: HubClient, departments: Departments
) -> None:
    await departments.reset_stats()
    query = """
      query($id: ID!, $withHousehold: Boolean!) {
        citizen(id: $id, purpose: "CITIZEN_PROFILE") {
          me: identity { fullName: name }
          ...Household @include(if: $withHousehold)
          ... on Citizen { property { propertyCount } }
        }
      }
      fragment Household on Citizen { household { size } }
    """

    _, body = await hub.post(query, {"id": departments.samples["ordinary"], "withHousehold": True})

    assert body["data"]["citizen"]["me"]["fullName"]
    assert (await departments.stats("police"))["fields_asked"] == ["name", "size"]
    assert (await departments.stats("housing"))["fields_asked"] == ["propertyCount"]
    assert await departments.batches("hrss") == 0
    assert await departments.batches("health") == 0


async def test_skipped_domain_is_not_asked_for(hub: HubClient, departments: Departments) -> None:
    await departments.reset_stats()
    query = """
      query($id: ID!) { citizen(id: $id, purpose: "CITIZEN_PROFILE") {
        identity { name } health @skip(if: true) { chronicConditions } } }
    """

    _, body = await hub.post(query, {"id": departments.samples["ordinary"]})

    assert "health" not in body["data"]["citizen"]
    assert (await departments.stats("police"))["fields_asked"] == ["name"]
    assert await departments.batches("health") == 0
