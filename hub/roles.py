"""The roles an API client acts in: the first thing authorisation asks about a caller."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Stored and embedded in API keys by value, so a value never changes once released."""

    PORTAL = "portal"
    DEPARTMENT = "department"
    AUDITOR = "auditor"
    ADMIN = "admin"
    CITIZEN = "citizen"
    """A resident reading who accessed their own data; each such client is bound to one ID."""
