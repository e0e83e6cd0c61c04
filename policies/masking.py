"""Masking: what of a value a MASK decision lets through, by the rules of ``masks.yaml``.

A manifest names a mask kind on each field that carries something to hide; fields without one
are released as they are. Masking fails closed: a value the rules cannot read (a number where a
masked string belongs, a string where an object belongs) is not released at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TypeAlias

from pydantic import Field, StrictInt

from connectors.manifest import Manifest, MaskKind
from policies.loading import PolicyFile, PolicyModel

MASKS_FILE = "masks.yaml"

MaskShape: TypeAlias = MaskKind | Mapping[str, "MaskShape"]
"""A scalar's mask kind, or for an object the shapes of those of its fields that have one."""

Rule = Callable[[str], str]

# An administrative division: a short name (no street, number or township words) and the suffix
# of a province-, prefecture- or county-level unit. Longer suffixes first.
_DIVISION = re.compile(
    r"[^\d\s路街道巷弄号栋楼室镇乡村]{1,12}?"
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|区|县|旗)"
)
_ABOVE_COUNTY = ("特别行政区", "自治区", "地区")
_MAX_DIVISIONS = 3  # province, prefecture, county


@dataclass(frozen=True, slots=True)
class KeepEnds:
    """Keep so many characters at each end, star the rest."""

    keep_head: int
    keep_tail: int

    def __call__(self, text: str) -> str:
        hidden = len(text) - self.keep_head - self.keep_tail
        if hidden < 1:
            return "*" * len(text)
        return text[: self.keep_head] + "*" * hidden + text[len(text) - self.keep_tail :]


def keep_divisions(text: str) -> str:
    """Keep the administrative divisions down to the county or district: 北京市朝阳区."""
    end = 0
    for _ in range(_MAX_DIVISIONS):
        match = _DIVISION.match(text, end)
        if match is None:
            break
        end = match.end()
        unit = match.group()
        if unit.endswith(("区", "县", "旗")) and not unit.endswith(_ABOVE_COUNTY):
            break
    return text[:end] if end else "*" * len(text)


class Masks:
    def __init__(self, rules: Mapping[MaskKind, Rule]) -> None:
        self._rules = dict(rules)

    def apply(self, value: object, shape: MaskShape) -> object:
        """``value`` masked as ``shape`` says, inside lists and nested objects."""
        if value is None:
            return None
        if isinstance(value, list):
            return [self.apply(item, shape) for item in value]
        if isinstance(shape, MaskKind):
            return self._rules[shape](value) if isinstance(value, str) else None
        if isinstance(value, dict):
            return {
                key: self.apply(item, shape[key]) if key in shape else item
                for key, item in value.items()
            }
        return None


def mask_shapes(manifest: Manifest) -> dict[str, MaskShape]:
    """The shape of every department field that has something to mask, itself or nested."""
    nested = {
        name: {field: spec.mask for field, spec in spec_type.fields.items() if spec.mask}
        for name, spec_type in manifest.types.items()
    }
    shapes: dict[str, MaskShape] = {}
    for domain in manifest.domains.values():
        for name, spec in domain.fields.items():
            shape = spec.mask or nested.get(spec.type.name)
            if shape:
                shapes[name] = shape
    return shapes


class _KeepEnds(PolicyModel):
    keep_head: Annotated[StrictInt, Field(ge=0)]
    keep_tail: Annotated[StrictInt, Field(ge=0)]


class _MasksFile(PolicyModel):
    keep_ends: dict[MaskKind, _KeepEnds] = Field(default_factory=dict)
    keep_divisions: list[MaskKind] = Field(default_factory=list)


def load_masks(path: Path) -> Masks:
    file = PolicyFile.read(path)
    document = file.parse(_MasksFile)
    rules: dict[MaskKind, Rule] = {
        kind: KeepEnds(rule.keep_head, rule.keep_tail) for kind, rule in document.keep_ends.items()
    }
    for index, kind in enumerate(document.keep_divisions):
        if kind in rules:
            raise file.error(("keep_divisions", index), f"{kind} already has a rule")
        rules[kind] = keep_divisions
    missing = [kind.value for kind in MaskKind if kind not in rules]
    if missing:
        raise file.error((), f"no rule for mask kinds {', '.join(missing)}")
    return Masks(rules)
