"""What a post is about: confidential matters, criticism, grievances, politics, safeguarding.

The patterns are data, in ``engine/lexicons/topics.yaml``: for each signal kind a list of
phrases and regular expressions, each with a short reason, and optionally a context that must
(``near``) or must not (``not_near``) appear around the match. This module compiles them once
per school and adds what only the school can say: its announced events, its name ("we at
Westmoor") and its people's names ("Mrs Hughes hasn't got a clue").

Speed. Most posts touch few topics, and Python's regular expressions are slow when they must
try a long alternation, case-insensitively, at every position of a text. So:

* every pattern is gated by the literal words it cannot match without, worked out from the
  pattern itself (no hand-kept keyword lists); one Aho-Corasick pass over the lower-cased text
  says which patterns could match, and only those run;
* a pattern runs on the lower-cased text, without the IGNORECASE flag and with its leading
  word-boundary check done in code, so that the engine can skip ahead to the characters the
  pattern can start with. Patterns with case-sensitive parts ("Labour", not "labour ward") run
  on the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import Person, School

LEXICON = Path(__file__).resolve().parent.parent / "lexicons" / "topics.yaml"

# The regular-expression parser is private to ``re``; it is only used at start-up, to find the
# literal words each pattern needs. If it ever changes shape, every pattern simply runs on every
# post (slower, never wrong).
_parser: Any = import_module("re._parser")
_constants: Any = import_module("re._constants")

EMITS = tuple(k for k in SIGNAL_KINDS if k.startswith(("topic.", "safeguarding.")))
MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
MAX_PER_KIND = 8


class LexiconError(ValueError):
    """The topics lexicon is malformed: a programming error, caught by the tests."""


@dataclass(frozen=True, slots=True)
class _Entry:
    """One pattern of a kind, compiled for the fast path (lower-cased text) or, where it has
    case-sensitive parts, for the original text."""

    kind: str
    id: str
    reason: str
    score: float
    pattern: re.Pattern[str]
    cased: bool
    source: str  # the full pattern, for texts whose lower-casing changes their length
    near: re.Pattern[str] | None
    not_near: re.Pattern[str] | None
    adjust: tuple[tuple[re.Pattern[str], float], ...] = ()


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    explain: str
    entries: tuple[_Entry, ...]


@cache
def load_lexicon(path: Path = LEXICON) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise LexiconError(f"{path}: expected a mapping with 'kinds'")
    return data


def phrase_regex(phrase: str) -> str:
    """A literal phrase as a pattern: any spacing, optional apostrophes, whole words."""
    words = phrase.strip().split()
    body = r"\s+".join(re.escape(word) for word in words)
    # re.escape leaves apostrophes alone; hyphens are escaped, so match the escaped form.
    body = body.replace(r"\-", r"[-\s]?")
    left = r"(?<!\w)" if re.match(r"\w", phrase.strip()) else ""
    right = r"(?!\w)" if re.search(r"\w$", phrase.strip()) else ""
    return left + body + right


@lru_cache(maxsize=4096)
def _normalise(pattern: str) -> str:
    """Apostrophes match either kind, or none (people type "dont"); in a class, either kind."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char in "'’":
            out.append("'’" if in_class else "['’]?")
        else:
            if char == "[" and not in_class:
                in_class = True
            elif char == "]" and in_class and out and out[-1] != "[":
                in_class = False
            out.append(char)
    return "".join(out)


LEADING_BOUNDARY = r"(?<!\w)"


def _strip_leading_boundary(pattern: str) -> str:
    r"""Drop ``(?<!\w)`` where it can only stand at the start of a match; the detector checks
    that boundary itself, which lets the engine skip quickly to where a match can start."""
    out: list[str] = []
    # For each open group: did it open where a match starts, and are we still there?
    opened = [True]
    leading = [True]
    i = 0
    while i < len(pattern):
        if leading[-1] and pattern.startswith(LEADING_BOUNDARY, i):
            i += len(LEADING_BOUNDARY)
            continue
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif char == "[":
            end = i + 1
            while end < len(pattern) and (pattern[end] != "]" or end == i + 1):
                end += 2 if pattern[end] == "\\" else 1
            out.append(pattern[i:end + 1])
            i = end + 1
        elif char == "(":
            plain = pattern.startswith("(?:", i) or not pattern.startswith("(?", i)
            head = "(?:" if pattern.startswith("(?:", i) else "("
            out.append(head)
            i += len(head)
            # a lookaround or flag group is not where a match starts
            opened.append(leading[-1] and plain)
            leading.append(leading[-1] and plain)
            continue
        elif char == ")":
            out.append(char)
            i += 1
            if len(opened) > 1:
                opened.pop()
                leading.pop()
        elif char == "|":
            out.append(char)
            i += 1
            leading[-1] = opened[-1]
            continue
        else:
            out.append(char)
            i += 1
        leading[-1] = False
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """The index just past the character class that opens at ``start``."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group that opens at ``start``."""
    depth = 0
    i = start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


