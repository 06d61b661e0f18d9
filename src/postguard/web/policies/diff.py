"""A readable difference between two versions of the policy, rule by rule.

Reworded text is compared word by word (difflib) so a head teacher sees exactly which words
changed; everything else is shown as before and after.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from postguard.web.policies.edits import RuleState, rule_states
from postguard.web.policies.models import PolicyVersion

FIELD_LABELS = {"enabled": "In force", "severity": "Severity", "message": "What it means",
                "advice": "Advice", "category": "Category", "clause": "Clause"}


@dataclass(frozen=True)
class Segment:
    """A run of words that are the same in both, or only in the older, or only in the newer."""

    kind: str  # "same" | "removed" | "added"
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    words: tuple[Segment, ...] = ()  # for reworded text


@dataclass(frozen=True)
class RuleChange:
    rule_id: str
    title: str
    clause: str
    kind: str  # "added" | "removed" | "changed"
    changes: tuple[FieldChange, ...] = ()


@dataclass
class VersionDiff:
    older: PolicyVersion
    newer: PolicyVersion
    pack_change: tuple[str, str] | None = None
    note_words: tuple[Segment, ...] = ()
    rules: list[RuleChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.pack_change is None and not self.note_words and not self.rules


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    old, new = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new[j1:j2])))
    return tuple(segments)


def _shown(name: str, state: RuleState) -> str:
    value = getattr(state, name)
    if name == "enabled":
        return "yes" if value else "no (turned off)"
    return str(value)


def _rule_changes(before: RuleState, after: RuleState) -> tuple[FieldChange, ...]:
    changes = []
    for name in ("enabled", "severity", "category", "clause", "message", "advice"):
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        words = word_diff(old, new) if name in ("message", "advice") else ()
        changes.append(FieldChange(FIELD_LABELS[name], _shown(name, before),
                                   _shown(name, after), words))
    return tuple(changes)


def compare(older: PolicyVersion, newer: PolicyVersion) -> VersionDiff:
    diff = VersionDiff(older, newer)
    if older.pack_id != newer.pack_id:
        diff.pack_change = (older.pack_id, newer.pack_id)
    if older.local_note != newer.local_note:
        diff.note_words = word_diff(older.local_note, newer.local_note)
    before, after = rule_states(older.pack_id, older.edits), rule_states(newer.pack_id, newer.edits)
    for rule_id in [*before, *(rule_id for rule_id in after if rule_id not in before)]:
        old, new = before.get(rule_id), after.get(rule_id)
        if old is None and new is not None:
            diff.rules.append(RuleChange(rule_id, new.title, new.clause, "added"))
        elif new is None and old is not None:
            diff.rules.append(RuleChange(rule_id, old.title, old.clause, "removed"))
        elif old is not None and new is not None and (changes := _rule_changes(old, new)):
            diff.rules.append(RuleChange(rule_id, new.title, new.clause, "changed", changes))
    return diff
