"""A manifest as a department hands it in: text, YAML or JSON, read as untrusted input.

Before anything walks the document it is bounded (size, no aliases); what it then says is
validated by ``connectors.manifest``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from connectors.manifest import Manifest, parse_manifest
from hub.errors import ManifestError

MAX_MANIFEST_CHARACTERS = 256 * 1024
BUILTIN_MANIFESTS = Path(__file__).parent / "manifests"


def load_manifest_file(path: Path) -> Manifest:
    """Read a YAML or JSON manifest (JSON is YAML) from disk."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(str(path), "", f"cannot read: {exc}") from exc
    return parse_manifest(read_manifest_document(text, str(path)), str(path))


def read_manifest_document(text: str, source: str) -> dict[str, Any]:
    """The decoded YAML or JSON text of a manifest, not yet validated."""
    if len(text) > MAX_MANIFEST_CHARACTERS:
        reason = f"{len(text):,} characters; a manifest has at most {MAX_MANIFEST_CHARACTERS:,}"
        raise ManifestError(source, "", reason)
    try:
        document = yaml.load(text, Loader=_AliasFreeLoader)
    except yaml.YAMLError as exc:
        raise ManifestError(source, "", f"not YAML or JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ManifestError(source, "", "a manifest is a mapping at the top level")
    return document


class _AliasFreeLoader(yaml.SafeLoader):
    """Safe YAML without aliases. A manifest has no use for them, and aliases of aliases (the
    "billion laughs") make a few hundred bytes a document that validation would walk for ever."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)
