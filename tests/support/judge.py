"""Judging one answer to a drawn request against the oracles and the departments' records.

Field by field: a value policy shows is there (masked where a mask applies), a value it
withholds is null with its refusal, a claim is answered as the rules say, and every error is
accounted for. On the way the judge notes what each department may have been asked for and which
values the answer may hold; ``settle`` then searches the whole answer for anything else.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.support.catalogue import SELF, Catalogue
from tests.support.claim_oracle import RESULT_FIELDS, ClaimOracle, check_result
from tests.support.decision_oracle import Expected, Oracle, Release
from tests.support.leaks import LeakScan
from tests.support.mock_reads import Asked, Record, Records
from tests.support.query_draws import ProfileRoot, Root, VerifyRoot
from tests.support.selections import PROVENANCE, RELEASES, Picked, picked

Path = tuple[object, ...]
GONE = object()
"""The value of a root field when the whole ``data`` is null: ``citizens`` is a non-null list,
so refusing one nulls every root field of the request."""


@dataclass
class Judge:
    catalogue: Catalogue
    claims: ClaimOracle
    records: Records
    """Valid subjects only: an ID the hub must refuse has none."""
    oracle: Oracle
    codes: Sequence[str]
    answer: dict[str, Any]
    scan: LeakScan = field(default_factory=LeakScan)
    permitted: dict[str, set[str]] = field(default_factory=dict)
    """Subject → the fields some root may have asked a department for."""
    errors: dict[Path, list[str]] = field(default_factory=dict)
    """Errors not yet accounted for, by path."""
    gone: set[str] = field(default_factory=set)
    """Root fields nulled with ``data``: what they would have held cannot be judged."""
    wiped: bool = False
    """Whether a refused ``citizens`` field explains a null ``data``."""

    def __post_init__(self) -> None:
        for error in self.answer.get("errors", []):
            path = tuple(error.get("path") or ())
            self.errors.setdefault(path, []).append(error["extensions"]["code"])

    def root(self, index: int, root: Root) -> None:
        key = f"r{index}"
        data = self.answer["data"]
        refusal = self.oracle.refusal(root.purpose)
        if refusal is not None and data is not None:
            self._refused((key,), data[key], {refusal})
        elif refusal is not None:  # a refused ``citizens`` nulled ``data``: others may not have run
            found = self.errors.pop((key,), None)
            assert found in (None, [refusal]), (key, found, refusal)
            self.wiped |= found is not None and isinstance(root, ProfileRoot) and root.many
        elif data is None:
            self.gone.add(key)
            self._answered(key, GONE, root)
        else:
            self._answered(key, data[key], root)

    def _answered(self, key: str, value: Any, root: Root) -> None:
        if isinstance(root, VerifyRoot):
            self._verify(key, value, root)
        elif root.many:
            assert value is GONE or len(value) == len(root.subjects)
            for position, subject in enumerate(root.subjects):
                item = GONE if value is GONE else value[position]
                self._profile((key, position), subject, item, root)
        else:
            self._profile((key,), root.subjects[0], value, root)

    def settle(
        self, asked: Mapping[str, Asked], query: str, variables: Mapping[str, object]
    ) -> None:
        assert self.answer["data"] is not None or self.wiped, self.answer
        unexplained = {
            path: codes for path, codes in self.errors.items() if path[0] not in self.gone
        }
        assert not unexplained, f"errors nothing accounts for: {unexplained}"
        self.scan.explain(dict(variables))
        leaks = self.scan.leaks(self.answer, [query, json.dumps(variables, ensure_ascii=False)])
        assert not leaks, f"values nothing released: {leaks}"
        for department, seen in asked.items():
            for subject, fields in seen.items:
                extra = fields - self.permitted.get(subject, set())
                assert not extra, f"{department} was asked {sorted(extra)} of {subject}"
            if not any(self._owned(department) & fields for fields in self.permitted.values()):
                assert seen.batches == 0, f"{department} was called, though nothing is released"

    def _profile(self, path: Path, subject: str, value: Any, root: ProfileRoot) -> None:
        if subject not in self.records:
            if value is not GONE:
                self._refused(path, value, {"INVALID_ID"})
            return
        assert root.purpose is not None
        self._forbid(subject)
        expect = {c: self.oracle.expect(root.purpose, subject, c) for c in self._categories()}
        tops = picked(root.selection)
        plan: dict[str, set[str]] = {}
        for top in tops.values():
            if top.name in self.catalogue.fields:
                names = {child.name for child in top.children.values()}
                plan.setdefault(top.name, set()).update(
                    names & set(self.catalogue.fields[top.name])
                )
        shown = {
            spec
            for domain, names in plan.items()
            for spec in map(self.catalogue.fields[domain].__getitem__, names)
            if expect[spec.category].shown
        }
        self.permitted.setdefault(subject, set()).update(spec.name for spec in shown)
        asked = {spec.department for spec in shown}
        if value is GONE:
            return
        for key, top in tops.items():
            if top.name == "id":
                assert value[key] == subject
                continue
            department = self.catalogue.department(top.name)
            record = self.records[subject][department]
            if department in asked and record is None:
                self._refused((*path, key), value[key], {"NOT_FOUND"})
                continue
            specs = [self.catalogue.fields[top.name][name] for name in plan[top.name]]
            released = any(spec in shown for spec in specs)
            _provenance(value[key], top, department, department in asked, released)
            categories = sorted({spec.category for spec in specs})
            _releases(value[key], top, [(c, expect[c].release) for c in categories])
            self._fields((*path, key), top, value[key], record, expect)

    def _fields(
        self,
        path: Path,
        domain: Picked,
        value: Any,
        record: Record | None,
        expect: Mapping[str, Expected],
    ) -> None:
        for key, child in domain.children.items():
            spec = self.catalogue.fields[domain.name].get(child.name)
            if spec is None:  # provenance or releases
                continue
            expected = expect[spec.category]
            if not expected.shown:
                self._refused((*path, key), value[key], expected.refusals)
                continue
            assert record is not None
            masked = expected.release is Release.MASKED
            truth = record[spec.name]
            if spec.scalar:
                self._leaf((*path, key), value[key], truth, masked and SELF in spec.masked)
                continue
            assert isinstance(value[key], list), (path, key)
            assert len(value[key]) == len(truth), (path, key)
            for position, (item, true_item) in enumerate(zip(value[key], truth, strict=True)):
                for inner, leaf in child.children.items():
                    hidden = masked and leaf.name in spec.masked
                    self._leaf(
                        (*path, key, position, inner), item[inner], true_item[leaf.name], hidden
                    )

    def _leaf(self, path: Path, got: object, truth: object, hidden: bool) -> None:
        if hidden:
            assert got != truth or truth is None, f"unmasked at {path}: {got!r}"
            self.scan.explain(got)
        else:
            assert got == truth, f"at {path}: {got!r}, but the department holds {truth!r}"
            self.scan.explain(truth)

    def _verify(self, key: str, value: Any, root: VerifyRoot) -> None:
        if root.subject not in self.records:
            if value is not GONE:
                self._refused((key,), value, {"INVALID_ID"})
            return
        assert root.purpose is not None
        self._forbid(root.subject)
        verdicts = [self.claims.verdict(root.subject, root.purpose, c) for c in root.claims]
        for verdict in verdicts:
            for subject, fields in verdict.reads.items():
                self.permitted.setdefault(subject, set()).update(fields)
        if value is GONE:
            return
        for name, top in picked(root.selection).items():
            got = value[name]
            if top.name in ("claims", "document"):
                results = got if top.name == "claims" else got["claims"]
                names = (
                    {k: child.name for k, child in top.children.items()}
                    if top.name == "claims"
                    else {name: name for name in RESULT_FIELDS}
                )
                for result, claim, verdict in zip(results, root.claims, verdicts, strict=True):
                    check_result(result, names, claim, verdict)
            elif top.name == "subject":
                assert got == root.subject
            elif top.name == "purpose":
                assert got == self.codes[root.purpose]

    def _categories(self) -> set[str]:
        return {
            spec.category for fields in self.catalogue.fields.values() for spec in fields.values()
        }

    def _owned(self, department: str) -> set[str]:
        return {
            name for d in self.catalogue.domains_of(department) for name in self.catalogue.fields[d]
        }

    def _forbid(self, subject: str) -> None:
        """Every value the departments hold on the subject and on their household's members."""
        self.scan.forbid(self.records[subject])
        household = self.records[subject]["police"]
        for member in household["members"] if household else ():
            self.scan.forbid(self.records.get(member["id"]))

    def _refused(self, path: Path, got: object, codes: Collection[str]) -> None:
        assert got is None, f"{path} should be refused with {sorted(codes)}: {got!r}"
        found = self.errors.pop(path, [])
        assert len(found) == 1, f"{path}: {found}, expected one of {sorted(codes)}"
        assert found[0] in codes, f"{path}: {found}, expected {sorted(codes)}"


def _provenance(value: Any, domain: Picked, department: str, asked: bool, released: bool) -> None:
    """Null when the department was not asked; names it when a field of the domain was
    released. (A domain none of whose fields was released still shows the provenance of a
    department asked for the subject's other domains; that says nothing about a value.)"""
    for key, child in domain.children.items():
        if child.name != PROVENANCE:
            continue
        if not asked:
            assert value[key] is None, (domain.name, value[key])
        elif released:
            names = {leaf.name: k for k, leaf in child.children.items()}
            if "department" in names:
                assert value[key][names["department"]] == department
            if "signatureVerified" in names:
                assert value[key][names["signatureVerified"]] is True


def _releases(value: Any, domain: Picked, decisions: list[tuple[str, Release]]) -> None:
    """One release per category the domain's selected fields belong to, decided as expected."""
    for key, child in domain.children.items():
        if child.name != RELEASES:
            continue
        assert len(value[key]) == len(decisions), (domain.name, value[key], decisions)
        for release, (category, decision) in zip(value[key], decisions, strict=True):
            for inner, leaf in child.children.items():
                if leaf.name == "category":
                    assert release[inner] == category
                elif leaf.name == "decision":
                    assert release[inner] == decision.value, (category, release, decision)
