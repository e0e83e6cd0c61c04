"""A consent granted as the tests need one: to the portal, for TEMPORARY_ASSISTANCE, valid from
yesterday for a month unless told otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.store import ConsentRecord, Store

NOW = datetime.now(UTC)
DAY = timedelta(days=1)
CITIZEN = "11010519491231002X"
NEIGHBOUR = "110105195003070017"
GRANTEE = "cl_portal"
PURPOSE = "TEMPORARY_ASSISTANCE"


async def grant(
    store: Store,
    subject: str = CITIZEN,
    grantee: str = GRANTEE,
    purpose: str = PURPOSE,
    categories: tuple[str, ...] = ("health",),
    days: tuple[int, int] = (-1, 30),
) -> ConsentRecord:
    return await store.add_consent(
        subject=subject,
        grantee=grantee,
        purpose=purpose,
        categories=categories,
        valid_from=NOW + days[0] * DAY,
        valid_until=NOW + days[1] * DAY,
    )
