"""People in a post: pupils, ex-pupils, parents, staff and governors, named or described.

Every form of every roster name (full name, first name, title and surname, nickname, a rare
surname alone) goes into one Aho-Corasick automaton, so a post is scanned once whatever the size
of the school. rapidfuzz then looks only at the few capitalised, rare words left over, which is
where misspellings are. People described rather than named ("a Year 6 boy", "a parent
complained", "my line manager") are found by patterns, each run only when its trigger words occur.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from math import log10
from typing import ClassVar

import ahocorasick
from rapidfuzz import fuzz, process
from wordfreq import get_frequency_dict, zipf_frequency

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document, word_before
from postguard.school.model import Person, School

TITLES = ("mr", "mrs", "miss", "ms", "mx", "dr")
ADULT_KINDS = ("staff", "governor", "parent")

# Zipf frequencies (wordfreq): 4.5 separates everyday words used as names ("grace", "mark",
# "jack", "will") from names that are merely frequent ("sarah" 4.48, "josh" 4.35). Below 3.0 a
# word is rare enough that, capitalised, it is probably a name or a misspelling of one.
COMMON_ZIPF = 4.5
WORDLIKE_ZIPF = 3.0
# A capitalised word after a first name is taken for a surname only if it is this rare
# ("Harry Potter" is someone else; "Jayden Brilliant work today" is still Jayden). Very common
# surnames ("Smith" 4.89) are words too often to tell, so "Jayden Smith" stays Jayden.
SURNAME_ZIPF = 4.3
# Words this frequent ("The", "Said", "Year") are never the second half of a name.
FUNCTION_ZIPF = 5.5

SCORES = {"full": 1.0, "surname_title": 0.95, "nickname": 0.85, "relation": 0.85, "first": 0.8,
          "surname": 0.7}
# A name shared by several people is one of them; each candidate gets this share of the score.
AMBIGUOUS = 0.75
UNKNOWN_TITLE_SCORE = 0.4
UNKNOWN_NAME_SCORE = 0.35
# rapidfuzz.fuzz.ratio cut-offs: one wrong letter in a six-letter name scores 83.
FUZZY_FULL_CUTOFF = 85.0
FUZZY_WORD_CUTOFF = 80.0
FUZZY_MIN_LENGTH = 4
_FUZZY_CACHE_LIMIT = 20_000

# Case folded and curly apostrophes and line breaks made plain, without changing any offset.
_FOLD = str.maketrans({"’": "'", "‘": "'", "\n": " ", "\r": " ", "\t": " ", "\xa0": " "})
_CAPITALISED = re.compile(r"(?<![\w@#'’])[A-ZÀ-ÖØ-ÞĀ-ž][\w'’\-]*")
_SENTENCE_END = frozenset(".!?…\n\r")
_OPENERS = frozenset(" \t\"'“‘([*•-")
_USES_CAPITALS = re.compile(r"(?<![\w'’])(?!I\b)[A-Z]")
_RELATION = re.compile(r"'s\s+(mum|mam|mom|mummy|mother|dad|daddy|father|parents|carers?|"
                       r"step-?mum|step-?dad)\b")


def fold(text: str) -> str:
    """Lower case with plain apostrophes and spaces, the same length as ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a few letters ("İ") grow when lowered; keep offsets true
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return low.translate(_FOLD)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def word_zipf() -> dict[str, float]:
    """Zipf frequency of every English word at or above WORDLIKE_ZIPF, loaded once per process."""
    floor = 10 ** (WORDLIKE_ZIPF - 9)
    return {word: log10(freq) + 9 for word, freq in get_frequency_dict("en").items()
            if freq >= floor}


