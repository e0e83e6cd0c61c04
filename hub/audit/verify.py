"""Verifying an audit export offline, with nothing but the log's verifier key.

One pass, front to back, in bounded memory. Each leaf must come at the next index; it is hashed
into the tree's right edge (a Frontier). Each checkpoint must bear the key's signature, follow
exactly as many entries as its size and carry the root they hash to. All checkpoints are checked
against one sequence of leaves, so each is consistent with the one before it: what a consistency
proof would show, established from the leaves themselves.

What is proved is that these exact bytes are the log the hub signed. Leaves are not decoded here:
parsing them (``decode_leaf``) would triple the time of a million-entry check and prove nothing
more about tampering, which any changed byte already shows.

Nothing here touches a database: ``tongban audit verify`` runs wherever the file and the key are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.audit.checkpoint import Checkpoint, open_checkpoint
from hub.audit.export_format import (
    ExportedCheckpoint,
    ExportedEntry,
    check_header,
    parse_line,
)
from hub.audit.frontier import Frontier
from hub.audit.merkle import leaf_hash
from hub.audit.note import NoteVerifier
from hub.errors import AuditError, AuditMalformed, AuditProofInvalid

_CHUNK = 65_536
"""Leaf hashes folded into the frontier at a time: bounds memory, amortises the call."""


@dataclass(frozen=True, slots=True)
class VerifiedLog:
    entries: int
    checkpoints: int
    head: Checkpoint | None
    """The latest checkpoint, which commits to every entry; None for an empty log."""


def verify_export(
    lines: Iterable[bytes], verifier: NoteVerifier, held: Checkpoint | None = None
) -> VerifiedLog:
    """The log the export holds, once every check passes; else the first failure, as an
    AuditError naming its line. ``held`` is a checkpoint the auditor kept from earlier: the
    export must contain its tree, which no truncation that also drops checkpoints can fake."""
    check = _Verification(verifier, held)
    number = 0
    for number, line in enumerate(lines, 1):
        try:
            if number == 1:
                check_header(line)
            else:
                check.record(parse_line(line))
        except AuditError as error:
            raise type(error)(f"line {number}: {error.message}") from error
    if number == 0:
        raise AuditMalformed("the file is empty: no header")
    return check.finish()


class _Verification:
    def __init__(self, verifier: NoteVerifier, held: Checkpoint | None) -> None:
        self._verifier = verifier
        self._held = held
        self._frontier = Frontier()
        self._pending: list[bytes] = []
        self._head: Checkpoint | None = None
        self._checkpoints = 0

    @property
    def _size(self) -> int:
        return self._frontier.size + len(self._pending)

    @property
    def _covered(self) -> int:
        return 0 if self._head is None else self._head.size

    def record(self, record: ExportedEntry | ExportedCheckpoint) -> None:
        if isinstance(record, ExportedEntry):
            self._entry(record)
        else:
            self._checkpoint(record)

    def finish(self) -> VerifiedLog:
        if self._size != self._covered:
            raise AuditProofInvalid(
                f"no checkpoint covers {_span(self._covered, self._size)}:"
                " the export was cut short, or entries were added to it"
            )
        if self._held is not None and self._held.size > self._size:
            raise AuditProofInvalid(
                f"the log ends after {self._size} entries, yet the checkpoint held says"
                f" {self._held.size}: the log was truncated"
            )
        return VerifiedLog(self._size, self._checkpoints, self._head)

    def _entry(self, entry: ExportedEntry) -> None:
        expected = self._size
        if entry.index > expected:
            raise AuditProofInvalid(
                f"missing {_span(expected, entry.index)}: entry {entry.index} comes next"
            )
        if entry.index < expected:
            raise AuditProofInvalid(
                f"entry {entry.index} follows entry {expected - 1}: repeated or out of order"
            )
        self._pending.append(leaf_hash(entry.leaf))
        if self._held is not None and self._size == self._held.size:
            if self._root() != self._held.root:
                raise AuditProofInvalid(
                    f"the checkpoint held, of size {self._held.size}, does not match"
                    f" {_span(0, self._held.size)}: the log was rewritten since"
                )
        elif len(self._pending) >= _CHUNK:
            self._root()

    def _checkpoint(self, record: ExportedCheckpoint) -> None:
        try:
            checkpoint = open_checkpoint(record.note, self._verifier)
        except AuditError as error:
            raise type(error)(f"checkpoint after {self._size} entries: {error.message}") from error
        size, entries = checkpoint.size, self._size
        if size > entries:
            raise AuditProofInvalid(
                f"checkpoint of size {size} follows {entries} entries:"
                f" missing {_span(entries, size)}"
            )
        if size < entries:
            raise AuditProofInvalid(
                f"checkpoint of size {size} follows {entries} entries:"
                " it was moved, or entries were inserted before it"
            )
        if self._root() != checkpoint.root:
            raise AuditProofInvalid(
                f"checkpoint of size {size} does not match the entries before it: an entry"
                f" was altered, inserted, removed or moved in {_span(self._covered, size)}"
            )
        self._head = checkpoint
        self._checkpoints += 1

    def _root(self) -> bytes:
        self._frontier, _ = self._frontier.extend(self._pending)
        self._pending.clear()
        return self._frontier.root


def _span(first: int, end: int) -> str:
    """Entries ``[first, end)``, in words."""
    return f"entry {first}" if end - first == 1 else f"entries {first}..{end - 1}"
