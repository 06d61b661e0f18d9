"""Reading YAML so that every later error can name the file, the line and the path inside it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from postguard.errors import Code, ErrorList, Location, PostGuardError

type YamlPath = tuple[str | int, ...]


class LocatedYaml:
    """Parsed YAML plus the line on which each mapping key or list item starts."""

    def __init__(self, data: Any, lines: dict[YamlPath, int], file: str) -> None:
        self.data = data
        self.lines = lines
        self.file = file

    def line_of(self, path: Sequence[str | int]) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _walk(node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def load_yaml(path: Path, label: str | None = None) -> LocatedYaml:
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as problem:
        raise PostGuardError(Code.E401, Location(name), path=str(path),
                             problem=problem.strerror or str(problem)) from None
    except UnicodeDecodeError:
        raise PostGuardError(Code.E401, Location(name), path=str(path),
                             problem="not UTF-8 text") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> LocatedYaml:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(problem, "problem", None) or str(problem)
        raise PostGuardError(Code.E108, Location(name, line), problem=reason) from None
    lines: dict[YamlPath, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LocatedYaml(data, lines, name)


def dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_errors(error: ValidationError, source: LocatedYaml, code: Code,
                      path_map: dict[YamlPath, YamlPath] | None = None) -> ErrorList:
    """Turn pydantic's errors into ours, each naming file, line and field."""
    found = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if not str(part).startswith("function-"))
        source_loc = (path_map or {}).get(loc[:2], loc[:2]) + loc[2:] if path_map else loc
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "missing field"
        found.append(PostGuardError(
            code, Location(source.file, source.line_of(source_loc), dotted(source_loc) or None),
            problem=message))
    return ErrorList(found)
