"""Audit entries shaped like those an S1 query leaves: six fields from four departments, each
released under the citizen's consents, tagged as the hub tags them for auditors' searches.

The leaf's size and the tags' count are what appending costs, so they follow the real entry;
the values are synthetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bench.queries import S1_FIELDS, S1_PURPOSE
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from hub.audit.leaf import AuditEntry
from hub.roles import Role
from policies.decisions import DecisionKind

Tagged = tuple[AuditEntry, frozenset[str]]
"""An entry and its tags, as ``hub.audit.writer.audit_row`` takes them: the append benchmarks
encode each entry in the part they time, as the hub does on the request path."""

_FIRST_TIME = datetime(2026, 1, 1, tzinfo=UTC)
_LEGAL_BASIS = "PIPL Art. 13(1), 14, 45"


def s1_entries(subjects: Sequence[str], start: int, count: int) -> list[Tagged]:
    """Entries ``start`` to ``start + count`` of a log of S1 queries, one per query, a
    millisecond apart, over ``subjects`` in turn."""
    fields, tags = _shape()
    departments = tuple((department, "OK") for department in sorted(S1_FIELDS))
    return [
        (
            AuditEntry(
                time=_FIRST_TIME + timedelta(milliseconds=n),
                request_id=f"{n:032x}",
                client_id="cl_benchportal0001",
                role=Role.PORTAL,
                operator=None,
                case_ref=None,
                subject=subjects[n % len(subjects)],
                purpose=S1_PURPOSE,
                legal_basis=_LEGAL_BASIS,
                consent_id=_consents(n % len(subjects)),
                fields=fields,
                departments=departments,
                outcome="ok",
            ),
            tags,
        )
        for n in range(start, start + count)
    ]


def _shape() -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """The fields asked with their decisions, and the tags: the same for every S1 entry."""
    fields: list[tuple[str, str]] = []
    tags = {f"decision:{DecisionKind.ALLOW.value}"}
    for department, domains in S1_FIELDS.items():
        manifest = load_manifest_file(BUILTIN_MANIFESTS / f"{department}.yaml")
        tags.add(f"department:{department}")
        for domain, names in domains.items():
            for name in sorted(names):
                fields.append((f"{domain}.{name}", DecisionKind.ALLOW.value.lower()))
                tags.add(f"category:{manifest.domains[domain].fields[name].category}")
    return tuple(fields), frozenset(tags)


def _consents(subject: int) -> str:
    """The subject's two consents, as the entry cites them: the ordinary one, then health's."""
    return f"cs_{2 * subject:016x},cs_{2 * subject + 1:016x}"