def _alternatives(pattern: str) -> list[str]:
    """The pattern's top-level alternatives, unwrapping groups that enclose all of it."""
    while pattern.startswith("(?:") and _group_end(pattern, 0) == len(pattern):
        pattern = pattern[3:-1]
    parts: list[str] = []
    depth = 0
    start = i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _literal_start(pattern: str) -> bool:
    """Whether the pattern surely starts with a literal character (a letter or digit that no
    quantifier makes optional)."""
    return len(pattern) > 1 and pattern[0].isalnum() and pattern[1] not in "?*{"


def _expand_head(alternative: str, depth: int = 0) -> list[str]:
    """An alternative that starts with a group, distributed over that group's alternatives
    ("(?:a|b)c" as "ac", "bc"), so that each starts with a literal character."""
    group = alternative.startswith("(?:") or (alternative.startswith("(")
                                              and not alternative.startswith("(?"))
    if depth > 6 or not group or _literal_start(alternative):
        return [alternative]
    end = _group_end(alternative, 0)
    inner = alternative[3:end - 1] if alternative.startswith("(?:") else alternative[1:end - 1]
    quantifier = alternative[end:end + 1]
    if quantifier in ("*", "+", "{") or alternative[end:end + 2] == "??":
        return [alternative]
    rest = alternative[end + 1:] if quantifier == "?" else alternative[end:]
    pieces = [head + rest for head in _alternatives(inner)]
    if quantifier == "?":
        pieces.append(rest)
    out: list[str] = []
    for piece in pieces:
        out.extend(_expand_head(piece, depth + 1))
    return out


def _flatten(pattern: str, budget: int = 96) -> str:
    """The same pattern as an alternation whose branches start with literals where possible,
    for the engine's quick scan; unchanged when that would make it too long."""
    try:
        pieces = [piece for alternative in _alternatives(pattern)
                  for piece in _expand_head(alternative)]
    except ValueError:
        return pattern
    flat = "|".join(dict.fromkeys(pieces))
    if len(pieces) > budget or not all(pieces) or len(flat) > max(4 * len(pattern), 6000):
        return pattern
    return flat


def _lower_pattern(pattern: str) -> str:
    r"""The pattern for lower-cased text: its letters lower-cased, escapes (\\W, \\S) kept."""
    out: list[str] = []
    escaped = False
    for char in pattern:
        out.append(char if escaped else char.lower())
        escaped = not escaped and char == "\\"
    return "".join(out)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=1024)
def _ignorecase(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def school_names(school: School) -> list[str]:
    """The names people use for the school: full name, aliases and the bare place name."""
    seen: dict[str, str] = {}
    for name in (school.name, *school.aliases, *school.short_names):
        seen.setdefault(name.lower(), name)
    return sorted(seen.values(), key=len, reverse=True)


NOTHING = r"(?!x)x"  # a pattern that matches nothing, for an empty list of names


def _alternation(items: list[str]) -> str:
    """Literal names as one pattern, factored as a trie so that thousands of names stay fast:
    whole words, any spacing, case-insensitive."""
    trie: dict[str, Any] = {}
    for item in items:
        words = item.lower().split()
        if not words:
            continue
        node = trie
        for char in " ".join(words).replace("’", "'"):
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return NOTHING

    def render(node: dict[str, Any]) -> str:
        branches = []
        for char in sorted(c for c in node if c):
            edge = {" ": r"\s+", "'": "['’]?"}.get(char) or re.escape(char)
            branches.append(edge + render(node[char]))
        if not branches:
            return ""
        optional = "" in node
        if len(branches) == 1 and not optional:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if optional else "")

    return r"(?<!\w)" + render(trie) + r"(?!\w)"


