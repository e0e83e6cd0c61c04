"""The audit log at 1,000,000 entries: ``tongban audit verify`` of its export, and inclusion
proofs on SQLite and on PostgreSQL.

The SQLite log, its signing key and its export (written by ``tongban audit export``) are built
once into the cache directory and kept; the PostgreSQL log is rebuilt in a scratch database each
time, under the same key, and must reach the same root. The CLI runs alone on the server core.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.audit_proofs import ProofTimes, time_inclusion_proofs
from bench.errors import BenchFailed
from bench.processes import SERVER_CORE, TONGBAN, run_pinned
from bench.stores import POSTGRESQL, SQLITE, fresh_store
from bench.synthetic_log import build_log
from hub.audit.note import NoteSigner
from hub.audit_commands import verifier_key
from hub.config import Settings
from hub.errors import TongbanError
from hub.keys import load_or_create_signing_key
from hub.store import open_store

SIZE = 1_000_000
_EXPORT = "export.jsonl"
_BUILT = "built.json"
"""What building the cache took, for the report of every later run."""


@dataclass(frozen=True, slots=True)
class SqliteBuild:
    build_s: float
    export_s: float
    export_bytes: int


@dataclass(frozen=True, slots=True)
class AuditMillion:
    entries: int
    sqlite: SqliteBuild
    cached: bool
    """Whether the SQLite log and its export came from an earlier run (its times are that run's)."""
    verify_s: float
    """``tongban audit verify`` of the export, process start to exit."""
    postgres_build_s: float
    proofs: tuple[ProofTimes, ...]


async def measure_million(cache: Path) -> AuditMillion:
    """Builds the cache first if ``cache`` does not hold one."""
    try:
        built = _built(cache)
        cached = built is not None
        if built is None:
            built = await _build_cache(cache)
        settings = Settings.from_env({}, data_dir=cache)
        verify_s = await _verify(cache / _EXPORT, verifier_key(settings))
        root, sqlite_proofs = await _sqlite_proofs(settings)
        postgres_build_s, postgres_proofs = await _postgres_proofs(settings, root)
    except TongbanError as error:
        raise BenchFailed(f"{error.code}: {error.message}") from error
    return AuditMillion(
        entries=SIZE,
        sqlite=built,
        cached=cached,
        verify_s=verify_s,
        postgres_build_s=postgres_build_s,
        proofs=(sqlite_proofs, postgres_proofs),
    )


async def _sqlite_proofs(settings: Settings) -> tuple[bytes, ProofTimes]:
    """The cached log's root, and proofs from it."""
    store = await open_store(settings.database_url)
    try:
        head = await store.audit_checkpoint()
        if head is None or head.size != SIZE:
            raise BenchFailed(
                f"the cached log in {settings.data_dir} does not hold {SIZE:,} entries"
            )
        return head.root, await time_inclusion_proofs(SQLITE, store)
    finally:
        await store.close()


async def _postgres_proofs(settings: Settings, root: bytes) -> tuple[float, ProofTimes]:
    """The seconds a log like the cached one took to build in PostgreSQL, and proofs from it."""
    async with fresh_store(POSTGRESQL) as store:
        started = time.perf_counter()
        await build_log(store, _signer(settings), SIZE)
        seconds = time.perf_counter() - started
        head = await store.audit_checkpoint()
        if head is None or head.root != root:
            raise BenchFailed("the PostgreSQL log's root differs from the SQLite log's")
        return seconds, await time_inclusion_proofs(POSTGRESQL, store)


async def _build_cache(cache: Path) -> SqliteBuild:
    """Built beside ``cache`` and renamed into place, so that an interrupted build is redone."""
    partial = _emptied(cache.with_name(cache.name + ".partial"))
    settings = Settings.from_env({}, data_dir=partial)
    store = await open_store(settings.database_url)
    try:
        started = time.perf_counter()
        await build_log(store, _signer(settings), SIZE)
        build_s = time.perf_counter() - started
    finally:
        await store.close()
    export = ("--output", str(partial / _EXPORT))
    command = (TONGBAN, "audit", "export", "--data-dir", str(partial), *export)
    export_s, _ = await run_pinned(SERVER_CORE, command)
    return _kept(partial, cache, build_s, export_s)


def _built(cache: Path) -> SqliteBuild | None:
    path = cache / _BUILT
    return SqliteBuild(**orjson.loads(path.read_bytes())) if path.exists() else None


def _emptied(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def _kept(partial: Path, cache: Path, build_s: float, export_s: float) -> SqliteBuild:
    built = SqliteBuild(build_s, export_s, (partial / _EXPORT).stat().st_size)
    (partial / _BUILT).write_bytes(orjson.dumps(built))
    partial.rename(cache)
    return built


async def _verify(export: Path, key: str) -> float:
    seconds, output = await run_pinned(
        SERVER_CORE, (TONGBAN, "audit", "verify", str(export), "--key", key)
    )
    if f"verified: {SIZE:,} entries" not in output:
        raise BenchFailed(f"tongban audit verify did not verify {SIZE:,} entries:\n{output}")
    return seconds


def _signer(settings: Settings) -> NoteSigner:
    """The log's signer, as ``tongban serve`` would make it from ``settings``."""
    return NoteSigner(settings.log_origin, load_or_create_signing_key(settings.signing_key_file))
