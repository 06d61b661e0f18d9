"""Find, validate and resolve policy packs (``extends``, ``remove``, a school's overrides)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from postguard.errors import Code, ErrorList, Location, PostGuardError
from postguard.policy.model import Pack, Procedures, Rule
from postguard.school.model import RuleOverride, School
from postguard.yamlfile import LocatedYaml, load_yaml, validation_errors

PACKS_DIR = Path(__file__).resolve().parent / "packs"


def pack_files(directory: Path = PACKS_DIR) -> dict[str, Path]:
    return {path.stem: path for path in sorted(directory.glob("*.yaml"))}


def pack_from_yaml(source: LocatedYaml) -> Pack:
    data = source.data
    if not isinstance(data, dict):
        raise PostGuardError(Code.E102, Location(source.file, 1),
                             problem="a pack must be a mapping of fields")
    try:
        return Pack.model_validate(data)
    except ValidationError as error:
        raise validation_errors(error, source, Code.E102) from None


def _read(path: Path) -> Pack:
    pack = pack_from_yaml(load_yaml(path, f"packs/{path.name}"))
    if pack.id != path.stem:
        raise PostGuardError(Code.E102, Location(f"packs/{path.name}", None, "id"),
                             problem=f"id {pack.id!r} must match the file name {path.stem!r}")
    return pack


def _merge_procedures(parent: Procedures, child: Procedures) -> Procedures:
    merged = parent.model_dump()
    for name, value in child.model_dump(exclude_defaults=True).items():
        if name == "reporting":
            merged["reporting"] = {**merged["reporting"], **value}
        else:
            merged[name] = value
    return Procedures.model_validate(merged)


def resolve(pack_id: str, directory: Path = PACKS_DIR, _seen: tuple[str, ...] = ()) -> Pack:
    """A pack with everything it inherits; each rule remembers the pack that wrote it."""
    files = pack_files(directory)
    if pack_id not in files:
        raise PostGuardError(Code.E101, pack=pack_id, known=", ".join(files) or "none")
    if pack_id in _seen:
        raise PostGuardError(Code.E105, Location(f"packs/{pack_id}.yaml", None, "extends"),
                             pack=_seen[-1], parent=pack_id)
    pack = _read(files[pack_id])
    own_rules = [rule.model_copy(update={"pack": rule.pack or pack.id}) for rule in pack.rules]
    if pack.extends is None:
        return pack.model_copy(update={"rules": tuple(own_rules)})
    parent = resolve(pack.extends, directory, (*_seen, pack_id))
    own_ids = {rule.id for rule in own_rules}
    for removed in pack.remove:
        if parent.rule(removed) is None:
            raise PostGuardError(Code.E107, Location(f"packs/{pack_id}.yaml", None, "remove"),
                                 rule=removed, pack=parent.id)
    inherited = [rule for rule in parent.rules
                 if rule.id not in own_ids and rule.id not in pack.remove]
    return pack.model_copy(update={
        "rules": tuple(inherited + own_rules),
        "procedures": _merge_procedures(parent.procedures, pack.procedures),
    })


@cache
def load_pack(pack_id: str) -> Pack:
    """A bundled pack by id, resolved and validated (cached: packs are read-only data)."""
    return resolve(pack_id)


def available_packs() -> list[Pack]:
    return [load_pack(pack_id) for pack_id in pack_files()]


def apply_overrides(pack: Pack, overrides: Mapping[str, RuleOverride],
                    where: str = "policy.overrides") -> Pack:
    """A school's local changes: a rule turned off, or its severity changed."""
    rules: list[Rule] = []
    for rule_id in overrides:
        if pack.rule(rule_id) is None:
            raise PostGuardError(Code.E107, Location(field=f"{where}.{rule_id}"),
                                 rule=rule_id, pack=pack.id)
    for rule in pack.rules:
        override = overrides.get(rule.id)
        if override is None:
            rules.append(rule)
        elif override.enabled:
            rules.append(rule.model_copy(update={"severity": override.severity or rule.severity}))
    return pack.model_copy(update={"rules": tuple(rules)})


def adopted_pack(school: School, school_file: Path | LocatedYaml) -> Pack:
    """The pack a school adopted, once its overrides are known to name rules the pack has.

    The overrides are checked, not applied: the checker applies them. The pack loader cannot
    know which school file asked for a pack, so an unknown pack id or an override of a rule the
    pack lacks is located here, in the school file that said it (read only then, when given as
    a path).
    """
    try:
        pack = load_pack(school.policy.pack)
        apply_overrides(pack, school.policy.overrides)
    except ErrorList:
        raise
    except PostGuardError as error:
        yaml_path = _school_field(error, school)
        if yaml_path is None or error.location.file is not None:
            raise
        source = school_file if isinstance(school_file, LocatedYaml) else load_yaml(school_file)
        raise error.at(file=source.file, line=source.line_of(yaml_path),
                       field=".".join(yaml_path)) from None
    return pack


def _school_field(error: PostGuardError, school: School) -> tuple[str, ...] | None:
    if error.code is Code.E101 and error.details.get("pack") == school.policy.pack:
        return ("policy", "pack")
    if error.code is Code.E107:
        return ("policy", "overrides", str(error.details.get("rule")))
    return None
