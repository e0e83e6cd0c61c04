"""``tongban audit export``, ``tongban audit verify`` and ``tongban keys show``.

The log leaves the hub as a file, and is checked anywhere with the file and the verifier key
alone: ``verify`` opens no store and needs no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal

from rich.console import Console
from rich.progress import Progress, TaskID

from hub.audit.checkpoint import Checkpoint, open_checkpoint
from hub.audit.export import export_chunks
from hub.audit.note import NoteSigner, NoteVerifier
from hub.audit.verify import verify_export
from hub.config import Settings
from hub.errors import ConfigError
from hub.keys import load_or_create_signing_key
from hub.store import Store

_PROGRESS_EVERY = 16_384
"""Lines between progress updates: often enough to watch, rare enough to cost nothing."""


def verifier_key(settings: Settings) -> str:
    """The C2SP verifier key of the hub's log, as /.well-known/tongban/audit-key serves it."""
    path = settings.signing_key_file
    if not path.exists():  # showing a key must never create one
        raise ConfigError(
            f"no signing key at {path}: `tongban serve` creates it on first start"
            " (set TONGBAN_SIGNING_KEY_FILE or --data-dir to point at another)"
        )
    key = load_or_create_signing_key(path)
    return NoteSigner(settings.log_origin, key).verifier.key


async def export_log(store: Store, output: Path, console: Console) -> int:
    """Export the tree of the latest checkpoint to ``output``; returns its size.

    Written beside ``output`` and renamed into place, so that the file, if it exists, is whole.
    """
    head = await store.audit_checkpoint()
    size = 0 if head is None else head.size
    partial = output.with_name(output.name + ".partial")
    with _opened(partial, "wb") as file, _progress(console) as progress:
        task = progress.add_task("exporting", total=size)
        async for chunk, entries in export_chunks(store, size):
            file.write(chunk)
            progress.update(task, completed=entries)
    partial.replace(output)
    return size


def verify_log(path: Path, key: str, held: Path | None, console: Console) -> None:
    """Verify the export at ``path``; the first failure raises an AuditError naming it."""
    if not key.strip():  # as --key "$(tongban keys show)" passes it when that command failed
        raise ConfigError("--key is empty: pass the verifier key that `tongban keys show` prints")
    verifier = NoteVerifier.from_key(key)
    checkpoint = None if held is None else _held(held, verifier)
    with _opened(path, "rb") as file, _progress(console) as progress:
        task = progress.add_task("verifying", total=path.stat().st_size)
        log = verify_export(_tracked(file, progress, task), verifier, checkpoint)
    if log.head is None:
        console.print("[bold green]verified[/]: an empty log")
        return
    console.print(
        f"[bold green]verified[/]: {log.entries:,} entries, {log.checkpoints:,} checkpoints,"
        f" one history\nlatest checkpoint:\n{log.head.text}",
        end="",
    )


def _held(path: Path, verifier: NoteVerifier) -> Checkpoint:
    try:
        note = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the checkpoint held at {path}: {exc}") from exc
    return open_checkpoint(note, verifier)


def _tracked(file: BinaryIO, progress: Progress, task: TaskID) -> Iterator[bytes]:
    done = 0
    for number, line in enumerate(file, 1):
        done += len(line)
        if number % _PROGRESS_EVERY == 0:
            progress.update(task, completed=done)
        yield line


@contextmanager
def _opened(path: Path, mode: Literal["rb", "wb"]) -> Iterator[BinaryIO]:
    try:
        file = path.open(mode)
    except OSError as exc:
        raise ConfigError(f"cannot open {path}: {exc.strerror}") from exc
    with file:
        yield file


def _progress(console: Console) -> Progress:
    """A bar on a terminal; nothing in logs and pipes, where it would only be noise."""
    return Progress(console=console, transient=True, disable=not console.is_terminal)
