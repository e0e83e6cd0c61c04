"""What a connector is asked for and what it hands back: plain data, no GraphQL, no policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.errors import SourceError

ResidentId = str
FieldName = str


@dataclass(frozen=True, slots=True)
class FetchItem:
    """One subject and the fields policy allowed to be asked of the department for it."""

    subject: ResidentId
    fields: frozenset[FieldName]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a set of facts came from; shared by every subject answered in one department call."""

    department: str
    issued_at: str
    fetched_at: datetime
    signature_verified: bool
    key_id: str | None


@dataclass(frozen=True, slots=True)
class SubjectRecord:
    """A department's answer about one subject; ``fields`` is empty when it was not found."""

    found: bool
    fields: Mapping[FieldName, Any]
    provenance: Provenance

    def narrowed(self, asked: frozenset[FieldName]) -> SubjectRecord:
        """The record with only the ``asked`` fields: whatever else a department sent is dropped
        here, so nothing above a transport sees a field it did not ask for."""
        if self.fields.keys() <= asked:
            return self
        kept = {name: value for name, value in self.fields.items() if name in asked}
        return SubjectRecord(self.found, kept, self.provenance)


SubjectOutcome = SubjectRecord | SourceError
"""Per subject: the record, or why the department could not give it."""


def by_field_set(items: Iterable[FetchItem]) -> dict[frozenset[FieldName], list[ResidentId]]:
    """The subjects asked for each distinct set of fields: a transport that cannot name fields
    per subject asks once per set, so no subject is asked a field policy withheld from it."""
    groups: dict[frozenset[FieldName], list[ResidentId]] = {}
    for item in items:
        groups.setdefault(item.fields, []).append(item.subject)
    return groups