def _people_names(people: Iterable[Person], titled: bool) -> list[str]:
    """Full names, first names, nicknames and, for adults, "Mrs Hughes" forms."""
    names: set[str] = set()
    for person in people:
        names.add(person.name)
        names.update(person.nicknames)
        if len(person.first_name) >= 3:
            names.add(person.first_name)
        if titled and person.last_name:
            for title in ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir"):
                names.add(f"{title} {person.last_name}")
                names.add(f"{title}. {person.last_name}")
    return sorted(n for n in names if n.strip())


# --- literal anchors -------------------------------------------------------------------------

# Strings found in most posts make poor anchors: a kind gated on them runs on every post.
COMMON = frozenset({
    "a", "an", "the", "and", "or", "but", "if", "so", "to", "of", "in", "on", "at", "by", "for",
    "from", "with", "into", "about", "as", "is", "it", "its", "be", "been", "was", "were", "are",
    "am", "has", "have", "had", "do", "does", "did", "not", "no", "my", "me", "we", "us", "our",
    "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "this", "that",
    "these", "those", "there", "then", "than", "what", "when", "where", "who", "how", "why", "all",
    "any", "one", "can", "will", "would", "just", "get", "got", "go", "going", "off", "out", "up",
    "end", "cut", "put", "see", "saw", "new", "now", "day", "way", "time", "good", "back", "more",
    "some", "like", "know", "think", "well", "very", "really", "here", "only", "also", "over",
    "after", "again", "still", "even", "much", "many",
})
MAX_SET = 64


def _cost(anchors: frozenset[str]) -> float:
    """Roughly how often one of these strings turns up in a post: lower is more selective."""
    total = 0.0
    for anchor in anchors:
        cost = {0: 1.0, 1: 1.0, 2: 0.5, 3: 0.1, 4: 0.03, 5: 0.01}.get(len(anchor), 0.003)
        if anchor.strip(" '’") in COMMON:
            cost = max(cost, 0.5)
        total += cost
    return total


def _exact(item: tuple[Any, Any]) -> set[str] | None:
    """Every string one parsed item can match, when that is a small finite set."""
    c = _constants
    op, av = item
    if op is c.LITERAL:
        return {chr(av).lower()}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}  # zero width: strings either side stay adjacent
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value).lower())
            elif kind is c.RANGE and value[1] - value[0] < 12:
                chars.update(chr(x).lower() for x in range(value[0], value[1] + 1))
            else:
                return None
        return chars
    if op is c.SUBPATTERN:
        return _exact_seq(av[-1])
    if op is c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            sub = _exact_seq(alternative)
            if sub is None or len(union | sub) > MAX_SET:
                return None
            union |= sub
        return union
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[:2] == (0, 1):
        body = _exact_seq(av[2])
        return None if body is None else body | {""}
    return None


def _exact_seq(items: Any) -> set[str] | None:
    strings = {""}
    for item in items:
        sub = _exact(item)
        if sub is None or len(strings) * len(sub) > MAX_SET:
            return None
        strings = {a + b for a in strings for b in sub}
    return strings


def _seq_anchors(items: Any) -> frozenset[str] | None:
    """A set of lower-case strings at least one of which any match must contain, chosen to be
    as rare as can be; None when there is none (the pattern can match anything)."""
    c = _constants
    candidates: list[frozenset[str]] = []
    run: set[str] = {""}

    def flush() -> None:
        nonlocal run
        if "" not in run:
            candidates.append(frozenset(run))
        run = {""}

    for item in items:
        exact = _exact(item)
        if exact is not None:
            if len(run) * len(exact) > MAX_SET:
                flush()
            run = {a + b for a in run for b in exact}
            continue
        flush()
        op, av = item
        found: frozenset[str] | None = None
        if op is c.SUBPATTERN:
            found = _seq_anchors(av[-1])
        elif op is c.BRANCH:
            union: set[str] = set()
            for alternative in av[1]:
                sub = _seq_anchors(alternative)
                if sub is None:
                    break
                union |= sub
            else:
                found = frozenset(union)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _seq_anchors(av[2])
        elif op is c.ATOMIC_GROUP:
            found = _seq_anchors(av)
        if found:
            candidates.append(found)
    flush()
    return min(candidates, key=_cost) if candidates else None


@lru_cache(maxsize=4096)
def anchors_of(pattern: str) -> frozenset[str] | None:
    """Literal strings, one of which is in any text the pattern matches (None: cannot say)."""
    try:
        parsed = _parser.parse(pattern, re.IGNORECASE)
        return _seq_anchors(list(parsed))
    except Exception:  # the private parser changed: run the pattern on every post instead
        return None


