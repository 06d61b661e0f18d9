"""A school's local edits to a bundled pack: what they are, and the pack they make.

Edits are stored per rule and only where they differ from the bundled wording:
``{"enabled": False}`` turns a rule off, ``{"severity": ...}`` changes how serious it is, and
``{"message": ...}`` / ``{"advice": ...}`` reword what staff read. The clause is never edited:
it is what ties the rule to the policy the governors adopted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from postguard.policy.loader import apply_overrides, load_pack
from postguard.policy.model import Pack, Rule
from postguard.school.model import RuleOverride

REWORDABLE = ("message", "advice")


def tidy(text: str) -> str:
    """Whitespace as the packs write it (folded YAML): one line, single spaces."""
    return " ".join(text.split())


@dataclass(frozen=True)
class RuleState:
    """A rule of the bundled pack as a version has it, in force or turned off."""

    id: str
    title: str
    category: str
    clause: str
    enabled: bool
    severity: str
    message: str
    advice: str


def rule_states(pack_id: str, edits: Mapping[str, Mapping[str, Any]]) -> dict[str, RuleState]:
    """Every rule of the pack, in the pack's order, with this version's edits applied."""
    states = {}
    for rule in load_pack(pack_id).rules:
        edit = edits.get(rule.id, {})
        states[rule.id] = RuleState(
            id=rule.id, title=rule.title, category=rule.category, clause=rule.clause,
            enabled=edit.get("enabled", True), severity=edit.get("severity", rule.severity),
            message=edit.get("message", rule.message), advice=edit.get("advice", rule.advice))
    return states


def edits_between(base: Pack, wanted: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The edits that turn ``base`` into the wanted state, keeping only real differences.

    ``wanted`` maps a rule id to its enabled / severity / message / advice; a blank message or
    advice means the pack's own wording.
    """
    edits: dict[str, dict[str, Any]] = {}
    for rule in base.rules:
        state = wanted.get(rule.id)
        if state is None:
            continue
        edit: dict[str, Any] = {}
        if not state.get("enabled", True):
            edit["enabled"] = False
        if state.get("severity") and state["severity"] != rule.severity:
            edit["severity"] = state["severity"]
        for field in REWORDABLE:
            text = tidy(state.get(field) or "")
            if text and text != tidy(getattr(rule, field)):
                edit[field] = text
        if edit:
            edits[rule.id] = edit
    return edits


def resolved_pack(pack_id: str, edits: Mapping[str, Mapping[str, Any]]) -> Pack:
    """The bundled pack with a version's edits applied: what the checker enforces."""
    return _resolved(pack_id, json.dumps(edits, sort_keys=True))


# Keyed by content, not by version id: versions never change, and ids are reused between
# test databases, so the content is the only safe key.
@lru_cache(maxsize=32)
def _resolved(pack_id: str, edits_json: str) -> Pack:
    base = load_pack(pack_id)
    # A later release of the pack may drop a rule a version once edited; the edit then has
    # nothing to apply to and is ignored rather than breaking the published policy.
    edits = {rule_id: edit for rule_id, edit in json.loads(edits_json).items()
             if base.rule(rule_id) is not None}
    overrides = {rule_id: RuleOverride(enabled=edit.get("enabled", True),
                                       severity=edit.get("severity"))
                 for rule_id, edit in edits.items()}
    pack = apply_overrides(base, overrides, where="local edits")
    rules: list[Rule] = []
    for rule in pack.rules:
        reworded = {field: edits[rule.id][field] for field in REWORDABLE
                    if field in edits.get(rule.id, {})}
        rules.append(rule.model_copy(update=reworded) if reworded else rule)
    return pack.model_copy(update={"rules": tuple(rules)})
