"""The poster's school in a post: its name, its accounts and web address, or a plain reference.

The school's names and handles go into one Aho-Corasick automaton with their everyday variants
(any case, with or without apostrophes, "St" or "Saint", run together as a hashtag). Indirect
references ("my school", "back to work", "the head", "parents' evening") are patterns, each run
only when its trigger words occur in the post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

import ahocorasick

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document, word_before
from postguard.school.model import SCHOOL_SUFFIXES, School

# Case folded and curly apostrophes and line breaks made plain, without changing any offset.
_FOLD = str.maketrans({"’": "'", "‘": "'", "\n": " ", "\r": " ", "\t": " ", "\xa0": " "})

_EXPLAIN = {
    "name": "'{ev}' is the school's name",
    "alias": "'{ev}' is a name the school is known by ({matched})",
    "short_name": "'{ev}' is what people call the school for short ({matched})",
    "hashtag": "'{ev}' is the school's name written as one word ({matched})",
    "handle": "'{ev}' is one of the school's social media accounts",
    "page": "'{ev}' is one of the school's social media pages",
    "website": "'{ev}' is the school's web address",
}


def fold(text: str) -> str:
    """Lower case with plain apostrophes and spaces, the same length as ``text``."""
    low = text.lower()
    if len(low) != len(text):  # a few letters ("İ") grow when lowered; keep offsets true
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return low.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class _Key:
    kind: str  # school.name or school.handle
    form: str
    matched: str  # as the school's configuration spells it
    length: int
    case_sensitive: str | None = None  # acronyms ("WPS") count only in capitals


def _name_variants(name: str) -> set[str]:
    base = " ".join(fold(name).split())
    variants = {base, base.replace("'", ""), base.replace(" & ", " and "),
                base.replace(" and ", " & ")}
    for variant in list(variants):
        words = variant.split(" ")
        if words[0] in ("st", "st.", "saint"):
            for saint in ("st", "st.", "saint"):
                variants.add(" ".join([saint, *words[1:]]))
    return variants


_NEXT_WORD = re.compile(r"\s+([A-Z][\w'’-]*)")


def _starts_another_name(text: str, end: int) -> bool:
    """ "Westmoor Road" or "Westmoor Schoolhouse Farm": the place name begins another name."""
    following = _NEXT_WORD.match(text, end)
    return following is not None and following.group(1).lower() not in SCHOOL_SUFFIXES


def _url_key(address: str) -> str:
    """'https://www.example.sch.uk/' and 'facebook.com/X' reduced to what a post would show."""
    address = address.strip()
    parts = urlsplit(address if "//" in address else f"//{address}")
    host = parts.netloc.lower().removeprefix("www.")
    return (host + parts.path.rstrip("/").lower()) if host else fold(address)


@dataclass(frozen=True)
class _Reference:
    form: str
    score: float
    regex: re.Pattern[str]
    triggers: tuple[str, ...]
    describes: str
    teacher_voice: bool = False
    not_after: frozenset[str] = frozenset()


def _reference(form: str, score: float, regex: str, triggers: tuple[str, ...], describes: str,
               *, teacher_voice: bool = False,
               not_after: frozenset[str] = frozenset()) -> _Reference:
    return _Reference(form, score, re.compile(regex), triggers, describes, teacher_voice,
                      not_after)


_HEAD_BODY = frozenset({"on", "over", "above", "round", "around", "in", "into", "off", "of",
                        "top", "back", "side", "hit", "banged", "bumped", "bump", "bang"})
# "Work" is the workplace after these: "back to work", "late for work", "home from work".
_TO_WORK = (r"back|off|go|goes|going|gone|went|get|getting|drive|driving|drove|walk|walking|"
            r"walked|cycle|cycling|cycled|commute|commuting|head|heading|headed|travel|"
            r"travelling|return|returning|returned|rush|rushing|rushed|way|lift|bus|train")
_FOR_WORK = r"late|ready|leave|leaving|left|dressed|set\s+off|setting\s+off|up|off"

REFERENCES: tuple[_Reference, ...] = (
    _reference("school", 0.8,
               r"\b(?:my|our)\s+(?:school|workplace|place\s+of\s+work)\b"
               r"(?!\s+(?:days|years|reunion|run|uniform|friends?|trips?\s+as)\b)",
               ("school", "work"), "the poster's school"),
    _reference("school", 0.6,
               r"\bthe\s+school\b(?!\s+(?:run|of\s+(?:life|thought|hard\s+knocks)|holidays|"
               r"system|year)\b)",
               ("the school",), "the poster's school"),
    _reference("school", 0.6, r"\bat\s+school\b", ("at school",), "the poster's school",
               not_after=frozenset({"was", "were", "still", "kids", "children"})),
    _reference("work", 0.7,
               rf"\b(?:at|into|after|before|off)\s+work\b(?!\s+(?:experience|out|on)\b)|"
               rf"\b(?:{_TO_WORK})\s+to\s+work\b(?!\s+(?:on|out|with|together|hard|for)\b)|"
               rf"\b(?:{_FOR_WORK})\s+for\s+work\b|"
               r"\b(?:home|back|in|break|day\s+off|time\s+off)\s+from\s+work\b|"
               r"\bin\s+work\s+(?:today|tomorrow|tonight|early|late|all\s+day|this\s+morning)\b",
               ("work",), "the poster's workplace"),
    _reference("work", 0.65,
               r"(?:^|[.!?,;:]\s*|\b(?:and|but|so|ugh|urgh|argh|honestly|god|omg|then)\s+)"
               r"(?P<ref>work)\s+(?:was|is|has\s+been|had\s+been|today|tomorrow|tonight|"
               r"this\s+week|this\s+morning|this\s+afternoon|again|sucks|sucked|is\s+killing)\b",
               ("work",), "the poster's workplace"),
    _reference("work", 0.6,
               r"\bwork\s+(?:drinks|do|night\s+out|party|christmas\s+party|xmas\s+party|"
               r"colleagues?|mates|friends?|email|emails|phone|laptop|stress|bestie|trip|social)\b",
               ("work",), "the poster's workplace"),
    _reference("head", 0.75,
               r"\b(?:the|my|our)\s+head\s*teacher\b|\bhead\s*teacher\b|\bmy\s+head\s+of\s+"
               r"(?:department|dept|year|key\s+stage|faculty)\b",
               ("head",), "the school's head teacher"),
    _reference("head", 0.6,
               r"\b(?:the|our)\s+head\b(?!\s*(?:of|and|lice|injury|injuries|wound|ache|first|"
               r"count|start|on|off|down|up)\b)",
               ("head",), "the school's head teacher", not_after=_HEAD_BODY),
    _reference("head", 0.6,
               r"\b(?P<ref>my\s+head)\s+(?:has\s+|had\s+|just\s+|then\s+)?(?:said|says|told|tells|wants|"
               r"wanted|asked|decided|refused|emailed|called|rang|announced|expects|expected|"
               r"insisted|thinks|reckons|made\s+us|makes\s+us)\b",
               ("my head",), "the poster's head teacher"),
    _reference("leadership", 0.75,
               r"\b(?:slt|smt)\b|\bsenior\s+(?:leadership|management)(?:\s+team)?\b",
               ("slt", "smt", "senior"), "the school's senior leadership"),
    _reference("governors", 0.7,
               r"\b(?:the|our)\s+governors\b|\bgoverning\s+body\b|\bboard\s+of\s+governors\b|"
               r"\bchair\s+of\s+governors\b",
               ("govern",), "the school's governors"),
    _reference("class", 0.75, r"\bmy\s+(?:class|form|tutor\s+group)\b(?!\s+(?:at|in)\s+uni)",
               ("my class", "my form", "my tutor"), "the poster's class",
               teacher_voice=True),
    _reference("class", 0.6, r"\bmy\s+kids\b", ("my kids",), "the poster's pupils",
               teacher_voice=True),
    _reference("pupils", 0.7, r"\b(?:my|our)\s+(?:pupils|students)\b", ("pupils", "students"),
               "the poster's pupils"),
    _reference("event", 0.7, r"\bparent(?:s'?|'s)?\s+evenings?\b", ("evening",),
               "an event at the poster's school"),
    _reference("staffroom", 0.7,
               r"\bstaff\s?room\b|\bstaff\s+(?:meeting|briefing|training|room)\b|"
               r"\binset\s+days?\b",
               ("staff", "inset"), "a part of the poster's working life at school"),
    _reference("inspection", 0.75,
               r"\bofsted\s+(?:visit|inspection|call|calls|are\s+in|is\s+in|are\s+coming|came|"
               r"arrived|this\s+week|next\s+week|tomorrow|today|report|rating|grade|judgement|"
               r"judgment|outcome|result)s?\b|\b(?:the|our|an|my)\s+ofsted\b|"
               r"\bofsted(?:'s)?\s+(?:have|has)\s+(?:called|arrived|been)\b|"
               r"\b(?:we've|we\s+have|we've\s+got|we\s+got|got)\s+ofsted\b",
               ("ofsted",), "an inspection of the poster's school"),
)

_TRIGGERS = frozenset(t for reference in REFERENCES for t in reference.triggers)


@register
class SchoolIdentityDetector(Detector):
    name = "school_identity"
    version = "1"
    emits: ClassVar[tuple[str, ...]] = ("school.name", "school.handle", "school.reference")

    def __init__(self, school: School) -> None:
        super().__init__(school)
        keys: dict[str, _Key] = {}
        # Handles first: "westmoorprimary" is the account even where it is also the name run
        # together.
        for handle in school.handles:
            if "/" in handle or "." in handle:
                self._put(keys, _url_key(handle), "school.handle", "page", handle)
                handle = handle.rstrip("/").rsplit("/", 1)[-1]
            bare = fold(handle.strip()).lstrip("@")
            if bare:
                self._put(keys, f"@{bare}", "school.handle", "handle", handle)
                self._put(keys, bare, "school.handle", "handle", handle)
        if school.website:
            self._put(keys, _url_key(school.website), "school.handle", "website",
                      school.website)
        named = ((school.name, "name"), *((a, "alias") for a in school.aliases),
                 *((short, "short_name") for short in school.short_names))
        for name, form in named:
            compact = name.replace(" ", "")
            if compact.isupper() and len(compact) <= 6:
                # "WPS" is an acronym only in capitals: "wps" is ordinary text.
                self._put(keys, fold(name), "school.name", form, name, case_sensitive=name)
                continue
            for variant in sorted(_name_variants(name)):
                self._put(keys, variant, "school.name", form, name)
                joined = variant.replace(" ", "").replace("'", "")
                if " " in variant and len(joined) >= 8:
                    self._put(keys, joined, "school.name", "hashtag", name)
        self._keys = list(keys.values())
        self._automaton = ahocorasick.Automaton()
        for index, (text, _key) in enumerate(keys.items()):
            self._automaton.add_word(text, index)
        if keys:
            self._automaton.make_automaton()

    @staticmethod
    def _put(keys: dict[str, _Key], text: str, kind: str, form: str, matched: str,
             case_sensitive: str | None = None) -> None:
        if text and text not in keys:
            keys[text] = _Key(kind, form, matched, len(text), case_sensitive)

    def detect(self, doc: Document) -> list[Signal]:
        low = fold(doc.text)
        signals = self._named(doc.text, low)
        signals.extend(self._references(doc, low))
        signals.sort(key=lambda s: (s.start or 0, s.end or 0))
        return signals

    def _named(self, text: str, low: str) -> list[Signal]:
        if not self._keys:
            return []
        found: list[tuple[int, int, _Key]] = []
        for last, index in self._automaton.iter(low):
            key = self._keys[index]
            start, end = last - key.length + 1, last + 1
            if not self._bounded(low, start, end, key):
                continue
            if key.case_sensitive is not None and text[start:end] != key.case_sensitive:
                continue
            if key.form == "short_name" and _starts_another_name(text, end):
                continue
            found.append((start, end, key))
        found.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        signals = []
        taken_to = -1
        for start, end, key in found:
            if start < taken_to:
                continue
            taken_to = end
            evidence = text[start:end]
            explanation = _EXPLAIN[key.form].format(ev=evidence, matched=key.matched)
            # A bare place name may also be a street or a village: a little less certain.
            score = 0.9 if key.form == "short_name" else 1.0
            signals.append(self.signal(key.kind, score, explanation, start, end,
                                       matched=key.matched, form=key.form))
        return signals

    @staticmethod
    def _bounded(low: str, start: int, end: int, key: _Key) -> bool:
        before = low[start - 1] if start > 0 else " "
        after = low[end] if end < len(low) else " "
        if after.isalnum() or after == "_":
            return False
        if key.form == "website":
            # A subdomain or "www." may come before the address; an email's "@" may not (work
            # email addresses are personal data, reported by another detector).
            return not (before.isalnum() or before in "@-_")
        if key.form == "short_name" and (before in "@./" or (
                after == "." and low[end + 1:end + 2].isalnum())):
            return False  # part of an address or a domain, not the school named in words
        return not (before.isalnum() or before in "_-")

    def _references(self, doc: Document, low: str) -> list[Signal]:
        found: list[tuple[int, int, _Reference]] = []
        present = {t for t in _TRIGGERS if t in low}
        for reference in REFERENCES:
            if present.isdisjoint(reference.triggers):
                continue
            for match in reference.regex.finditer(low):
                # Where a pattern needs context to decide, its evidence is the "ref" group alone.
                group = "ref" if "ref" in reference.regex.groupindex else 0
                start, end = match.span(group)
                if reference.not_after and word_before(low, start) in reference.not_after:
                    continue
                found.append((start, end, reference))
        if not found:
            return []
        found.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        teacher: bool | None = None
        signals = []
        taken_to = -1
        for start, end, reference in found:
            if start < taken_to:
                continue
            score = reference.score
            if reference.teacher_voice:
                if teacher is None:
                    teacher = self.school.author_teaches(doc.post.author)
                if teacher is False:
                    continue  # "my kids" from anyone but a teacher are their own children
                if teacher is None:
                    if reference.form == "class" and "kids" in low[start:end]:
                        continue  # an unknown author's "my kids" is most likely their children
                    score = 0.6
            taken_to = end
            evidence = doc.text[start:end]
            signals.append(self.signal("school.reference", score,
                                       f"'{evidence}' refers to {reference.describes}",
                                       start, end, matched=low[start:end], form=reference.form))
        return signals

