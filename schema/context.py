"""What a resolver knows about the request: set by the hub's endpoint, read by ``schema``."""

from __future__ import annotations

from dataclasses import dataclass

from hub.roles import Role
from policies.purposes import PurposeRegistry


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: str
    client_id: str
    role: Role
    purposes: PurposeRegistry
