"""Transports installed as Python plugins, found in the ``tongban.transports`` entry points.

An entry point names a factory: called with the department's ``Manifest`` (its ``transport``
holds the plugin's ``name`` and free-form ``options``), it returns an object with the
``connectors.transport.Transport`` methods. As pluggy does with hooks, the plugin is checked where
it is declared — at registration and approval — and everything that can go wrong becomes a
``ManifestError`` naming the plugin: not installed, not importable, a factory that refuses its
options, an object without the methods. The factory is called once for the check and once per
connector built, so it should open nothing until it is first asked.

What a plugin answers is held to the contract of every transport: only ``SourceError`` leaves it
(anything else it raises is mapped here), only subjects it was asked about, only their own fields.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Mapping, Sequence
from importlib.metadata import entry_points
from typing import TypeVar

from connectors.answer import asked_subject
from connectors.manifest import Manifest
from connectors.records import FetchItem, Provenance, ResidentId, SubjectRecord
from connectors.transport import Transport
from connectors.transport_specs import PluginTransportSpec
from hub.errors import (
    ManifestError,
    SourceBadResponse,
    SourceError,
    SourceTimeout,
    SourceUnavailable,
)

GROUP = "tongban.transports"
_METHODS = ("fetch", "health", "close")

T = TypeVar("T")


def load_plugin(manifest: Manifest, spec: PluginTransportSpec, source: str) -> PluginTransport:
    """The plugin's transport for ``manifest``, or a ``ManifestError`` saying why there is none."""
    name = spec.name
    found = {point.value: point for point in entry_points(group=GROUP, name=name)}
    if len(found) != 1:
        reason = "is not installed" if not found else f"is provided {len(found)} times"
        raise ManifestError(source, "transport.name", f"plugin {name!r} {reason} (in {GROUP})")
    (point,) = found.values()
    try:
        factory = point.load()
    except Exception as exc:  # whatever importing a third party's module raises
        reason = f"plugin {name!r} cannot be imported from {point.value}: {_said(exc)}"
        raise ManifestError(source, "transport.name", reason) from exc
    if not callable(factory):
        raise ManifestError(source, "transport.name", f"plugin {name!r} is not a factory")
    try:
        made = factory(manifest)
    except Exception as exc:
        reason = f"plugin {name!r} refused to start: {_said(exc)}"
        raise ManifestError(source, "transport.options", reason) from exc
    missing = [m for m in _METHODS if not inspect.iscoroutinefunction(getattr(made, m, None))]
    if missing:
        reason = f"plugin {name!r} made a {type(made).__name__} without async {', '.join(missing)}"
        raise ManifestError(source, "transport.name", reason)
    return PluginTransport(manifest.department, made, manifest.timeout_ms / 1000)


async def check_plugin(manifest: Manifest, spec: PluginTransportSpec, source: str) -> None:
    """Raise the ``ManifestError`` that building this plugin's transport would raise."""
    try:
        await load_plugin(manifest, spec, source).close()
    except SourceError as error:
        reason = f"plugin {spec.name!r} could not close what it made: {error.message}"
        raise ManifestError(source, "transport.name", reason) from error


class PluginTransport:
    """A plugin's transport, held to the contract."""

    def __init__(self, department: str, plugin: Transport, timeout_s: float) -> None:
        self._department = department
        self._plugin = plugin
        self._timeout = timeout_s

    async def fetch(self, items: Sequence[FetchItem]) -> dict[ResidentId, SubjectRecord]:
        answered: object = await self._guarded(self._plugin.fetch(items))
        if not isinstance(answered, dict):
            raise SourceBadResponse(self._department, "the plugin's answer is not a mapping")
        asked = {item.subject: item.fields for item in items}
        records: dict[ResidentId, SubjectRecord] = {}
        for said, record in answered.items():
            subject = asked_subject(self._department, said, asked)
            if not (
                isinstance(record, SubjectRecord)
                and isinstance(record.fields, Mapping)
                and isinstance(record.provenance, Provenance)
                and record.provenance.department == self._department
            ):
                reason = f"the plugin's answer for {subject} is not a record of {self._department}"
                raise SourceBadResponse(self._department, reason)
            records[subject] = record.narrowed(asked[subject])
        return records

    async def health(self) -> None:
        await self._guarded(self._plugin.health())

    async def close(self) -> None:
        await self._guarded(self._plugin.close())

    async def _guarded(self, call: Awaitable[T]) -> T:
        """Within the manifest's deadline, as the transport contract has every call end."""
        try:
            async with asyncio.timeout(self._timeout):
                return await call
        except SourceError:
            raise
        except TimeoutError as exc:
            raise SourceTimeout(self._department, f"the plugin timed out: {_said(exc)}") from exc
        except Exception as exc:  # a plugin's own failure must not escape as a foreign exception
            raise SourceUnavailable(self._department, f"the plugin failed: {_said(exc)}") from exc


def _said(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