@cache
def given_names() -> frozenset[str]:
    text = files("postguard.engine").joinpath("lexicons/given_names.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _bounded(low: str, start: int, end: int) -> bool:
    before = low[start - 1] if start > 0 else " "
    after = low[end] if end < len(low) else " "
    return not (before.isalnum() or before == "_" or after.isalnum() or after == "_")


def at_sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, where capitals are grammar, not names."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0 or text[i] in _SENTENCE_END:
        return True
    # Posts often end sentences with an emoji instead of a full stop.
    return unicodedata.category(text[i]) == "So"


def _by_initial(names: Iterable[str]) -> dict[str, list[str]]:
    """Names grouped by first letter: misspellings keep it ("Jaydon", "Okafur"), and comparing
    only within a group keeps fuzzy matching cheap however large the school."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[:1], []).append(name)
    return groups


@dataclass(frozen=True, slots=True)
class _Entry:
    person: Person
    match: str


@dataclass(slots=True)
class _Key:
    """One form of a name in the automaton, and everyone it could mean."""

    length: int
    single: bool
    zipf: float
    entries: list[_Entry] = field(default_factory=list)


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    entries: list[_Entry]
    match: str
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str
    lower: str


class _Case:
    """Facts about a post's capitalisation, worked out only when a match needs them."""

    __slots__ = ("_shouting", "_uses_capitals", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._uses_capitals: bool | None = None
        self._shouting: bool | None = None

    @property
    def uses_capitals(self) -> bool:
        if self._uses_capitals is None:
            self._uses_capitals = _USES_CAPITALS.search(self.text) is not None
        return self._uses_capitals

    @property
    def shouting(self) -> bool:
        if self._shouting is None:
            upper = sum(1 for c in self.text if c.isupper())
            lower = sum(1 for c in self.text if c.islower())
            self._shouting = upper > lower
        return self._shouting


# ----------------------------------------------------------------------------------------------
# People described without a name.

_YEAR = (r"(?:(?:year|yr|y)\s?(?:1[0-3]|[1-9r]|one|two|three|four|five|six|seven|eight|nine|ten|"
         r"eleven|twelve|thirteen)\b|reception|nursery|ks\s?[1-5]|key\s+stage\s+[1-5])")
_CHILD = r"(?:boy|girl|lad|lass|child|kid|pupil|student|youngster)"
_PARENT = (r"(?:parent|mum|mam|mom|mummy|dad|daddy|father|mother|carer|step-?mum|step-?dad|"
           r"grandparent|nan|gran|grandad)")
_CHILD_WORDS = ("boy", "girl", "lad", "lass", "child", "kid", "pupil", "student", "youngster")
_PARENT_WORDS = ("parent", "mum", "mam", "mom", "dad", "father", "mother", "carer", "nan",
                 "gran")
# "I'm a dad", "as a mum", "when I was a pupil": the poster describing themselves.
_SELF = frozenset({"am", "was", "as", "be", "being", "been", "become", "became", "were", "i'm",
                   "im"})
_HEAD_BODY = frozenset({"on", "over", "above", "round", "around", "in", "into", "off", "of",
                        "top", "back", "side", "hit", "banged", "bumped", "bump", "bang"})

# Roles that name one post in a school, so "the deputy" can be narrowed to people on the roster.
_ROLE_PHRASES = (
    ("deputy", "deputy_head"), ("head", "head_teacher"), ("dsl", "designated_safeguarding_lead"),
    ("safeguarding lead", "designated_safeguarding_lead"), ("line manager", "line_manager"),
)


@dataclass(frozen=True)
class _Pattern:
    kind: str
    label: str
    score: float
    regex: re.Pattern[str]
    triggers: tuple[str, ...]
    describes: str
    self_check: bool = False
    teacher_voice: bool = False
    not_after: frozenset[str] = frozenset()


def _pattern(kind: str, label: str, score: float, regex: str, triggers: tuple[str, ...],
             describes: str, *, self_check: bool = False, teacher_voice: bool = False,
             not_after: frozenset[str] = frozenset()) -> _Pattern:
    return _Pattern(kind, label, score, re.compile(regex), triggers, describes, self_check,
                    teacher_voice, not_after)


_PUPIL = "person.unnamed_pupil"
_PARENT_KIND = "person.unnamed_parent"
_COLLEAGUE = "person.unnamed_colleague"

UNNAMED: tuple[_Pattern, ...] = (
    _pattern(_PUPIL, "year_group", 0.85,
             rf"\b(?:a|an|one|this|that|another)\s+{_YEAR}\s+{_CHILD}\b",
             _CHILD_WORDS, "a pupil described by year group"),
    _pattern(_PUPIL, "class", 0.85,
             rf"\b(?:a|an|one|this|that|another)\s+(?:(?:little|young|certain|particular|new)\s+)?"
             rf"{_CHILD}\s+(?:in|from)\s+(?:{_YEAR}|(?:my|our)\s+(?:class|form|group|set|"
             r"school|year\s+group)\b|class\s+\w{1,3}\b)",
             _CHILD_WORDS, "a pupil described by class or year group"),
    _pattern(_PUPIL, "one_of_my_class", 0.8,
             r"\bone\s+of\s+(?:my|our)\s+(?:class|form|tutor\s+group|pupils|students|"
             r"year\s?\d{1,2}s|y\d{1,2}s|reception\s+children)\b",
             ("one of",), "one of the poster's pupils"),
    _pattern(_PUPIL, "one_of_my_kids", 0.8,
             r"\bone\s+of\s+my\s+(?:kids|children|boys|girls|lot)\b",
             ("one of",), "one of the poster's pupils", teacher_voice=True),
    _pattern(_PUPIL, "pupil_of_mine", 0.75,
             r"\b(?:a|one)\s+(?:pupil|student)\s+of\s+(?:mine|ours)\b|\bmy\s+(?:pupil|student)\b"
             r"(?!\s+(?:loan|days|years|teacher|card|finance|debt|house|life|account|halls|id)\b)",
             ("pupil", "student"), "one of the poster's pupils"),
    _pattern(_PUPIL, "a_pupil", 0.6,
             r"\b(?:a\s+certain|a\s+particular|a|one|this|that|another)\s+(?:pupil|student)\b"
             r"(?!\s+(?:teachers?|loan|union|nurse|council|voice|premium|numbers?|led)\b)",
             ("pupil", "student"), "a pupil", self_check=True),
    _pattern(_PARENT_KIND, "certain_parent", 0.8,
             rf"\b(?:a|one)\s+(?:certain|particular)\s+{_PARENT}s?\b",
             ("certain", "particular"), "a particular parent"),
    _pattern(_PARENT_KIND, "one_parent", 0.65,
             rf"\b(?:(?:one|that|another)\s+{_PARENT}|this\s+(?:parent|carer))\b"
             r"(?!\s+(?:famil|household|of\s+(?:two|three|four|\d)))",
             _PARENT_WORDS, "a parent", self_check=True),
    _pattern(_PARENT_KIND, "parent_at_school", 0.8,
             rf"\b(?:a|an|one|some|this|that|another)\s+{_PARENT}s?\s+(?:at|from|in|on)\s+"
             r"(?:the\s+)?(?:school\s+)?(?:gates?|playground|pick[- ]?up|drop[- ]?off|"
             rf"home\s+time|parents'?\s+evening|(?:my|our)\s+(?:class|school|form)|reception|"
             rf"{_YEAR})",
             _PARENT_WORDS, "a parent at the school"),
    _pattern(_PARENT_KIND, "parent_did", 0.75,
             rf"\b(?:a|one|some|this|that|another)\s+{_PARENT}s?\s+(?:has\s+|have\s+|had\s+|"
             r"just\s+|then\s+|actually\s+|literally\s+)?(?:complained|complaining|emailed|"
             r"e-mailed|rang|phoned|called|shouted|screamed|swore|accused|threatened|moaned|"
             r"kicked\s+off|turned\s+up|came\s+in|stormed|demanded|told\s+me|said|asked|wrote|"
             r"messaged|reported|blamed|insisted|refused|tried|wants|wanted|went|sent|posted|"
             r"decided)\b",
             _PARENT_WORDS, "a parent who did something at the school"),
    _pattern(_PARENT_KIND, "parent_of_pupil", 0.75,
             rf"\b(?:the\s+)?{_PARENT}s?\s+of\s+(?:a|an|one|this|that)\s+(?:of\s+(?:my|our)\s+"
             rf"\w+|(?:{_YEAR}\s+)?{_CHILD})",
             _PARENT_WORDS, "the parent of a pupil"),
    _pattern(_PARENT_KIND, "some_parents", 0.5,
             r"\b(?:some|certain|a\s+few|a\s+couple\s+of|two|three|several)\s+parents\b",
             ("parents",), "some of the school's parents"),
    _pattern(_COLLEAGUE, "my_manager", 0.8,
             r"\bmy\s+(?:line\s+manager|manager|boss|head\s+of\s+(?:department|dept|year|"
             r"key\s+stage|ks\s?\d|faculty)|hod|hoy|deputy\s+head(?:\s*teacher)?|deputy|"
             r"head\s*teacher|team\s+leader|phase\s+leader|mentor|ta|teaching\s+assistant|senco|"
             r"dsl|business\s+manager|colleague|co-?worker|workmate|year\s+partner|"
             r"job[- ]?share(?:\s+partner)?)\b",
             ("my ",), "a colleague or manager"),
    _pattern(_COLLEAGUE, "my_colleagues", 0.5,
             r"\bmy\s+(?:colleagues|co-?workers|workmates|work\s+mates|team\s*mates)\b",
             ("my ",), "the poster's colleagues"),
    _pattern(_COLLEAGUE, "the_role", 0.7,
             r"\bthe\s+(?:deputy\s+head(?:\s*teacher)?|deputy|head\s*teacher|head\s+of\s+"
             r"(?:department|dept|year|key\s+stage|ks\s?\d|maths|english|science|faculty)|"
             r"senco|dsl|designated\s+safeguarding\s+lead|business\s+manager|site\s+manager|"
             r"caretaker|bursar|office\s+manager|new\s+teacher|supply\s+teacher|nqt|ect)\b",
             ("the ",), "a colleague named by their job"),
    _pattern(_COLLEAGUE, "the_head", 0.6,
             r"\bthe\s+head\b(?!\s*(?:of|and|lice|injury|injuries|wound|ache|first|count|start|"
             r"teacher|on|off|down|up)\b)",
             ("the head",), "the head teacher", not_after=_HEAD_BODY),
    _pattern(_COLLEAGUE, "a_colleague", 0.7,
             r"\b(?:a|one|another|this|that)\s+(?:colleague|co-?worker|workmate|member\s+of\s+"
             r"staff|staff\s+member|fellow\s+teacher|teacher\s+(?:at|in|from)\s+(?:my|our|the)\s+"
             r"school|ta|teaching\s+assistant|lunchtime\s+supervisor|dinner\s+lady|"
             r"supply\s+teacher|cover\s+supervisor)\b",
             ("colleague", "worker", "workmate", "staff", "teacher", " ta", "assistant",
              "supervisor", "dinner lady"),
             "a colleague", self_check=True),
    _pattern(_COLLEAGUE, "one_of_my_colleagues", 0.75,
             r"\bone\s+of\s+(?:my|our|the)\s+(?:colleagues|co-?workers|workmates|tas|"
             r"teaching\s+assistants|teachers|staff|team)\b",
             ("one of",), "one of the poster's colleagues"),
)


_ROLE_DESCRIPTIONS = (
    ("head_teacher", "the head teacher"), ("deputy_head", "the deputy head"),
    ("teacher", "a teacher"), ("teaching_assistant", "a teaching assistant"),
    ("designated_safeguarding_lead", "the designated safeguarding lead"),
    ("communications_officer", "the communications officer"), ("hr", "a member of the HR staff"),
    ("administrator", "an administrator"), ("line_manager", "a line manager"),
    ("volunteer", "a volunteer"),
)

_TRIGGERS = frozenset(t for pattern in UNNAMED for t in pattern.triggers)


def _describe(person: Person, school: School) -> str:
    """How a head teacher would place this person: 'a Year 6 pupil', 'the head teacher'."""
    if person.kind == "pupil":
        year = person.year_group
        if year is None:
            return "a pupil"
        return "a Reception pupil" if year.upper() == "R" else f"a Year {year} pupil"
    if person.kind == "ex_pupil":
        return "a former pupil"
    if person.kind == "governor":
        return "a governor"
    if person.kind == "parent":
        children = [school.by_id[c].name for c in person.children if c in school.by_id]
        return f"the parent of {' and '.join(children)}" if children else "a parent"
    where = f" (class {person.class_name})" if person.class_name else ""
    for role, phrase in _ROLE_DESCRIPTIONS:
        if role in person.roles:
            return phrase + where
    return "a member of staff" + where


_EXPLAIN: dict[str, Callable[[str, str, str], str]] = {
    "full": lambda ev, name, desc: f"'{ev}' names {name}, {desc}",
    "first": lambda ev, name, desc: f"'{ev}' is the first name of {name}, {desc}",
    "surname_title": lambda ev, name, desc: f"'{ev}' refers to {name}, {desc}",
    "surname": lambda ev, name, desc: f"'{ev}' is the surname of {name}, {desc}",
    "nickname": lambda ev, name, desc: f"'{ev}' is a nickname of {name}, {desc}",
    "fuzzy": lambda ev, name, desc: f"'{ev}' looks like a misspelling of {name}, {desc}",
    "relation": lambda ev, name, desc: f"'{ev}' refers to {name}, {desc}",
}


@register
class PeopleDetector(Detector):
    name = "people"
    version = "1"
    emits: ClassVar[tuple[str, ...]] = (
        "person.pupil", "person.ex_pupil", "person.parent", "person.staff", "person.governor",
        "person.unnamed_pupil", "person.unnamed_parent", "person.unnamed_colleague",
        "person.unknown_name",
    )

    def __init__(self, school: School) -> None:
        super().__init__(school)
        self._zipf = word_zipf()
        self._given = given_names()
        self._describe = {p.id: _describe(p, school) for p in school.everyone}
        self._keys: list[_Key] = []
        self._key_index: dict[str, int] = {}
        self._full: dict[str, list[Person]] = {}
        self._words: dict[str, list[_Entry]] = {}
        self._surnames: dict[str, list[Person]] = {}
        self._parents_of: dict[str, list[Person]] = {}
        self._by_role: dict[str, list[Person]] = {}
        self._family: dict[str, list[Person]] = {}
        for person in school.everyone:
            self._index(person)
            if person.last_name:
                self._family.setdefault(fold(person.last_name), []).append(person)
            for child in person.children:
                self._parents_of.setdefault(child, []).append(person)
            for role in person.roles:
                self._by_role.setdefault(role, []).append(person)
        self._automaton = ahocorasick.Automaton()
        for key, index in self._key_index.items():
            self._automaton.add_word(key, index)
        if self._key_index:
            self._automaton.make_automaton()
        self._choices = {
            "full": _by_initial(self._full),
            "word": _by_initial(w for w in self._words if len(w) >= FUZZY_MIN_LENGTH),
            "surname": _by_initial(self._surnames),
        }
        self._fuzzy_cache: dict[tuple[str, str], tuple[str, float] | None] = {}

    # -- building ------------------------------------------------------------------------------

    def _index(self, person: Person) -> None:
        parts = fold(person.name).split()
        first, last = parts[0], parts[-1] if len(parts) > 1 else None
        full_forms = {" ".join(parts)}
        if len(parts) > 2:
            full_forms.add(f"{first} {last}")
        for form in full_forms:
            self._add(form, person, "full")
            self._full.setdefault(form, []).append(person)
        self._add(first, person, "first" if last else "full")
        self._words.setdefault(first, []).append(_Entry(person, "first"))
        for nickname in person.nicknames:
            nick = " ".join(fold(nickname).split())
            self._add(nick, person, "nickname")
            if " " not in nick:
                self._words.setdefault(nick, []).append(_Entry(person, "nickname"))
                if last:
                    self._add(f"{nick} {last}", person, "full")  # "Stevie Milburn"
        if last is None:
            return
        if person.kind in ADULT_KINDS:
            for title in TITLES:
                self._add(f"{title} {last}", person, "surname_title")
            self._surnames.setdefault(last, []).append(person)
        if zipf_frequency(last, "en") < WORDLIKE_ZIPF:
            # A rare surname alone ("Okafor is off again") points at the person; a common one
            # ("Bell", "Hall") would fire on ordinary words.
            self._add(last, person, "surname")
            self._words.setdefault(last, []).append(_Entry(person, "surname"))

    def _add(self, key: str, person: Person, match: str) -> None:
        forms = {key, _ascii(key)}
        head, _, rest = key.partition(" ")
        if head in TITLES and rest:
            forms |= {f"{head}. {rest}", f"{_ascii(head)}. {_ascii(rest)}"}
        for form in forms:
            index = self._key_index.get(form)
            if index is None:
                single = " " not in form
                zipf = zipf_frequency(form, "en") if single else 0.0
                index = len(self._keys)
                self._keys.append(_Key(len(form), single, zipf))
                self._key_index[form] = index
            entries = self._keys[index].entries
            if all(e.person.id != person.id for e in entries):
                entries.append(_Entry(person, match))

    # -- detecting -----------------------------------------------------------------------------

    def detect(self, doc: Document) -> list[Signal]:
        text = doc.text
        low = fold(text)
        case = _Case(text)
        mentions, unknown = self._loose(text, self._exact(text, low, case))
        signals = self._named(text, low, mentions)
        signals.extend(self._unknown_signals(text, unknown))
        signals.extend(self._unnamed(doc, low))
        signals.sort(key=lambda s: (s.start or 0, s.end or 0, s.kind))
        return signals

    def _exact(self, text: str, low: str, case: _Case) -> list[_Mention]:
        found: list[tuple[int, int, int]] = []
        if not self._key_index:
            return []
        for last, index in self._automaton.iter(low):
            key = self._keys[index]
            start, end = last - key.length + 1, last + 1
            if _bounded(low, start, end):
                found.append((start, end, index))
        # Longest first, so "Jayden Robson" wins over "Jayden" and "Mr Brennan" over "Mr B".
        found.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        mentions: list[_Mention] = []
        deferred: list[_Mention] = []
        taken_to = -1
        for start, end, index in found:
            if start < taken_to:
                continue
            key = self._keys[index]
            verdict = self._case_allows(key, text, start, end, case) if key.single else True
            if verdict is False:
                continue
            taken_to = end
            entries = list(key.entries)
            mention = _Mention(start, end, entries, entries[0].match)
            (mentions if verdict is True else deferred).append(mention)
        if deferred:
            # "Grace Liddle was brilliant. Grace read so well.": a sentence-initial "Grace"
            # is a name once the post has named her in full.
            settled = {m.entries[0].person.id for m in mentions if len(m.entries) == 1}
            for mention in deferred:
                mention.entries = [e for e in mention.entries if e.person.id in settled]
                if mention.entries:
                    mentions.append(mention)
            mentions.sort(key=lambda m: m.start)
        return mentions

    @staticmethod
    def _case_allows(key: _Key, text: str, start: int, end: int, case: _Case) -> bool | None:
        """Whether a one-word name is written as a name, given how the post uses capitals.

        None means "only if the post names the person in full elsewhere".
        """
        word = text[start:end]
        capital: bool | None = word[:1].isupper()
        if capital and len(word) > 1 and word.isupper() and case.shouting:
            capital = None  # an all-capitals post says nothing about names
        if key.zipf >= COMMON_ZIPF:
            # "saying grace", "mark the books": only a capital mid-sentence makes it a name.
            if capital is not True:
                return False
            return None if at_sentence_start(text, start) else True
        if key.length <= 3:
            return capital is not False  # "jo", "cal", "alf" in lower case are other things
        if key.zipf >= WORDLIKE_ZIPF and capital is False:
            # "my poppy" is a flower unless the writer never uses capitals at all.
            return not case.uses_capitals
        return True

    def _loose(self, text: str,
               mentions: list[_Mention]) -> tuple[list[_Mention], list[tuple[int, int, str]]]:
        """Misspelt roster names and names of people not on the roster, from capitalised words."""
        words = self._capitalised_words(text)
        if not words:
            return mentions, []
        taken = [(m.start, m.end) for m in mentions]
        by_start = {m.start: m for m in mentions}

        def free(word: _Word) -> bool:
            return not any(s < word.end and word.start < e for s, e in taken)

        unknown: list[tuple[int, int, str]] = []
        count = len(words)
        i = 0
        while i < count:
            word = words[i]
            nxt = words[i + 1] if i + 1 < count else None
            if nxt is not None:
                gap = text[word.end:nxt.start]
                if not (gap == " " or (gap == ". " and word.lower in TITLES)):
                    nxt = None  # two names only when nothing but a space (or "Mr. ") parts them
            mention = by_start.get(word.start)
            if mention is not None:
                if (nxt is not None and mention.match == "first" and mention.end == word.end
                        and free(nxt) and self._surname_like(nxt, SURNAME_ZIPF)):
                    # "Jayden Robsen" is Jayden Robson misspelt; "Jayden Smith" someone else.
                    pair = f"{word.lower} {nxt.lower}"
                    hit = self._fuzzy("full", pair)
                    if hit is not None:
                        mention.end, mention.match, mention.similarity = nxt.end, "fuzzy", hit[1]
                        mention.entries = [_Entry(p, "fuzzy") for p in self._full[hit[0]]]
                    else:
                        mentions.remove(mention)
                        unknown.append((word.start, nxt.end, "given_name"))
                    taken.append((word.start, nxt.end))
                    i += 2
                    continue
                i += 1
                continue
            if not free(word):
                i += 1
                continue
            rare = self._rare(word)
            if word.lower in TITLES:
                if nxt is not None and free(nxt) and self._surname_like(nxt, FUNCTION_ZIPF):
                    hit = self._fuzzy("surname", nxt.lower) if self._rare(nxt) else None
                    if hit is not None:
                        mentions.append(_Mention(
                            word.start, nxt.end,
                            [_Entry(p, "fuzzy") for p in self._surnames[hit[0]]], "fuzzy",
                            hit[1]))
                    else:
                        unknown.append((word.start, nxt.end, "title"))
                    taken.append((word.start, nxt.end))
                    i += 2
                    continue
            elif nxt is not None and free(nxt) and (rare or self._rare(nxt)):
                hit = self._fuzzy("full", f"{word.lower} {nxt.lower}")
                if hit is not None:
                    mentions.append(_Mention(word.start, nxt.end,
                                             [_Entry(p, "fuzzy") for p in self._full[hit[0]]],
                                             "fuzzy", hit[1]))
                    taken.append((word.start, nxt.end))
                    i += 2
                    continue
            if rare and len(word.lower) >= FUZZY_MIN_LENGTH and word.lower not in self._given:
                hit = self._fuzzy("word", word.lower)
                if hit is not None:
                    mentions.append(_Mention(word.start, word.end,
                                             [_Entry(e.person, "fuzzy")
                                              for e in self._words[hit[0]]], "fuzzy", hit[1]))
                    taken.append((word.start, word.end))
                    i += 1
                    continue
            if (word.lower in self._given and nxt is not None and free(nxt)
                    and self._unknown_pair(text, word, nxt)):
                unknown.append((word.start, nxt.end, "given_name"))
                taken.append((word.start, nxt.end))
                i += 2
                continue
            i += 1
        return mentions, unknown

    def _capitalised_words(self, text: str) -> list[_Word]:
        words = []
        for match in _CAPITALISED.finditer(text):
            word = match.group()
            if len(word) < 2 or not word[0].isupper():
                continue
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            word = word.rstrip("'’-")
            start = match.start()
            words.append(_Word(start, start + len(word), word, word.lower().replace("’", "'")))
        return words

    def _rare(self, word: _Word) -> bool:
        return word.lower not in self._zipf and word.lower not in self._key_index

    def _surname_like(self, word: _Word, ceiling: float) -> bool:
        # Some lower case after the capital: "McDonald" and "O'Neill" yes, "SMITH" in a
        # shouted post no (capitals there say nothing).
        return (word.lower not in TITLES and self._zipf.get(word.lower, 0.0) < ceiling
                and any(c.islower() for c in word.text[1:]))

    def _unknown_pair(self, text: str, first: _Word, last: _Word) -> bool:
        """'Dave Jenkins': a known given name and a capitalised word that is not a title."""
        if not self._surname_like(last, FUNCTION_ZIPF):
            return False
        if self._zipf.get(first.lower, 0.0) >= COMMON_ZIPF:
            # "Will Power", "Rose Garden": an everyday first word needs a rare second one.
            return (self._zipf.get(last.lower, 0.0) < SURNAME_ZIPF
                    and not at_sentence_start(text, first.start))
        return True

    def _fuzzy(self, kind: str, query: str) -> tuple[str, float] | None:
        cache_key = (kind, query)
        if cache_key in self._fuzzy_cache:
            return self._fuzzy_cache[cache_key]
        cutoff = FUZZY_FULL_CUTOFF if kind == "full" else FUZZY_WORD_CUTOFF
        choices = self._choices[kind].get(query[:1], [])
        best = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        result = None if best is None else (best[0], float(best[1]))
        if len(self._fuzzy_cache) >= _FUZZY_CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[cache_key] = result
        return result

    # -- signals -------------------------------------------------------------------------------

    def _named(self, text: str, low: str, mentions: list[_Mention]) -> list[Signal]:
        # A name shared by several people is settled by another, unambiguous mention in the post
        # ("Grace Liddle ... Grace was brilliant").
        settled = {m.entries[0].person.id for m in mentions if len(m.entries) == 1}
        signals = []
        for mention in mentions:
            entries = mention.entries
            if len(entries) > 1:
                narrowed = [e for e in entries if e.person.id in settled]
                if narrowed:
                    entries = narrowed
            evidence = text[mention.start:mention.end]
            for entry in entries:
                signals.append(self._person_signal(entry, entries, mention, evidence))
            if len(entries) == 1 and entries[0].person.kind == "pupil":
                signals.extend(self._relation(text, low, mention, entries[0].person))
        return signals

    def _person_signal(self, entry: _Entry, entries: list[_Entry], mention: _Mention,
                       evidence: str) -> Signal:
        person = entry.person
        match = entry.match
        if match == "fuzzy":
            similarity = mention.similarity or FUZZY_WORD_CUTOFF
            cutoff = FUZZY_FULL_CUTOFF if " " in evidence else FUZZY_WORD_CUTOFF
            score = 0.6 + 0.15 * max(0.0, similarity - cutoff) / (100 - cutoff)
        else:
            score = SCORES[match]
        explanation = _EXPLAIN[match](evidence, person.name, self._describe[person.id])
        data: dict[str, object] = {"person_id": person.id, "name": person.name, "match": match}
        if mention.similarity is not None:
            data["similarity"] = round(mention.similarity, 1)
        if len(entries) > 1:
            score *= AMBIGUOUS
            others = [e.person.name for e in entries if e.person.id != person.id]
            explanation += f"; it could also be {' or '.join(others)}"
            data["candidates"] = [e.person.id for e in entries]
        return self.signal(f"person.{person.kind}", round(score, 3), explanation,
                           mention.start, mention.end, **data)

    def _relation(self, text: str, low: str, mention: _Mention, pupil: Person) -> list[Signal]:
        """'Jayden's mum' names his parent as surely as her own name would."""
        match = _RELATION.match(low, mention.end)
        if match is None:
            return []
        start, end = mention.start, match.end()
        evidence = text[start:end]
        parents = self._parents_of.get(pupil.id, [])
        if not parents:
            return [self.signal("person.unnamed_parent", 0.8,
                                f"'{evidence}' refers to a parent of {pupil.name}, "
                                f"{self._describe[pupil.id]}", start, end,
                                form="relation", related_to=pupil.id)]
        signals = []
        score = SCORES["relation"] * (AMBIGUOUS if len(parents) > 1 else 1.0)
        for parent in parents:
            data: dict[str, object] = {"person_id": parent.id, "name": parent.name,
                                       "match": "relation", "related_to": pupil.id}
            if len(parents) > 1:
                data["candidates"] = [p.id for p in parents]
            signals.append(self.signal(
                "person.parent", round(score, 3),
                _EXPLAIN["relation"](evidence, parent.name, self._describe[parent.id]),
                start, end, **data))
        return signals

    def _unknown_signals(self, text: str, unknown: list[tuple[int, int, str]]) -> list[Signal]:
        signals = []
        for start, end, form in unknown:
            evidence = text[start:end]
            data: dict[str, object] = {"name": evidence, "match": form}
            shared = self._family.get(fold(evidence.split()[-1]))
            if shared:
                # "Dave Robson" may be Jayden Robson's father, who is not on the roster.
                data["shares_surname_with"] = [p.id for p in shared]
            score = UNKNOWN_TITLE_SCORE if form == "title" else UNKNOWN_NAME_SCORE
            signals.append(self.signal(
                "person.unknown_name", score,
                f"'{evidence}' looks like the name of someone who is not on the school's list "
                "of people", start, end, **data))
        return signals

    def _unnamed(self, doc: Document, low: str) -> list[Signal]:
        found: list[tuple[int, int, _Pattern]] = []
        teacher: bool | None = None
        present = {t for t in _TRIGGERS if t in low}
        for pattern in UNNAMED:
            if present.isdisjoint(pattern.triggers):
                continue
            for match in pattern.regex.finditer(low):
                start, end = match.span()
                if pattern.self_check or pattern.not_after:
                    word = word_before(low, start)
                    if pattern.self_check and word in _SELF:
                        continue
                    if word in pattern.not_after:
                        continue
                found.append((start, end, pattern))
        if not found:
            return []
        found.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        signals = []
        taken_to = -1
        for start, end, pattern in found:
            if start < taken_to:
                continue
            score = pattern.score
            if pattern.teacher_voice:
                if teacher is None:
                    teacher = self.school.author_teaches(doc.post.author)
                if teacher is False:
                    continue  # "one of my kids" from a parent or non-teacher is their own child
                if teacher is None:
                    score = 0.55
            taken_to = end
            evidence = doc.text[start:end]
            data: dict[str, object] = {"form": pattern.label, "phrase": low[start:end]}
            if pattern.kind == _COLLEAGUE:
                holders = self._role_holders(low[start:end])
                if holders:
                    data["candidates"] = [p.id for p in holders]
            signals.append(self.signal(pattern.kind, score,
                                       f"'{evidence}' refers to {pattern.describes} without "
                                       "naming them", start, end, **data))
        return signals

    def _role_holders(self, phrase: str) -> list[Person]:
        for words, role in _ROLE_PHRASES:
            if words in phrase and not (words == "head" and "of" in phrase.split()):
                return self._by_role.get(role, [])
        return []
