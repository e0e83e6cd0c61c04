"""Strict reading of the policy files: a mistake names the file, the place and the reason.

Policy files are reviewed like code, so reading one is as strict as compiling code: a YAML syntax
error, a duplicate key (which YAML would silently resolve to the last one), an unknown key or a
value of the wrong kind stops the hub at start-up with the line to fix.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from hub.errors import PolicyError

POLICY_DIRECTORY = Path(__file__).parent

Location = Sequence[str | int]
Model = TypeVar("Model", bound=BaseModel)


class PolicyModel(BaseModel):
    """The schema of a policy file or of a part of one: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PolicyFile:
    """A parsed policy file that remembers where each value sits, so errors can cite lines."""

    def __init__(self, path: Path, data: object, root: yaml.Node | None) -> None:
        self.path = path
        self.data = data
        self._root = root

    @classmethod
    def read(cls, path: Path) -> PolicyFile:
        try:
            loader = _StrictLoader(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(str(path), "", f"cannot read: {exc}") from exc
        try:
            root = loader.get_single_node()
            data = None if root is None else loader.construct_document(root)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            place = "" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"
            raise PolicyError(str(path), place, f"not valid YAML: {exc.problem}") from exc
        except yaml.YAMLError as exc:
            raise PolicyError(str(path), "", f"not valid YAML: {exc}") from exc
        finally:
            loader.dispose()
        return cls(path, data, root)

    def parse(self, model: type[Model]) -> Model:
        """The file as ``model``; the first thing wrong with it becomes a PolicyError."""
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            location = [part for part in first["loc"] if part != "[key]"]
            raise self.error(location, first["msg"].removeprefix("Value error, ")) from exc

    def error(self, location: Location, reason: str) -> PolicyError:
        """An error at ``location`` (keys and list indices from the top of the file)."""
        path = ".".join(str(part) for part in location)
        line = f"line {self._line_of(location)}"
        return PolicyError(str(self.path), f"{path}, {line}" if path else line, reason)

    def _line_of(self, location: Location) -> int:
        """The line of the deepest node the location reaches: a missing key points at its parent."""
        node = self._root
        if node is None:
            return 1
        for part in location:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        return next((value for key, value in pairs if key.value == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        items: list[yaml.Node] = node.value
        return items[part] if part < len(items) else None
    return None


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
