"""API-key authentication: ``Authorization: Bearer tb_<role>_<secret>``.

Keys are looked up by their SHA-256 and the answer cached for ``ttl`` seconds, so the hot path
costs one hash and a dict lookup; a revocation therefore holds within ``ttl`` in every process.
"""

from __future__ import annotations

import time

from hub.apikeys import hash_api_key, parse_api_key
from hub.errors import Unauthenticated
from hub.store import ClientRecord, Store

DEFAULT_TTL_SECONDS = 2.0


class Authenticator:
    def __init__(self, store: Store, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self._store = store
        self._ttl = ttl
        self._cache: dict[bytes, tuple[float, ClientRecord | None]] = {}

    async def authenticate(self, authorization: str | None) -> ClientRecord:
        if not authorization:
            raise Unauthenticated("no Authorization header; send 'Authorization: Bearer <api key>'")
        scheme, _, key = authorization.partition(" ")
        if scheme.lower() != "bearer" or not key:
            raise Unauthenticated("Authorization must be 'Bearer <api key>'")
        key = key.strip()
        parse_api_key(key)
        key_hash = hash_api_key(key)
        now = time.monotonic()
        cached = self._cache.get(key_hash)
        if cached is None or cached[0] < now:
            cached = (now + self._ttl, await self._store.client_by_key_hash(key_hash))
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key_hash] = cached
        client = cached[1]
        if client is None:
            raise Unauthenticated("unknown or revoked API key")
        return client
