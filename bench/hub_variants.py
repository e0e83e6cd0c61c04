"""The hub with one part switched off, built from the product's own parts, so that S1 can show
what the part costs: the same store, key, schema and fields asked, the part alone gone.

- policy off: S1's purpose rests on statutory duty and reaches every category raw, and no
  category is sensitive, so every decision releases and no consent is ever read. The gate still
  runs (one cached decision per subject); the consent read and the real decisions are gone.
- audit off: the endpoint's audit sink records nothing.
- bare: both off, which leaves what a profile costs without them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from bench.queries import S1_PURPOSE
from bench.servers import AUDIT_OFF, BARE, POLICY_OFF
from hub.app import Hub
from hub.audit.writer import AuditWriter
from hub.runtime import Runtime
from hub.store.audit_records import AuditRow
from policies.policy import Policy
from policies.purposes import Access, BasisKind, PurposeRegistry


def without_policy(hub: Hub) -> Hub:
    runtime = Runtime(open_policy(hub.runtime.policy), hub.runtime.current.registry)
    return dataclasses.replace(hub, runtime=runtime)


def without_audit(hub: Hub) -> Hub:
    return dataclasses.replace(hub, audit=UnrecordedAudit(hub.store))


VARIANTS: Mapping[str, Callable[[Hub], Hub]] = {
    POLICY_OFF: without_policy,
    AUDIT_OFF: without_audit,
    BARE: lambda hub: without_audit(without_policy(hub)),
}


def open_policy(policy: Policy) -> Policy:
    """``policy`` with S1's purpose releasing everything raw on statutory duty alone."""
    categories = policy.categories
    purpose = policy.purposes.get(S1_PURPOSE)
    statutory = dataclasses.replace(
        purpose,
        legal_basis=purpose.legal_basis.model_copy(update={"kind": BasisKind.STATUTORY_DUTY}),
        access=dict.fromkeys(categories.by_code, Access.RAW),
    )
    insensitive = {
        code: dataclasses.replace(category, sensitive=False)
        for code, category in categories.by_code.items()
    }
    return dataclasses.replace(
        policy,
        categories=dataclasses.replace(categories, by_code=insensitive),
        purposes=PurposeRegistry({**policy.purposes.purposes, S1_PURPOSE: statutory}),
    )


class UnrecordedAudit(AuditWriter):
    """Records nothing. A subclass only because ``Hub`` holds an ``AuditWriter``; the endpoint
    itself asks no more of its audit than ``record``."""

    async def record(self, rows: Sequence[AuditRow]) -> None:
        return None
