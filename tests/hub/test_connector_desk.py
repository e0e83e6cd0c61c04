"""Registering connectors: bound to the caller's department, checked against the policy's
categories and the approved connectors, and never stored half-valid."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.http_client import HttpClient
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from connectors.registry import build_registry
from hub.connector_desk import OPERATOR, Caller, ConnectorDesk
from hub.errors import Forbidden, ManifestError, NotFound
from hub.registry_watch import approved_registry
from hub.roles import Role
from hub.runtime import LiveSchema
from hub.store import ConnectorRecord, ConnectorStatus, Store, open_store
from policies.policy import load_policy

POLICY = load_policy()
CATEGORIES = POLICY.categories.by_code.keys()
TAX = Caller(Role.DEPARTMENT, "tax")


def _tax(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = load_manifest_file(BUILTIN_MANIFESTS / "hrss.yaml").model_dump(
        mode="json"
    )
    document = {**document, "department": "tax", "types": {}, **changes}
    document["domains"] = {
        "tax": {
            "description": {"en": "Income tax", "zh": "个税"},
            "fields": {
                "annualTaxableIncome": {
                    "type": "Float",
                    "category": "income",
                    "description": {"en": "Taxable income", "zh": "应纳税所得额"},
                }
            },
        }
    }
    return document


def _text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    yield store
    await store.close()


def _desk(store: Store, auto_approve: bool = False) -> ConnectorDesk:
    return ConnectorDesk(store, CATEGORIES, auto_approve)


async def test_a_registration_waits_for_an_admin(sqlite_store: Store) -> None:
    desk = _desk(sqlite_store)

    registered = await desk.register(TAX, _text(_tax()), "manifest")
    approved = await desk.approve(OPERATOR, "tax")

    assert registered.status is ConnectorStatus.PENDING
    assert (approved.status, approved.version) == (ConnectorStatus.APPROVED, 2)


async def test_a_hub_configured_so_approves_at_once(sqlite_store: Store) -> None:
    registered = await _desk(sqlite_store, auto_approve=True).register(TAX, _text(_tax()), "m")

    assert registered.status is ConnectorStatus.APPROVED


async def test_a_department_cannot_register_for_another(sqlite_store: Store) -> None:
    with pytest.raises(Forbidden):
        await _desk(sqlite_store).register(Caller(Role.DEPARTMENT, "police"), _text(_tax()), "m")
    assert await sqlite_store.list_connectors() == []


async def test_a_department_cannot_approve_or_touch_another(sqlite_store: Store) -> None:
    desk = _desk(sqlite_store)
    await desk.register(TAX, _text(_tax()), "manifest")

    with pytest.raises(Forbidden):
        await desk.approve(TAX, "tax")
    with pytest.raises(Forbidden):
        await desk.disable(Caller(Role.DEPARTMENT, "police"), "tax")
    assert await desk.listed(Caller(Role.DEPARTMENT, "police")) == []
    assert [r.department for r in await desk.listed(TAX)] == ["tax"]


async def test_a_department_withdraws_its_own(sqlite_store: Store) -> None:
    desk = _desk(sqlite_store, auto_approve=True)
    await desk.register(TAX, _text(_tax()), "manifest")

    assert (await desk.disable(TAX, "tax")).status is ConnectorStatus.DISABLED


async def test_approving_an_unknown_department_is_not_found(sqlite_store: Store) -> None:
    with pytest.raises(NotFound):
        await _desk(sqlite_store).approve(OPERATOR, "tax")


async def test_a_category_the_policy_does_not_know_is_refused_at_its_place(
    sqlite_store: Store,
) -> None:
    document = _tax()
    document["domains"]["tax"]["fields"]["annualTaxableIncome"]["category"] = "horoscope"

    with pytest.raises(ManifestError) as raised:
        await _desk(sqlite_store).register(TAX, _text(document), "manifest")

    assert raised.value.path == "domains.tax.fields.annualTaxableIncome.category"
    assert await sqlite_store.list_connectors() == []


async def test_a_domain_an_approved_connector_answers_is_refused(sqlite_store: Store) -> None:
    desk = _desk(sqlite_store, auto_approve=True)
    await desk.register(TAX, _text(_tax()), "manifest")
    clash = {**_tax(), "department": "customs"}

    with pytest.raises(ManifestError, match="already answered by department 'tax'"):
        await desk.register(Caller(Role.DEPARTMENT, "customs"), _text(clash), "manifest")


async def test_an_approved_manifest_the_policy_no_longer_admits_is_left_out() -> None:
    police = load_manifest_file(BUILTIN_MANIFESTS / "police.yaml")
    async with HttpClient() as client:
        registry = approved_registry(
            [_record("police", police.model_dump(mode="json")), _record("tax", {"x": 1})],
            CATEGORIES - {"basic"},
            lambda manifest: build_registry([manifest], client).connectors[manifest.department],
            {},
        )
    assert registry.connectors == {}


def _record(department: str, manifest: dict[str, Any]) -> ConnectorRecord:
    return ConnectorRecord(department, manifest, ConnectorStatus.APPROVED, 1, datetime.now(UTC))


# What a department might send: the valid manifest with one part replaced by something arbitrary.
_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3)
    ),
    max_leaves=8,
)
_PLACES = [
    (),
    ("department",),
    ("transport",),
    ("transport", "endpoint"),
    ("public_key",),
    ("batch_limit",),
    ("domains",),
    ("domains", "tax"),
    ("domains", "tax", "fields"),
    ("domains", "tax", "fields", "annualTaxableIncome"),
    ("domains", "tax", "fields", "annualTaxableIncome", "type"),
    ("domains", "tax", "fields", "annualTaxableIncome", "category"),
    ("domains", "tax", "fields", "provenance"),
    ("types",),
    ("types", "Tax"),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(_PLACES), junk=_JUNK, as_yaml_text=st.booleans())
async def test_a_malformed_manifest_is_refused_whole_or_composes(
    place: tuple[str, ...], junk: Any, as_yaml_text: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    document = _replaced(_tax(), place, junk)
    text = str(junk) if as_yaml_text and not place else _text(document)
    store = await open_store(f"sqlite:///{tmp_path_factory.mktemp('desk') / 'hub.db'}")
    try:
        try:
            record = await _desk(store, auto_approve=True).register(OPERATOR, text, "manifest")
        except ManifestError:
            assert await store.list_connectors() == []
            return
        async with HttpClient() as client:
            registry = approved_registry(
                [record],
                CATEGORIES,
                lambda m: build_registry([m], client).connectors[m.department],
                {},
            )
            LiveSchema.compose(registry, POLICY)
        assert list(registry.connectors) == [record.department]
    finally:
        await store.close()


def _replaced(document: dict[str, Any], place: tuple[str, ...], junk: Any) -> Any:
    if not place:
        return junk
    changed = copy.deepcopy(document)
    parent = changed
    for key in place[:-1]:
        parent = parent[key]
    parent[place[-1]] = junk
    return changed
