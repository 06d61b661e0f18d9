"""Load a school's configuration from YAML, with people inline or in CSV files beside it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from postguard.errors import Code, ErrorList, Location, PostGuardError
from postguard.school.model import School
from postguard.yamlfile import LocatedYaml, load_yaml, parse_yaml, validation_errors

GROUP_KIND = {
    "staff": "staff",
    "pupils": "pupil",
    "ex_pupils": "ex_pupil",
    "parents": "parent",
    "governors": "governor",
}
LIST_COLUMNS = {"nicknames", "roles", "children", "handles"}
BOOL_COLUMNS = {"politically_restricted", "photo_consent"}
REQUIRED_COLUMNS = ("id", "name")


def _read_csv(path: Path, label: str, kind: str) -> list[dict[str, Any]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as problem:
        raise PostGuardError(Code.E204, Location(label), what="people file", path=str(path),
                             problem=problem.strerror or str(problem)) from None
    rows: list[dict[str, Any]] = []
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                raise PostGuardError(Code.E202, Location(label, 1), csv=path.name, column=column)
        for row in reader:
            record: dict[str, Any] = {"kind": kind}
            for key, value in row.items():
                if key is None or value is None:
                    continue
                value = value.strip()
                if value == "":
                    continue
                if key in LIST_COLUMNS:
                    record[key] = [part.strip() for part in value.split(";") if part.strip()]
                elif key in BOOL_COLUMNS:
                    record[key] = value.lower() in ("yes", "true", "1", "y")
                else:
                    record[key] = value
            record["_line"] = reader.line_num
            rows.append(record)
    return rows


def _check_rows(rows: list[dict[str, Any]], label: str) -> None:
    """Validate CSV rows one by one so that an error names the CSV line and column."""
    from postguard.school.model import Person

    problems = []
    for row in rows:
        line = row.pop("_line")
        try:
            Person.model_validate(row)
        except ValidationError as error:
            for item in error.errors():
                column = ".".join(str(part) for part in item["loc"]) or None
                message = item["msg"].removeprefix("Value error, ")
                if item["type"] == "extra_forbidden":
                    message = "unknown column"
                problems.append(PostGuardError(Code.E201, Location(label, line, column),
                                               problem=message))
    if problems:
        raise ErrorList(problems)


def school_from_yaml(source: LocatedYaml, base_dir: Path) -> School:
    data = source.data
    if not isinstance(data, dict):
        raise PostGuardError(Code.E201, Location(source.file, 1),
                             problem="a school file must be a mapping of fields")
    data = dict(data)
    people = data.get("people") or {}
    if isinstance(people, dict):
        expanded: dict[str, Any] = {}
        for group, members in people.items():
            kind = GROUP_KIND.get(group)
            if isinstance(members, str) and kind is not None:
                csv_path = base_dir / members
                label = str(Path(source.file).parent / members)
                rows = _read_csv(csv_path, label, kind)
                _check_rows(rows, label)
                expanded[group] = rows
            elif isinstance(members, list) and kind is not None:
                expanded[group] = [
                    {"kind": kind, **member} if isinstance(member, dict) else member
                    for member in members
                ]
            else:
                expanded[group] = members
        data["people"] = expanded
    try:
        return School.model_validate(data)
    except ValidationError as error:
        raise validation_errors(error, source, Code.E201) from None


def load_school(path: str | Path) -> School:
    """Read and validate a school file. Raises PostGuardError naming file, line and field."""
    path = Path(path)
    source = load_yaml(path)
    return school_from_yaml(source, path.parent)


def school_from_text(text: str, name: str = "<school>", base_dir: Path | None = None) -> School:
    return school_from_yaml(parse_yaml(text, name), base_dir or Path.cwd())


def demo_school_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "demo" / "school"


def load_demo_school() -> School:
    return load_school(demo_school_dir() / "school.yaml")