# --- compilation -----------------------------------------------------------------------------

class _Compiler:
    """Expands macros and contexts and compiles each pattern of the lexicon.

    The lexicon's own macros are expanded first and the result normalised; the school's macros
    (names, hundreds or thousands of them) go in last, already normalised, and are left out when
    working out a pattern's anchors, so that work is the same for every school and is cached."""

    def __init__(self, data: dict[str, Any], school: dict[str, str]) -> None:
        self.static = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
        self.school = dict(school)
        self.contexts = {str(k): self.template(str(v), f"context {k}")
                         for k, v in (data.get("contexts") or {}).items()}

    def template(self, source: str, where: str, depth: int = 0) -> str:
        """The lexicon's macros expanded and apostrophes normalised; school macros kept."""
        if depth > 5:
            raise LexiconError(f"{where}: macros nest too deeply")

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in self.school:
                return match.group(0)
            if name not in self.static:
                raise LexiconError(f"{where}: unknown macro {{{name}}}")
            return "(?:" + self.template(self.static[name], where, depth + 1) + ")"

        return _normalise(MACRO.sub(sub, source))

    def final(self, template: str) -> str:
        return MACRO.sub(lambda m: "(?:" + self.school[m.group(1)] + ")", template)

    def compile(self, template: str, where: str) -> re.Pattern[str]:
        try:
            return re.compile(self.final(template), re.IGNORECASE)
        except re.error as problem:
            raise LexiconError(f"{where}: bad pattern: {problem}") from None

    def context(self, spec: object, where: str) -> re.Pattern[str] | None:
        """A context: a name from ``contexts``, a pattern, or a list of them (any one)."""
        if spec is None:
            return None
        specs: list[str] = []
        for item in spec if isinstance(spec, list) else [spec]:
            if not isinstance(item, str):
                raise LexiconError(f"{where}: a context is a name, a pattern or a list of them")
            specs.append(item)
        parts = [self.contexts.get(item) or self.template(item, where) for item in specs]
        return self.compile("|".join(f"(?:{part})" for part in parts), where)

    def entry(self, kind: str, index: int, item: object, default: float, where: str
              ) -> tuple[_Entry, frozenset[str] | None]:
        """One pattern of a kind, compiled, and the anchors that gate it (None: always run)."""
        if not isinstance(item, dict) or "reason" not in item:
            raise LexiconError(f"{where}: each pattern needs a reason")
        unknown = set(item) - {"phrase", "phrases", "regex", "reason", "score", "near",
                               "not_near", "adjust"}
        if unknown:
            raise LexiconError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        sources = [phrase_regex(str(item["phrase"]))] if "phrase" in item else []
        sources += [phrase_regex(str(phrase)) for phrase in item.get("phrases") or ()]
        if "regex" in item:
            sources.append(str(item["regex"]))
        if not sources:
            raise LexiconError(f"{where}: needs phrase, phrases or regex")
        template = self.template("|".join(f"(?:{s})" for s in sources), where)
        source = self.final(template)
        cased = "(?-i:" in source
        try:
            pattern = (re.compile(source, re.IGNORECASE) if cased
                       else re.compile(_flatten(_lower_pattern(_strip_leading_boundary(source)))))
        except re.error as problem:
            raise LexiconError(f"{where}: bad pattern: {problem}") from None
        adjust = []
        for step in item.get("adjust") or ():
            if not isinstance(step, dict) or set(step) != {"near", "score"}:
                raise LexiconError(f"{where}: each adjust step needs near and score")
            context = self.context(step["near"], where)
            assert context is not None
            adjust.append((context, _score(step["score"], where)))
        entry = _Entry(
            kind=kind, id=f"{kind}#{index + 1}", reason=str(item["reason"]),
            score=_score(item.get("score", default), where), pattern=pattern, cased=cased,
            source=source,
            near=self.context(item.get("near"), where),
            not_near=self.context(item.get("not_near"), where),
            adjust=tuple(adjust))
        # A school macro stands for names, which gate nothing: any match still contains one of
        # the anchors found in the rest of the pattern.
        return entry, anchors_of(MACRO.sub(r"(?:\\w+)", template))


