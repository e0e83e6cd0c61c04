"""``grantConsent``, ``revokeConsent`` and ``consents``: the consent desk over GraphQL.

Every answer is the signed consent artefact (DEPA / Kantara style), verifiable by anyone with
the hub's public key (``/.well-known/tongban/signing-key``); the typed fields repeat it for
convenience.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from hub.errors import Forbidden
from hub.roles import Role
from schema.context import Artefact, RequestContext
from schema.resident_id import validate_resident_id


@strawberry.type(description="A signed consent artefact. 已签名的同意书。")
class ConsentArtefact:
    id: strawberry.ID
    subject: str
    grantee: str = strawberry.field(description="The API client the consent is given to.")
    purpose: str
    categories: list[str]
    valid_from: str
    valid_until: str
    created: str
    revoked: str | None
    status: str = strawberry.field(description="PENDING, ACTIVE, EXPIRED or REVOKED.")
    signature: str = strawberry.field(
        description="Ed25519 over the RFC 8785 form of `document` without `signature`."
    )
    document: JSON = strawberry.field(description="The artefact exactly as signed. 签名原文。")


Info = strawberry.Info[RequestContext, None]


async def grant_consent(
    info: Info,
    subject: Annotated[strawberry.ID, strawberry.argument(description="Resident ID. 身份号码。")],
    purpose: str,
    categories: list[str],
    valid_until: datetime,
    valid_from: datetime | None = None,
) -> ConsentArtefact:
    """Record a citizen's consent to the calling portal. 记录居民对本机构的授权同意。"""
    context = info.context
    if context.role is not Role.PORTAL:
        raise Forbidden("only a portal records consents given to it")
    artefact = await context.consent_desk.grant(
        context.client_id,
        context.role,
        validate_resident_id(subject),
        purpose,
        categories,
        valid_from,
        valid_until,
    )
    return _typed(artefact)


async def revoke_consent(info: Info, id: strawberry.ID) -> ConsentArtefact:
    """Revoke a consent given to the caller; it holds from the next request on. 撤回同意。"""
    context = info.context
    return _typed(await context.consent_desk.revoke(context.client_id, context.role, id))


async def consents(
    info: Info,
    subject: Annotated[strawberry.ID, strawberry.argument(description="Resident ID. 身份号码。")],
) -> list[ConsentArtefact]:
    """The consents a citizen gave the caller. 居民授予本机构的同意。"""
    context = info.context
    held = await context.consent_desk.held(
        context.client_id, context.role, validate_resident_id(subject)
    )
    return [_typed(artefact) for artefact in held]


def _typed(document: Artefact) -> ConsentArtefact:
    """A dict stands in for the type: the schema's default resolver reads dicts by Python name."""
    validity: Any = document["validity"]
    typed = {
        **document,
        "valid_from": validity["from"],
        "valid_until": validity["until"],
        "document": document,
    }
    return cast(ConsentArtefact, typed)
