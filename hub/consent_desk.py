"""Recording citizens' consents: checked against policy, stored, and handed back signed.

The desk is where a portal records what a citizen agreed to at its counter. Only the grantee
(or an admin) may revoke a consent, and a revocation is stored at once, so every hub process
sharing the database refuses the data from its next request on.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.errors import Forbidden, NotFound
from hub.roles import Role
from hub.store import ConsentRecord, Store
from policies.artefacts import sign_artefact
from policies.consents import check_grant
from policies.policy import Policy

Artefact = dict[str, object]


class ConsentDesk:
    def __init__(self, store: Store, policy: Policy, key: Ed25519PrivateKey) -> None:
        self._store = store
        self._policy = policy
        self._key = key

    async def grant(
        self,
        grantee: str,
        role: Role,
        subject: str,
        purpose: str,
        categories: Collection[str],
        valid_from: datetime | None,
        valid_until: datetime,
    ) -> Artefact:
        now = datetime.now(UTC)
        begins = valid_from or now
        check_grant(
            self._policy,
            grantee_role=role,
            purpose=purpose,
            categories=categories,
            valid_from=begins,
            valid_until=valid_until,
            at=now,
        )
        consent = await self._store.add_consent(
            subject=subject,
            grantee=grantee,
            purpose=purpose,
            categories=categories,
            valid_from=begins,
            valid_until=valid_until,
        )
        return sign_artefact(consent, now, self._key)

    async def revoke(self, caller: str, role: Role, consent_id: str) -> Artefact:
        consent = await self._held(caller, role, consent_id)
        now = datetime.now(UTC)
        if consent.revoked_at is None:
            await self._store.revoke_consent(consent_id, now)
            consent = await self._held(caller, role, consent_id)
        return sign_artefact(consent, now, self._key)

    async def held(self, caller: str, role: Role, subject: str) -> list[Artefact]:
        """The consents ``subject`` gave the caller (an admin sees everyone's)."""
        grantee = None if role is Role.ADMIN else caller
        now = datetime.now(UTC)
        return [
            sign_artefact(consent, now, self._key)
            for consent in await self._store.list_consents(subject=subject, grantee=grantee)
        ]

    async def _held(self, caller: str, role: Role, consent_id: str) -> ConsentRecord:
        consent = await self._store.get_consent(consent_id)
        if consent is None:
            raise NotFound(f"no consent {consent_id}")
        if role is not Role.ADMIN and consent.grantee != caller:
            raise Forbidden(f"consent {consent_id} was given to another client")
        return consent
