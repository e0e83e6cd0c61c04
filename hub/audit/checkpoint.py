"""C2SP tlog-checkpoints (c2sp.org/tlog-checkpoint): the signed head of the audit log.

The note text is the origin, the tree size in decimal and the base64 root hash, one per line,
then optional extension lines. The origin doubles as the signing key's name, as the spec advises,
so a verifier that pins the hub's key also pins which log a checkpoint speaks for.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hub.audit.merkle import HASH_SIZE, verify_consistency
from hub.audit.note import NoteSigner, NoteVerifier, open_note
from hub.errors import AuditMalformed, AuditProofInvalid

_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")
_CONTROL = re.compile(r"[\x00-\x1f]")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tree head; construction validates it, so an instance always prints as a checkpoint."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if any(not line or _CONTROL.search(line) for line in (self.origin, *self.extensions)):
            raise AuditMalformed("checkpoint lines must be non-empty, without control characters")
        if not 0 <= self.size < 1 << 64:
            raise AuditMalformed(f"checkpoint tree size {self.size} is not a uint64")
        if len(self.root) != HASH_SIZE:
            raise AuditMalformed(f"checkpoint root hash must be {HASH_SIZE} bytes")

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """The checkpoint in a note text; anything but the one canonical spelling is rejected."""
        lines = text.removesuffix("\n").split("\n")
        if not text.endswith("\n") or len(lines) < 3 or not _SIZE.fullmatch(lines[1]):
            raise AuditMalformed("checkpoint is not origin, decimal size, root hash, one a line")
        origin, size, root, *extensions = lines
        try:
            root_hash = base64.b64decode(root, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise AuditMalformed("checkpoint root hash is not base64") from exc
        checkpoint = cls(origin, int(size), root_hash, tuple(extensions))
        if checkpoint.text != text:
            raise AuditMalformed("checkpoint root hash is not in canonical base64")
        return checkpoint

    @property
    def text(self) -> str:
        lines = (self.origin, str(self.size), base64.b64encode(self.root).decode())
        return "".join(f"{line}\n" for line in (*lines, *self.extensions))


def open_checkpoint(note: bytes, verifier: NoteVerifier) -> Checkpoint:
    """The checkpoint in a signed note, once the log's key has verified it."""
    checkpoint = Checkpoint.parse(open_note(note, [verifier]))
    if checkpoint.origin != verifier.name:
        raise AuditMalformed(f"checkpoint is for {checkpoint.origin!r}, not {verifier.name!r}")
    return checkpoint


class CheckpointSigner:
    """Signs tree heads, and never two that contradict each other.

    A log that signs inconsistent checkpoints has forked: it shows different histories to different
    auditors. So every checkpoint after the first must come with a consistency proof from the last
    one signed, and ``last`` must be the latest checkpoint ever signed with this key (the store's
    latest, on start-up) for the promise to hold across restarts. Hub processes sharing one log
    must take turns (one signer at a time, its ``last`` re-read from the store) for the same reason.
    """

    def __init__(self, signer: NoteSigner, last: Checkpoint | None = None) -> None:
        if last is not None and last.origin != signer.name:
            raise AuditMalformed(f"checkpoint is for {last.origin!r}, not {signer.name!r}")
        self._signer = signer
        self._last = last

    @property
    def last(self) -> Checkpoint | None:
        return self._last

    def sign_next(self, size: int, root: bytes, proof: Sequence[bytes]) -> bytes:
        """The signed checkpoint of ``(size, root)``, if ``proof`` shows it extends the last one."""
        checkpoint = Checkpoint(self._signer.name, size, root)
        if self._last is not None:
            verify_consistency(self._last.size, size, proof, self._last.root, root)
        elif proof:
            raise AuditProofInvalid("the first checkpoint has nothing to be consistent with")
        note = self._signer.sign(checkpoint.text)
        self._last = checkpoint
        return note
