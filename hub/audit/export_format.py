"""The audit export file, defined here and nowhere else (docs/audit-export.md for auditors).

JSON Lines: a header, then the log's entries in leaf order, each checkpoint right after the
entry that completes its tree::

    {"format":"tongban-audit-export","version":1}
    {"index":0,"leaf":"<base64 of the leaf bytes>"}
    {"checkpoint":"<signed note text>"}

The leaf travels as base64 of its exact bytes, since a tampered leaf need not even be text, and
the signed note as the text it is. Nothing is derived: hashes, roots and sizes are recomputed by
whoever verifies, so a file that lies about them has nowhere to do it.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

import orjson

from hub.errors import AuditMalformed

FORMAT = "tongban-audit-export"
VERSION = 1
HEADER = orjson.dumps({"format": FORMAT, "version": VERSION}) + b"\n"


@dataclass(frozen=True, slots=True)
class ExportedEntry:
    index: int
    leaf: bytes


@dataclass(frozen=True, slots=True)
class ExportedCheckpoint:
    note: bytes


def entry_line(index: int, leaf: bytes) -> bytes:
    return b'{"index":%d,"leaf":"%s"}\n' % (index, binascii.b2a_base64(leaf, newline=False))


def checkpoint_line(note: str) -> bytes:
    return orjson.dumps({"checkpoint": note}) + b"\n"


def check_header(line: bytes) -> None:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise AuditMalformed(f"not a {FORMAT} file: the first line is no header")
    if header.get("version") != VERSION:
        raise AuditMalformed(f"{FORMAT} version {header.get('version')!r} is not {VERSION}")


def parse_line(line: bytes) -> ExportedEntry | ExportedCheckpoint:
    """One line after the header; anything but an entry or a checkpoint is rejected."""
    try:
        record = orjson.loads(line)
        if isinstance(record, dict) and record.keys() == {"index", "leaf"}:
            index = record["index"]
            if isinstance(index, int) and not isinstance(index, bool) and index >= 0:
                return ExportedEntry(index, binascii.a2b_base64(record["leaf"], strict_mode=True))
        if isinstance(record, dict) and record.keys() == {"checkpoint"}:
            return ExportedCheckpoint(record["checkpoint"].encode())
    except (ValueError, TypeError, AttributeError) as exc:  # binascii's and orjson's errors too
        raise AuditMalformed(f"not an entry or a checkpoint: {exc}") from exc
    raise AuditMalformed("not an entry or a checkpoint")