def _score(value: object, where: str) -> float:
    if not isinstance(value, (int, float)) or not 0.0 < float(value) <= 1.0:
        raise LexiconError(f"{where}: a score must be a number in (0, 1]")
    return float(value)


def compile_lexicon(data: dict[str, Any], macros: dict[str, str]
                    ) -> tuple[list[_Kind], dict[str, frozenset[str] | None]]:
    """Every kind with its compiled patterns, and each pattern's anchors by id (None: it runs
    on every post)."""
    compiler = _Compiler(data, macros)
    kinds: list[_Kind] = []
    gates: dict[str, frozenset[str] | None] = {}
    for kind, spec in data["kinds"].items():
        if kind not in EMITS:
            raise LexiconError(f"{kind}: not a topic or safeguarding signal kind")
        if not isinstance(spec, dict):
            raise LexiconError(f"{kind}: expected a mapping")
        explain = str(spec.get("explain") or "'{evidence}': {reason}")
        default = _score(spec.get("score", 0.7), kind)
        entries = []
        items = [*(spec.get("patterns") or ()), *(spec.get("generated") or ())]
        for index, item in enumerate(items):
            entry, anchors = compiler.entry(kind, index, item, default,
                                            f"{kind} pattern {index + 1}")
            entries.append(entry)
            gates[entry.id] = anchors
        if entries:
            kinds.append(_Kind(kind, explain, tuple(entries)))
    return kinds, gates


def school_macros(school: School) -> dict[str, str]:
    """What only the school can say: its names, and the names of its staff, pupils, parents."""
    staff = [p for p in school.everyone if p.kind in ("staff", "governor")]
    pupils = [p for p in school.everyone if p.kind in ("pupil", "ex_pupil")]
    parents = [p for p in school.everyone if p.kind == "parent"]
    return {
        "PARENTS": _alternation(_people_names(parents, titled=True)),
        "SCHOOL": _alternation(school_names(school)),
        "STAFF": _alternation(_people_names(staff, titled=True)),
        "PUPILS": _alternation(_people_names(pupils, titled=False)),
    }


# Words of an event's name too general to stand for the event on their own.
EVENT_WORDS = frozenset({
    "year", "class", "school", "trip", "visit", "fair", "fete", "fête", "festival", "play", "show",
    "concert", "service", "assembly", "party", "disco", "day", "week", "night", "evening",
    "morning", "afternoon", "christmas", "easter", "summer", "winter", "spring", "autumn",
    "harvest", "sports", "open", "book", "world", "nativity", "carol", "carols", "leavers",
    "parents", "bake", "sale", "fun", "run", "family", "quiz", "talent", "celebration",
    "residential", "production", "performance", "church", "the", "and", "with",
})


def distinctive_words(event: str) -> list[str]:
    """Capitalised words in an event's name that stand for it alone ("Kielder" in "Year 6
    trip to Kielder"); the first word is capitalised anyway, so it never counts."""
    words = re.findall(r"[\w’'-]+", event)
    return [w for w in words[1:]
            if w[:1].isupper() and len(w) >= 4 and w.lower() not in EVENT_WORDS]


def _with_events(data: dict[str, Any], events: Iterable[str]) -> dict[str, Any]:
    """The lexicon plus patterns for each event the school has announced."""
    kinds = dict(data["kinds"])
    spec = dict(kinds.get("topic.event_announced") or {})
    generated: list[dict[str, Any]] = []
    for event in (e.strip() for e in events):
        if not event:
            continue
        generated.append({"phrase": event, "reason": f"the school has announced {event!r}"})
        for word in distinctive_words(event):
            generated.append({"phrase": word, "score": 0.7,
                              "reason": f"part of the announced event {event!r}"})
    spec["generated"] = generated
    kinds["topic.event_announced"] = spec
    return {**data, "kinds": kinds}


def _best_of(found: list[tuple[float, int, int, _Entry]]
             ) -> list[tuple[float, int, int, _Entry]]:
    """Where matches of one kind overlap, the highest score (then the longest) wins."""
    chosen: list[tuple[float, int, int, _Entry]] = []
    for item in sorted(found, key=lambda f: (-f[0], f[1] - f[2], f[1])):
        if all(item[2] <= other[1] or item[1] >= other[2] for other in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: f[1])[:MAX_PER_KIND]


@lru_cache(maxsize=8)
def _compiled(macros: tuple[tuple[str, str], ...], events: tuple[str, ...]
              ) -> tuple[list[_Kind], dict[str, frozenset[str] | None]]:
    """The compiled lexicon for one school's names and events (checkers share it)."""
    return compile_lexicon(_with_events(load_lexicon(), events), dict(macros))


