"""A school from uploaded files: the same YAML and CSV files, and checks, as the command line.

Nothing is stored here: the caller stores the school only when every file is right, so a bad
upload leaves the stored school as it was. Every problem in every file is reported at once,
each naming its file, line and field.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

from postguard.errors import Code, ErrorList, Location, PostGuardError
from postguard.policy import loader as packs
from postguard.school import loader
from postguard.school.model import School
from postguard.yamlfile import LocatedYaml, parse_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024


def school_from_files(yaml_name: str, yaml_bytes: bytes, csv_files: dict[str, bytes]) -> School:
    """The school described by an uploaded school.yaml and the CSV files it names.

    Raises ErrorList with every problem found (file, line and field in each)."""
    source = parse_yaml(_text(yaml_name, yaml_bytes), yaml_name)
    named = _csv_groups(source)
    problems = [_missing(source, group, name, csv_files) for group, name in named.items()
                if name not in csv_files or not _plain_name(name)]
    with tempfile.TemporaryDirectory(prefix="postguard-import-") as folder:
        base = Path(folder)
        for name in named.values():
            if name in csv_files and _plain_name(name):
                (base / name).write_bytes(csv_files[name])
        problems.extend(_csv_problems(source, named, base, csv_files))
        if problems:
            problems.extend(_problems_elsewhere(source, named, base))
            raise ErrorList(problems)
        school = loader.school_from_yaml(source, base)
    packs.adopted_pack(school, source)
    return school


def _text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PostGuardError(Code.E401, Location(name), path=name,
                             problem="not UTF-8 text (save it as UTF-8 and upload it again)"
                             ) from None


def _plain_name(name: str) -> bool:
    """A file name with no folder in it: an upload cannot point the loader elsewhere."""
    return bool(name) and PurePath(name).name == name and "\\" not in name and name != ".."


def _csv_groups(source: LocatedYaml) -> dict[str, str]:
    """The people groups the YAML keeps in CSV files, and the file each names."""
    people = source.data.get("people") if isinstance(source.data, dict) else None
    if not isinstance(people, dict):
        return {}
    return {group: members for group, members in people.items()
            if isinstance(members, str) and group in loader.GROUP_KIND}


def _missing(source: LocatedYaml, group: str, name: str,
             csv_files: dict[str, bytes]) -> PostGuardError:
    where = Location(source.file, source.line_of(("people", group)), f"people.{group}")
    if not _plain_name(name):
        return PostGuardError(Code.E201, where, problem=f"{name!r} must be a file name, with no "
                                                        "folder, uploaded with the school file")
    uploaded = ", ".join(sorted(csv_files)) or "none"
    return PostGuardError(Code.E201, where, problem=f"names {name!r}, which was not uploaded "
                                                    f"(uploaded: {uploaded})")


def _csv_problems(source: LocatedYaml, named: dict[str, str], base: Path,
                  csv_files: dict[str, bytes]) -> list[PostGuardError]:
    """Every problem in every CSV file (the loader stops at the first file with any)."""
    problems: list[PostGuardError] = []
    for group, name in named.items():
        if name not in csv_files or not _plain_name(name):
            continue
        label = str(Path(source.file).parent / name)
        # The loader's own CSV reading, file by file, so that the rules are the command line's.
        try:
            rows = loader._read_csv(base / name, label, loader.GROUP_KIND[group])
            loader._check_rows(rows, label)
        except ErrorList as error:
            problems.extend(error.errors)
        except PostGuardError as error:
            problems.append(error)
    return problems


def _problems_elsewhere(source: LocatedYaml, named: dict[str, str],
                        base: Path) -> list[PostGuardError]:
    """Problems in the rest of the school file, checked with its CSV groups left empty.

    Only problems with a field are kept: a cross-reference (a parent's child, an account's
    poster) may point into a CSV file that was left out, and is checked once the files load."""
    data = dict(source.data)
    data["people"] = {group: ([] if group in named else members)
                      for group, members in data["people"].items()}
    try:
        loader.school_from_yaml(LocatedYaml(data, source.lines, source.file), base)
    except ErrorList as error:
        return [item for item in error.errors if item.location.field]
    except PostGuardError as error:
        return [error] if error.location.field else []
    return []


def describe(error: PostGuardError) -> dict[str, object]:
    """One problem as the import page lists it."""
    return {"code": error.code.name, "file": error.location.file or "",
            "line": error.location.line, "field": error.location.field or "",
            "problem": error.code.text.format(**error.details)}


def problems_of(error: PostGuardError) -> list[dict[str, object]]:
    return [describe(item) for item in (error.errors if isinstance(error, ErrorList)
                                        else [error])]