@register
class TopicsDetector(Detector):
    """Topics and safeguarding concerns, from phrases and patterns in the topics lexicon."""

    name = "topics"
    version = "1"
    emits = EMITS

    def __init__(self, school: School) -> None:
        super().__init__(school)
        macros = tuple(sorted(school_macros(school).items()))
        self.kinds, gates = _compiled(macros, tuple(school.announced_events))
        self._order = {kind.name: n for n, kind in enumerate(self.kinds)}
        self._entries = tuple(entry for kind in self.kinds for entry in kind.entries)
        self._explain = {kind.name: kind.explain for kind in self.kinds}
        self._always = frozenset(n for n, e in enumerate(self._entries) if gates[e.id] is None)
        by_anchor: dict[str, set[int]] = {}
        for n, entry in enumerate(self._entries):
            for anchor in gates[entry.id] or ():
                by_anchor.setdefault(anchor, set()).add(n)
        self._automaton: Any = None
        if by_anchor:
            automaton = ahocorasick.Automaton()
            for anchor, indices in by_anchor.items():
                automaton.add_word(anchor, tuple(sorted(indices)))
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, doc: Document) -> list[_Entry]:
        """The patterns that could match this text: those whose anchors it contains."""
        chosen = set(self._always)
        if self._automaton is not None and doc.lower:
            for _, indices in self._automaton.iter(doc.lower):
                chosen.update(indices)
        return [self._entries[n] for n in sorted(chosen)]

    def detect(self, doc: Document) -> list[Signal]:
        text = doc.text
        # Lower-casing keeps offsets unless the text has one of a few special letters (such
        # as a dotted capital I); then every pattern runs on the original text instead.
        fast = len(doc.lower) == len(text)
        found: dict[str, list[tuple[float, int, int, _Entry]]] = {}
        for entry in self.candidates(doc):
            for match in self._matches(doc, entry, fast):
                found.setdefault(entry.kind, []).append(match)
        signals: list[Signal] = []
        for kind in sorted(found, key=self._order.__getitem__):
            for score, start, end, entry in _best_of(found[kind]):
                evidence = text[start:end]
                explanation = self._explain[kind].format(evidence=evidence, reason=entry.reason)
                signals.append(self.signal(kind, score, explanation, start, end,
                                           reason=entry.reason, pattern=entry.id))
        return signals

    def _matches(self, doc: Document, entry: _Entry, fast: bool
                 ) -> Iterable[tuple[float, int, int, _Entry]]:
        """The entry's matches that survive their context, with their scores.

        After each match the search goes on from the next character, so that a match its
        context rules out cannot hide a good one that overlaps it."""
        if entry.cased or not fast:
            pattern, subject, check = (entry.pattern if entry.cased
                                       else _ignorecase(entry.source)), doc.text, False
        else:
            pattern, subject, check = entry.pattern, doc.lower, True
        position = 0
        for _ in range(4 * MAX_PER_KIND):
            match = pattern.search(subject, position)
            if match is None:
                return
            start, end = match.span()
            position = start + 1
            while start < end and subject[start].isspace():
                start += 1
            while end > start and subject[end - 1].isspace():
                end -= 1
            if start == end:
                continue
            if check and start and _is_word(subject[start]) and _is_word(subject[start - 1]):
                continue  # the word boundary the pattern leaves to us
            score = self._score(doc, entry, start, end)
            if score is not None:
                yield score, start, end, entry

    @staticmethod
    def _score(doc: Document, entry: _Entry, start: int, end: int) -> float | None:
        """The entry's score in this context, or None where the context rules the match out.

        ``not_near`` looks at the match's own sentence; ``near`` and ``adjust`` also at the
        sentence before, where the subject of a short sentence is often named."""
        if entry.near is None and entry.not_near is None and not entry.adjust:
            return entry.score
        text = doc.text
        left, right = doc.sentence_around(start, end)
        if entry.not_near is not None and entry.not_near.search(text, left, right):
            return None
        wide = doc.sentence_around(left - 1, left - 1)[0] if left > 0 else left
        if entry.near is not None and not entry.near.search(text, wide, right):
            return None
        for context, score in entry.adjust:
            if context.search(text, wide, right):
                return score
        return entry.score
