"""Language: swearing, insults, threats, slurs, lewdness, discrimination, slang and tone.

What a post says matters less than who it is aimed at and why. Swearing about a goal is bad
language but not abuse; "you're a useless idiot" is abuse without a swear word; a slur quoted
in order to condemn it ("a pupil called another child a '...'; not acceptable") is neither. So
the detector combines four offline parts:

- model scores, from a ``Scorer``: by default the trained classifiers shipped in
  ``engine/models/language/`` (offensive, hate, targeted insult, negative; see their model
  card), or, where they are switched off (``POSTGUARD_CLASSIFIERS=off``) or missing, the linear
  model of the ``alt-profanity-check`` wheel evaluated in plain Python. Each head's probability
  is reported in ``scores``; ``language.offensive`` is emitted only when the text also aims at
  someone, hate becomes ``language.discriminatory`` unless it is quoted to be condemned;
- curated lexicons (``engine/lexicons/``): swear words, slurs by protected characteristic,
  lewd terms and slang looked up by token; harassment, threat and derogatory patterns matched
  by one RE2 set in a single pass;
- context: who is targeted (the person addressed, an @mention, a name, "he is", a group),
  quotation and reported speech with words of condemnation, and football banter;
- VADER for negative tone (mood, not abuse), of the post or of its most negative clause, with
  British words it lacks added; a cheap bound on what VADER could score skips it for most
  posts.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import add
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import re2
import yaml

from postguard.engine.detector import Detector
from postguard.engine.models.classifier import (
    EARLY_EXIT,
    GATE,
    WHOLE_MODEL,
    HeadScores,
    LanguageModel,
    model_available,
    shared_model,
)
from postguard.engine.registry import register
from postguard.engine.signals import Signal

if TYPE_CHECKING:
    from postguard.engine.text import Document, Token
    from postguard.school.model import School

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
# Who read the tone, by the cascade stage that settled the post (classifier.py).
TONE_JUDGES = {
    WHOLE_MODEL: "tone model",
    EARLY_EXIT: "tone model's first layers (the cascade's early exit)",
    GATE: "quick tone model (the cascade's gate)",
}

# The Equality Act 2010's protected characteristics, as a head teacher would read them.
CHARACTERISTICS: dict[str, str] = {
    "race": "race or nationality",
    "religion_or_belief": "religion or belief",
    "disability": "disability",
    "sexual_orientation": "sexual orientation",
    "gender_reassignment": "gender reassignment (trans people)",
    "sex": "sex",
    "age": "age",
    "pregnancy_or_maternity": "pregnancy or maternity",
    "marriage_or_civil_partnership": "marriage or civil partnership",
}

OFFENSIVE_THRESHOLD = 0.5
# VADER's compound score runs from -1 to 1; one mildly sad word ("tired", "sorry") stays above
# this, a bad day, a foul mood or an angry sentence falls below it.
NEGATIVE_THRESHOLD = -0.4
NEGATIVE_CLAUSE_THRESHOLD = -0.5

GRADES = {"strong": 0.95, "medium": 0.8, "mild": 0.5}
LEWD_GRADES = {"strong": 0.9, "mild": 0.5}


# --------------------------------------------------------------------------------------------
# The model score
# --------------------------------------------------------------------------------------------

class Scorer(Protocol):
    """An offensive-language model: a probability in [0, 1] for each text."""

    name: str

    def score_many(self, texts: Sequence[str]) -> list[float]: ...


@runtime_checkable
class ExplainingScorer(Scorer, Protocol):
    """A scorer that can also say which words pushed a text's score up, strongest first."""

    def top_terms(self, text: str, limit: int = 3) -> list[str]: ...


# scikit-learn's default token pattern, which the vectorizer in the wheel was fitted with.
_MODEL_WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A TF-IDF vectoriser and calibrated linear SVMs, reduced to what scoring one text needs.

    ``terms`` maps each vocabulary word to its idf and, for every SVM, idf * coefficient, so a
    text's decision values are sums over its few known words instead of a sparse matrix product.
    """

    terms: dict[str, tuple[float, tuple[float, ...]]]
    intercepts: tuple[float, ...]
    calibrators: tuple[tuple[float, float], ...]  # sigmoid (a, b): p = 1 / (1 + exp(a*f + b))


def _expit(z: float) -> float:
    # Written both ways so that exp never overflows for large |z|.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def profanity_check_model() -> LinearModel:
    """The model inside the ``alt-profanity-check`` wheel, loaded once per process.

    The package is not imported (importing it loads the same files again); its data folder is
    found from its spec. Loading needs scikit-learn's classes to unpickle, which takes about a
    second, so it happens on the first post scored, not on import.
    """
    import joblib

    spec = importlib.util.find_spec("profanity_check")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the alt-profanity-check package is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    vectorizer = joblib.load(data / "vectorizer.joblib")
    model = joblib.load(data / "model.joblib")

    # The fast path below reproduces exactly this configuration; refuse anything else rather
    # than silently score differently after an upgrade.
    expected = {"analyzer": "word", "lowercase": True, "norm": "l2", "use_idf": True,
                "sublinear_tf": False, "binary": False, "ngram_range": (1, 1),
                "token_pattern": _MODEL_WORD.pattern, "tokenizer": None, "preprocessor": None,
                "strip_accents": None}
    params = vectorizer.get_params()
    wrong = {k: params.get(k) for k, v in expected.items() if params.get(k) != v}
    if wrong or list(model.classes_) != [0, 1]:
        raise RuntimeError(f"unexpected profanity-check model configuration: {wrong}")
    coefs, intercepts, calibrators = [], [], []
    for member in model.calibrated_classifiers_:
        if member.method != "sigmoid" or len(member.calibrators) != 1:
            raise RuntimeError("unexpected profanity-check calibration")
        coefs.append(member.estimator.coef_[0])
        intercepts.append(float(member.estimator.intercept_[0]))
        calibrators.append((float(member.calibrators[0].a_), float(member.calibrators[0].b_)))
    idf = vectorizer.idf_
    terms = {
        word: (float(idf[index]), tuple(float(idf[index] * coef[index]) for coef in coefs))
        for word, index in vectorizer.vocabulary_.items()
    }
    return LinearModel(terms, tuple(intercepts), tuple(calibrators))


class ProfanityCheckScorer:
    """``profanity_check.predict_prob`` to within rounding, in about 1% of its time per text."""

    name = "alt-profanity-check-1.9.1"

    def __init__(self, model: LinearModel | None = None) -> None:
        self._model = model

    @property
    def model(self) -> LinearModel:
        if self._model is None:
            self._model = profanity_check_model()
        return self._model

    def _counts(self, text: str) -> dict[str, int]:
        terms = self.model.terms
        counts: dict[str, int] = {}
        for word in _MODEL_WORD.findall(text.lower()):
            if word in terms:
                counts[word] = counts.get(word, 0) + 1
        return counts

    def score(self, text: str) -> float:
        model = self.model
        counts = self._counts(text)
        if counts:
            terms = model.terms
            squared = 0.0
            sums = [0.0] * len(model.intercepts)
            for word, count in counts.items():
                idf, weights = terms[word]
                if count == 1:
                    # Most words occur once; map() adds the SVMs' weights in C.
                    squared += idf * idf
                    sums = list(map(add, sums, weights))
                else:
                    squared += (count * idf) ** 2
                    sums = [s + count * w for s, w in zip(sums, weights, strict=True)]
            scale = 1.0 / math.sqrt(squared)
            decisions = [s * scale + b for s, b in zip(sums, model.intercepts, strict=True)]
        else:
            decisions = list(model.intercepts)
        total = 0.0
        for decision, (a, b) in zip(decisions, model.calibrators, strict=True):
            total += _expit(-(a * decision + b))
        return total / len(decisions)

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(text) for text in texts]

    def top_terms(self, text: str, limit: int = 3) -> list[str]:
        """Known words by how much they raise the score (mean weight over the SVMs)."""
        terms = self.model.terms
        pushes = []
        for word, count in self._counts(text).items():
            weights = terms[word][1]
            push = count * sum(weights) / len(weights)
            if push > 0:
                pushes.append((push, word))
        pushes.sort(reverse=True)
        return [word for _, word in pushes[:limit]]


# --------------------------------------------------------------------------------------------
# Lexicons
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a word lexicon (profanity, lewd, slang, slurs)."""

    kind: str
    term: str
    score: float
    grade: str = ""
    characteristic: str | None = None
    not_near: frozenset[str] = frozenset()
    lower_only: bool = False


@dataclass(frozen=True)
class Pattern:
    """One phrase pattern from harassment.yaml, threats.yaml or derogatory_patterns.yaml."""

    source: str
    kinds: tuple[str, ...]
    regex: Any  # re2._Regexp
    score: float
    explain: str
    characteristic: str | None = None
    banter: bool = False
    example: str = ""
    near_misses: tuple[str, ...] = ()
    name_group: int | None = None


@dataclass
class Lexicons:
    exact: dict[str, list[Term]] = field(default_factory=dict)
    prefixes: dict[str, list[Term]] = field(default_factory=dict)  # by first three letters
    phrases: dict[str, list[tuple[tuple[str, ...], Term]]] = field(default_factory=dict)
    swear_forms: dict[int, list[str]] = field(default_factory=dict)  # by length, for f*ck
    patterns: list[Pattern] = field(default_factory=list)
    pattern_set: Any = None  # re2.Set over every pattern


def _parse_entry(line: str) -> tuple[str, list[str], frozenset[str]]:
    """'term | flag | not near: a, b' -> (term, flags, not_near)."""
    parts = [part.strip() for part in line.split("|")]
    flags: list[str] = []
    near: frozenset[str] = frozenset()
    for part in parts[1:]:
        if part.startswith("not near:"):
            near = frozenset(w.strip() for w in part[len("not near:"):].split(",") if w.strip())
        elif part:
            flags.append(part)
    return parts[0].lower(), flags, near


def _lines(path: Path) -> Iterable[str]:
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line


def _add_term(lex: Lexicons, entry: Term, plural: bool = False) -> None:
    words = tuple(entry.term.split())
    forms = {words}
    if plural:
        forms.add((*words[:-1], words[-1] + "s"))
    for form in forms:
        if len(form) > 1:
            lex.phrases.setdefault(form[0], []).append((form, entry))
        elif form[0].endswith("*"):
            stem = form[0][:-1]
            lex.prefixes.setdefault(stem[:3], []).append(entry)
        else:
            lex.exact.setdefault(form[0], []).append(entry)


def _word_lists() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    def load(name: str) -> dict[str, Any]:
        return yaml.safe_load((LEXICONS / name).read_text(encoding="utf-8"))

    return (load("slurs.yaml"), load("harassment.yaml"), load("threats.yaml"),
            load("derogatory_patterns.yaml"))


def _alternation(words: Iterable[str]) -> str:
    # Longest first so that a match covers "waste of space", not just "waste".
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace("\\ ", " ") for w in unique) + ")"


def _macros(slurs: dict[str, Any], harassment: dict[str, Any],
            derogatory: dict[str, Any]) -> dict[str, str]:
    slur_terms = [_parse_entry(e)[0] for terms in slurs.values() for e in terms]
    strong = [*harassment["insults"], *slur_terms]
    groups = [noun for nouns in derogatory["groups"].values() for noun in nouns]
    people = ["parents", "teachers", "staff", "kids", "children", "pupils", "students",
              "governors", "management", "slt", "smt", "leadership", "leadership team",
              "leaders", "mums", "dads", "people", "colleagues", "heads", "office staff",
              "lads", "boys", "girls", "you lot", "them lot", "this lot", *groups]
    person = ["man", "woman", "bloke", "guy", "lad", "girl", "boy", "kid", "child", "teacher",
              "parent", "mum", "dad", "head", "boss", "husband", "wife", "son", "daughter",
              "family", "neighbour", "fella"]
    # An obfuscated f-word ("f***ing") can stand in front of an insult like any intensifier.
    adj = _alternation(harassment["intensifiers"])[:-1] + r"|f\*+\w*)"
    return {
        "you": r"(?:you|u|ya|yous|youse)",
        "you_are": r"(?:you're|you are|you r|u r|u are|ur|ya are|you're such|you really are)",
        "mention": r"@\w+",
        "title_name": r"\b(?:mr|mrs|ms|miss|mx|dr|sir|madam)\.? [a-z][a-z'-]+",
        "name": r"\b(?P<name>[a-z][a-z'-]*(?: [a-z][a-z'-]*)?)",
        "det": r"(?:(?:such|just|nothing but|one|really) )?(?:an? |the )?",
        "adj": rf"(?:{adj}[ ,]+){{0,3}}",
        "strong_insult": _alternation(strong),
        "insult": _alternation([*strong, *harassment["weak_insults"]]),
        "insult_adj": _alternation(harassment["insult_adjectives"]),
        "people": _alternation(people),
        "country": _alternation(derogatory["countries"]),
        "victim": (r"(?:you|u|ya|yourself|him|her|them|@\w+|"
                   r"\b(?:mr|mrs|ms|miss|mx|dr|sir)\.? [a-z][a-z'-]+|"
                   rf"(?:that|this|the|your|ur|his|her|their) (?:{_alternation(person)}|"
                   rf"{_alternation(strong)}))\b"),
        "i_will": (r"(?:i'll|i will|ill|i'm going to|i am going to|i'm gonna|i am gonna|gonna|"
                   r"i'd|i would|we'll|we will|we're going to|we're gonna|he'll|she'll|"
                   r"they'll)"),
    }


def _expand(template: str, macros: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"unknown macro {{{name}}} in lexicon pattern {template!r}")
        return macros[name]

    # An apostrophe in a pattern is optional in the text: "can't" also matches "cant".
    expanded = re.sub(r"\{(\w+)\}", replace, template)
    return re.sub(r"(?<!\\)'", "'?", expanded)


def _re2_options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    # Every pattern sits in one automaton; the default 8 MB is too little for the insult and
    # group alternations together.
    options.max_mem = 256 << 20
    return options


@cache
def lexicons() -> Lexicons:
    """Every lexicon, parsed and compiled once per process."""
    lex = Lexicons()
    for kind, filename, grades in (("profanity", "profanity.txt", GRADES),
                                   ("lewd", "lewd.txt", LEWD_GRADES)):
        for line in _lines(LEXICONS / filename):
            term, flags, near = _parse_entry(line)
            grade = flags[0] if flags else "strong"
            _add_term(lex, Term(kind, term, grades[grade], grade, not_near=near))
    for line in _lines(LEXICONS / "slang.txt"):
        term, flags, near = _parse_entry(line)
        _add_term(lex, Term("slang", term, 0.9, not_near=near, lower_only="lower" in flags))

    slurs, harassment, threats, derogatory = _word_lists()
    for characteristic, entries in slurs.items():
        if characteristic not in CHARACTERISTICS:
            raise ValueError(f"slurs.yaml: unknown characteristic {characteristic!r}")
        for entry in entries:
            term, flags, near = _parse_entry(entry)
            score = 0.6 if "weak" in flags else 0.9
            _add_term(lex, Term("slur", term, score, characteristic=characteristic,
                                not_near=near), plural=True)

    # Full spellings that an asterisk may hide: "f***ing" is matched against "fucking". The
    # strongest word wins a tie ("f***ing" is "fucking", not "fecking").
    forms: dict[str, float] = {}
    for entries in (*lex.exact.values(), *lex.prefixes.values()):
        for entry in entries:
            if entry.kind == "profanity":
                stem = entry.term.rstrip("*")
                suffixes = ("", "ing", "in", "er", "ers", "ed", "s", "y") if (
                    entry.term.endswith("*")) else ("",)
                for suffix in suffixes:
                    forms[stem + suffix] = max(forms.get(stem + suffix, 0.0), entry.score)
    for form in sorted(forms, key=lambda f: (-forms[f], f)):
        lex.swear_forms.setdefault(len(form), []).append(form)

    macros = _macros(slurs, harassment, derogatory)
    raw: list[tuple[str, dict[str, Any], tuple[str, ...], str | None, dict[str, str]]] = []
    for item in harassment["patterns"]:
        raw.append(("harassment", item, tuple(item["signals"]), None, macros))
    for item in threats["patterns"]:
        raw.append(("threats", item, ("threat",), None, macros))
    for item in derogatory["patterns"]:
        if item.get("characteristic"):
            raw.append(("derogatory_patterns", item, ("discriminatory",),
                        item["characteristic"], macros))
            continue
        # A {group} template becomes one pattern per characteristic, so that a match says
        # which characteristic it was about.
        for characteristic, nouns in derogatory["groups"].items():
            raw.append(("derogatory_patterns", item, ("discriminatory",), characteristic,
                        macros | {"group": _alternation(nouns)}))

    options = _re2_options()
    pattern_set = re2.Set.SearchSet(options)
    for source, item, kinds, about, these in raw:
        if about is not None and about not in CHARACTERISTICS:
            raise ValueError(f"{source}.yaml: unknown characteristic {about!r}")
        expanded = _expand(item["pattern"], these)
        regex = re2.compile(expanded, options)
        index = pattern_set.Add(expanded)
        assert index == len(lex.patterns)
        lex.patterns.append(Pattern(
            source=source, kinds=kinds, regex=regex, score=float(item["score"]),
            explain=item["explain"], characteristic=about,
            banter=bool(item.get("banter")), example=item.get("example", ""),
            near_misses=tuple(item.get("not", ())),
            name_group=regex.groupindex.get("name"),
        ))
    pattern_set.Compile()
    lex.pattern_set = pattern_set
    return lex


# --------------------------------------------------------------------------------------------
# Context: targets, condemnation, banter
# --------------------------------------------------------------------------------------------

SECOND_PERSON = frozenset({"you", "your", "you're", "youre", "yours", "yourself", "yourselves",
                           "u", "ur", "ya", "y'all", "yall", "youse"})
# "you" in these is courtesy, not aim: "thank you so fucking much".
COURTESY_BEFORE_YOU = frozenset({"thank", "thanks", "see", "love", "miss", "bless", "of",
                                 "to", "cheers", "done", "with"})
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam"})
THIRD_PERSON = frozenset({"he's", "she's", "hes", "shes", "they're"})
COPULA = frozenset({"is", "was", "are", "were", "has", "needs", "should"})
DETERMINERS = frozenset({"these", "those", "the", "that", "this", "all", "some"})
PEOPLE_NOUNS = frozenset({
    "parents", "parent", "teachers", "teacher", "staff", "kids", "kid", "children", "child",
    "pupils", "students", "governors", "management", "slt", "mums", "dads", "mum", "dad",
    "people", "colleagues", "head", "woman", "man", "women", "men", "bloke", "guy", "lad",
    "girl", "boy", "lot", "family", "neighbour", "neighbours", "ref", "referee",
})
# Capitalised words that begin a sentence or a title but are not anyone's name.
NOT_NAMES = frozenset({
    "this", "that", "it", "it's", "he", "she", "they", "we", "i", "you", "today", "tonight",
    "tomorrow", "yesterday", "life", "there", "here", "what", "which", "who", "everything",
    "everyone", "everybody", "nobody", "someone", "something", "work", "school", "ofsted",
    "dfe", "government", "council", "slt", "god", "christmas", "easter", "english", "maths",
    "science", "year", "class", "term", "twitter", "facebook", "instagram", "tiktok", "honestly",
    "seriously", "literally", "and", "but", "so", "oh", "well", "the", "a", "my", "our",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "marking", "homework", "traffic", "weather", "brexit", "reality",
})

# Reported speech that ends right before the word: "called another child a '", "the word ".
_REPORT_FRAME = re.compile(
    r"(?:\bthe (?:word|words|term|phrase|n-word|insult|slur|expression)|\bcall(?:ed|ing|s)?"
    r"|\bsa(?:id|y|ying|ys)|\bshout(?:ed|ing|s)?|\bus(?:ed|ing|e|es)|\bwr(?:ote|itten|iting)"
    r"|\bheard|\brepeat(?:ed|ing)?|\btold (?:me|him|her|them|us|another \w+|a \w+) to)"
    r"(?: (?:him|her|them|me|us|another \w+|other \w+|a \w+|the \w+|a fellow \w+|his \w+"
    r"|her \w+|their \w+|my \w+))?(?: (?:an?|the))?[\s\"'“‘:,]*$")
_CONDEMNATION = re.compile(
    r"\b(?:not (?:acceptable|ok|okay|on|tolerated|welcome|funny)|unacceptable|no place"
    r"|never (?:acceptable|ok|okay)|won'?t (?:be )?tolerated?|will not (?:be )?tolerated?"
    r"|not be tolerated|zero tolerance|report(?:ed|ing)?|sanction(?:ed|s)?|challeng(?:ed|e|ing)"
    r"|racis[mt]|homophobi[ac]|transphobi[ac]|biphobi[ac]|ableis[mt]|sexis[mt]|misogyn\w*"
    r"|hate (?:crime|speech|incident)|hateful|disgraceful|appall?(?:ed|ing)|shock(?:ed|ing)"
    r"|wrong|hurtful|offensive|slurs?|discriminat\w+|inappropriate|banned|called out"
    r"|educat\w+|conversation about|talked about why|upsett?(?:ing)?|stamp (?:it|this) out)\b")
_SPORT = re.compile(
    r"\b(?:match|matches|game|games|fixture|derby|league|cup|final|semi-final|semis|kick-?off"
    r"|pitch|goals?|team|squad|season|tournament|netball|rugby|football|footy|hockey|cricket"
    r"|rounders|quiz|sports day|opponents|rivals|lads|fc|utd|united|city|rovers|town"
    r"|wanderers|athletic|saturday|sunday|play-?offs?|u1\d|under[- ]1\d|score|scored)\b")
# Teaching children to stay safe names what it warns against: "the dangers of sexting".
_SAFETY_TEACHING = re.compile(
    r"\b(?:e-?safety|online safety|internet safety|staying safe|keep(?:ing)? (?:children|kids|"
    r"pupils|yourself|themselves) safe|safeguarding|rse|pshe|relationships education|sex "
    r"education|dangers?|risks?|harms?|awareness|assembly|workshop|lesson|curriculum|police|"
    r"report(?:ing)?|ceop|nspcc|childline)\b")
_OBFUSCATED = re.compile(r"\b[a-z]+\*+[a-z*]*")


def _key(token: Token) -> str:
    return token.lower.lstrip("#").replace("’", "'")


def _capitalised_run(text: str) -> tuple[int, str] | None:
    """The trailing run of capitalised words in ``text``, with its offset, or None."""
    words = list(re.finditer(r"[^\s]+", text))
    run: list[re.Match[str]] = []
    for word in reversed(words):
        if not word.group()[:1].isupper():
            break
        run.insert(0, word)
    while run and run[0].group().lower() in NOT_NAMES:
        run.pop(0)
    if not run:
        return None
    return run[0].start(), text[run[0].start():run[-1].end()]


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    start: int
    end: int
    score: float
    explanation: str
    data: dict[str, Any]
    abuse: bool = True  # may be quoted to condemn it (everything except slang)
    phrase: bool = False  # from a pattern rather than a word list


# --------------------------------------------------------------------------------------------
# Tone
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ToneBounds:
    """The most negative VADER sums a text could reach (see ``Tone.analyse``)."""

    whole: float  # for the whole text
    clauses: tuple[tuple[int, int, float], ...]  # (start, end, bound) of each clause alone

    def whole_may_be_negative(self, threshold: float = NEGATIVE_THRESHOLD) -> bool:
        return self.whole >= _sum_for(threshold)

    def clauses_that_may_be_negative(
            self, threshold: float = NEGATIVE_CLAUSE_THRESHOLD) -> list[tuple[int, int]]:
        needed = _sum_for(threshold)
        return [(start, end) for start, end, bound in self.clauses if bound >= needed]


class Tone:
    """VADER, with a cheap test that rules out most posts before VADER's ~100 µs run.

    VADER sums word valences, scales them (boosters, capitals, "but", negation), adds
    punctuation emphasis and squashes the sum into [-1, 1]. ``analyse`` adds up the most
    negative sum those rules could make from a post's words, less what its plainly positive
    words must add back; when that stays above the threshold, VADER cannot reach it and is
    not run. The test is checked against VADER itself on generated texts in the tests.
    """

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import (
            BOOSTER_DICT,
            NEGATE,
            SentimentIntensityAnalyzer,
        )

        self.analyzer = SentimentIntensityAnalyzer()
        # Numbers in VADER's lexicon are American slang ("86", "187"); in a school's posts
        # they are house numbers, dates and scores.
        for word in [w for w in self.analyzer.lexicon if w.isdigit()]:
            del self.analyzer.lexicon[word]
        for line in _lines(LEXICONS / "negativity_uk.txt"):
            word, flags, _ = _parse_entry(line)
            self.analyzer.lexicon[word] = float(flags[0])
        self.valence: dict[str, float] = dict(self.analyzer.lexicon)
        self.negations = frozenset({*NEGATE, "least", "no"})
        self.boosters = frozenset(BOOSTER_DICT)
        self.dampeners = frozenset(w for w, v in BOOSTER_DICT.items() if v < 0)
        self.emoticons = {word: abs(value) for word, value in self.valence.items()
                          if not word.isalnum()}
        self.emoticon_keys = frozenset(w.lower() for w in self.emoticons)
        self.emojis: dict[str, str] = dict(self.analyzer.emojis)
        # Words that analyse must look at; any other word changes nothing.
        self.notable = frozenset(
            {*self.valence, *self.boosters, *self.negations, *self.emoticon_keys, "but"})
        # Words without which no text can come out negative ("yeah" for "yeah right").
        self.triggers = frozenset(
            {w for w, v in self.valence.items() if v < 0} | self.negations | {"yeah"})

    def prepare(self, text: str) -> str:
        """The text as VADER should read it: names it would score and idioms of success
        blanked out.

        VADER reads words, not names or idioms: "Dick Whittington" is not rude, "Grace" is
        not a feeling and "Year 6 killed it" is praise. Blanks keep the length, so offsets
        into the post still hold.
        """
        cuts = [match.span() for match in _NAME_INSIDE_SENTENCE.finditer(text)
                if match.group().lower() in self.valence]
        cuts.extend(match.span() for match in _SUCCESS_IDIOMS.finditer(text))
        if not cuts:
            return text
        chars = list(text)
        for start, end in cuts:
            chars[start:end] = " " * (end - start)
        return "".join(chars)

    def compound(self, prepared: str) -> float:
        """VADER's compound score, from -1 to 1, of a text returned by ``prepare``."""
        return float(self.analyzer.polarity_scores(prepared)["compound"])

    def cannot_be_negative(self, text: str) -> bool:
        """True when the text has no negative word, negation or emoticon: then nothing can
        make VADER negative. Taking words out (``prepare``) cannot change that."""
        low = text.lower()
        return (text.isascii() and "n't" not in low
                and self.triggers.isdisjoint(_WORDISH.findall(low))
                and self.emoticon_keys.isdisjoint(low.split()))

    def analyse(self, prepared: str) -> ToneBounds:
        """How negative VADER could find the text, and each of its clauses on its own.

        For the whole text: the most negative sum VADER's rules could make of its words, less
        what its plainly positive words must add back. For each clause (cut at , ; : . ! ?
        and new lines; a line with an emoji is one clause): the most negative sum alone,
        since VADER run on a clause does not see the rest. Words are split as VADER splits
        them (on white space, outer punctuation stripped, an emoji read as its description),
        so that "three words after a negation" counts the same words; words that punctuation
        joins ("idiot...honestly") are cut apart as a clause would cut them.
        """
        if self.cannot_be_negative(prepared):
            return ToneBounds(0.0, ())
        valence, boosters, emoticons = self.valence, self.boosters, self.emoticons
        negations, notable = self.negations, self.notable
        total = positive = 0.0
        text_but = False
        keys: list[str] = []
        last_negation = last_dampener = -10
        boosts: list[tuple[int, float]] = []  # (position, how much it can add)
        clauses: list[tuple[int, int, float]] = []
        line_start = 0
        for line in prepared.split("\n"):
            exact = line.isascii()  # offsets hold unless emoji descriptions were put in
            text = line if exact else self._without_emoji(line)
            joined = _JOINED.search(text) is not None
            clause = _OpenClause(prepared, line_start, clauses if exact else None)
            line_sum = 0.0
            line_but = False
            at = 0
            for token in text.split():
                at = text.find(token, at)
                parts = _cut_joined(token) if joined else [(token, 0)]
                for n, (part, part_at) in enumerate(parts):
                    if n or part[:1] in _DELIMITERS:
                        clause.close()
                    clause.extend(at + part_at, at + part_at + len(part))
                    # As VADER's SentiText: outer punctuation goes unless that leaves two
                    # letters or fewer ("no." stays "no."). A clause on its own loses it,
                    # so the negative sums take the worse of the two.
                    stripped = part.strip(_PUNCTUATION)
                    bare = stripped.lower()
                    word = part if len(stripped) <= 2 else stripped
                    key = word.lower() if word is part else bare
                    i = len(keys)
                    keys.append(key)
                    if (key not in notable and bare not in notable and "n't" not in key
                            and "n’t" not in key and len(parts) == 1):
                        # Most words carry no sentiment and change nothing around them.
                        if _ends_clause(part):
                            clause.close()
                        continue
                    shouted = len(word) > 1 and word.isupper()
                    down = 0.0
                    if n == 0 and len(parts) > 1:
                        # An emoticon stuck to a word ("lol:(") is lost by the cut.
                        down += emoticons.get(_vader_word(token), 0.0)
                    if key in boosters:
                        # A booster is not scored itself but strengthens (a dampener weakens)
                        # each sentiment word among the next three, more so in capitals.
                        boosts.append((i, 0.293 + (0.733 if shouted else 0.0)))
                        if key in self.dampeners:
                            last_dampener = i
                    else:
                        value = valence.get(key)
                        if value is None and word is part and stripped:
                            value = valence.get(bare)
                            if value is not None:
                                value = -abs(value)  # counted as negative, never added back
                        if value is None:
                            down += emoticons.get(word, 0.0)  # a happy one can be negated
                        elif value < 0 or i - last_negation <= 5:
                            # VADER negates up to three words on (two more allow for cut
                            # words), and strengthens a word after "so" or "this" by 1.25, up
                            # to twice, one in capitals and one after a booster.
                            value = abs(value) * (0.74 if value > 0 else 1.0) + (
                                0.733 if shouted else 0.0)
                            if boosts:
                                value += sum(boost for j, boost in boosts if i - j <= 3)
                            if (i and keys[i - 1] in ("so", "this")) or (
                                    i > 1 and keys[i - 2] in ("so", "this")):
                                value *= 1.5625
                            down += value
                        elif (i - last_dampener > 3 and key not in _IDIOM_WORDS
                              and key != "kind" and len(parts) == 1 and key.isalpha()):
                            # Halved: "but" may halve what comes before it. Not emoticons,
                            # which a clause can cut in two.
                            positive += 0.5 * value
                        if key in negations or "n't" in key or "n’t" in key or (
                                word is part and bare in negations):
                            last_negation = i
                    if bare == "but":
                        clause.but = line_but = text_but = True
                    total += down
                    clause.down += down
                    line_sum += down
                    if _ends_clause(part):
                        clause.close()
                at += len(token)
            clause.close()
            if not exact:
                clauses.append((line_start, line_start + len(line), _emphasis(
                    line_sum * (1.5 if line_but else 1.0), line)))
            line_start += len(line) + 1
        if text_but:
            total *= 1.5
        if "yeah" in keys and "right" in keys:
            # VADER's special case "yeah right", wherever it falls.
            total += 2.0
            clauses = [(start, end, bound + 2.0) for start, end, bound in clauses]
        return ToneBounds(_emphasis(total, prepared) - positive, tuple(clauses))

    def _without_emoji(self, text: str) -> str:
        # Exactly as VADER does it, joins included: "🤣What" becomes "...laughingWhat".
        out: list[str] = []
        prev_space = True
        for char in text:
            if char in self.emojis:
                out.append(("" if prev_space else " ") + self.emojis[char])
                prev_space = False
            else:
                out.append(char)
                prev_space = char == " "
        return "".join(out)


def _sum_for(threshold: float) -> float:
    """The valence sum that VADER squashes to ``threshold``: x / sqrt(x^2 + 15) = |t|."""
    t = abs(threshold)
    return t * math.sqrt(15) / math.sqrt(1 - t * t)


_JOINED = re.compile(r"(?<=\w)[,;:.!?]+(?=[^\s,;:.!?])")


class _OpenClause:
    """The clause being read in ``Tone.analyse``; closing it records its span and bound."""

    __slots__ = ("but", "clauses", "down", "end", "line_start", "start", "text")

    def __init__(self, text: str, line_start: int,
                 clauses: list[tuple[int, int, float]] | None) -> None:
        self.text, self.line_start = text, line_start
        self.clauses = clauses  # None where offsets do not hold (a line with an emoji)
        self.start: int | None = None
        self.end = 0
        self.down = 0.0
        self.but = False

    def extend(self, start: int, end: int) -> None:
        if self.start is None:
            self.start = start
        self.end = end

    def close(self) -> None:
        if self.start is not None and self.clauses is not None:
            start, end = self.line_start + self.start, self.line_start + self.end
            self.clauses.append((start, end, _emphasis(
                self.down * (1.5 if self.but else 1.0), self.text[start:end])))
        self.start, self.down, self.but = None, 0.0, False


def _cut_joined(token: str) -> list[tuple[str, int]]:
    """A white-space word cut where punctuation joins two words, with each part's offset."""
    parts: list[tuple[str, int]] = []
    at = 0
    for match in _JOINED.finditer(token):
        parts.append((token[at:match.start()], at))
        at = match.end()
    parts.append((token[at:], at))
    return parts


def _ends_clause(part: str) -> bool:
    """Whether a word ends with clause punctuation, perhaps inside quotes ("day.')")."""
    last = part[-1:]
    return last in _DELIMITERS or (last in _CLOSERS and part.rstrip(_CLOSERS)[-1:]
                                   in _DELIMITERS)


def _emphasis(bound: float, text: str) -> float:
    """A bound plus what VADER adds for exclamation and question marks."""
    return bound + min(text.count("!"), 4) * 0.292 + (0.96 if text.count("?") > 1 else 0.0)
_DELIMITERS = frozenset(",;:.!?")  # where clauses end
_CLOSERS = "\"')]}'’”"
_PUNCTUATION = string.punctuation
_WORDISH = re.compile(r"\w+(?:'\w+)*")


def _vader_word(token: str) -> str:
    # As VADER's SentiText: outer punctuation goes unless that leaves two letters or fewer.
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


# Words whose valence VADER replaces inside an idiom ("kiss of death", "yeah right").
_IDIOM_WORDS = frozenset({"kiss", "yeah", "right", "heart", "beating", "die", "bomb", "shit",
                          "ass", "bad"})
# Names (capitalised words inside a sentence) and idioms of success, for Tone.prepare.
_NAME_INSIDE_SENTENCE = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+(?:[-'][A-Za-z]+)*\b")
_SUCCESS_IDIOMS = re.compile(
    r"\b(?:kill|killed|killing|smash|smashed|smashing|nail|nailed|nailing|crush|crushed"
    r"|crushing|bossed|bossing|slay|slayed|slaying|ace|aced|acing) it\b|\bcould murder an?\b",
    re.IGNORECASE)


@cache
def tone() -> Tone:
    return Tone()


# --------------------------------------------------------------------------------------------
# The detector
# --------------------------------------------------------------------------------------------

class TrainedScorer:
    """The trained classifiers as a Scorer: offensive for the protocol, every head on request."""

    name = "postguard-minilm-multitask"

    def __init__(self, model: LanguageModel) -> None:
        self.model = model

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [heads.offensive for heads in self.model.score_many(texts)]

    def heads_many(self, texts: Sequence[str]) -> list[HeadScores]:
        return self.model.score_many(texts)


def default_scorer() -> Scorer:
    """The trained classifiers where they ship and are not switched off."""
    if os.environ.get("POSTGUARD_CLASSIFIERS", "on").lower() != "off" and model_available():
        return TrainedScorer(shared_model())
    return ProfanityCheckScorer()


@register
class LanguageDetector(Detector):
    name = "language"
    version = "1"
    emits = (
        "language.offensive", "language.profanity", "language.insult", "language.threat",
        "language.lewd", "language.discriminatory", "language.slur", "language.harassment",
        "language.negative", "language.slang", "language.quoted_to_condemn",
    )

    def __init__(self, school: School, scorer: Scorer | None = None) -> None:
        super().__init__(school)
        self.scorer: Scorer = scorer or default_scorer()
        self.lexicons = lexicons()
        names: set[str] = set()
        for person in school.everyone:
            for name in (person.name, *person.nicknames):
                names.add(name.lower())
                names.update(part.lower() for part in name.split())
        self.roster_names = frozenset(names)
        # Tagging the school's own account in a post is not aiming anything at anyone.
        self.own_handles = frozenset(h.lower() for h in school.handles if h.startswith("@"))

    def detect(self, doc: Document) -> list[Signal]:
        return self.detect_many([doc])[0]

    def detect_many(self, docs: Sequence[Document]) -> list[list[Signal]]:
        texts = [doc.text for doc in docs]
        if isinstance(self.scorer, TrainedScorer):
            heads: list[HeadScores | None] = list(self.scorer.heads_many(texts))
            scores = [h.offensive for h in heads if h is not None]
        else:
            scores = self.scorer.score_many(texts)
            heads = [None] * len(docs)
        return [self._detect(doc, score, head)
                for doc, score, head in zip(docs, scores, heads, strict=True)]

    # The pipeline for one post ----------------------------------------------------------

    def _detect(self, doc: Document, score: float, heads: HeadScores | None = None
                ) -> list[Signal]:
        doc.scores["offensive"] = score
        if heads is not None:
            doc.scores.update(heads.as_scores())
        text = doc.text.replace("’", "'")  # same length: offsets stay valid
        keys = [_key(token) for token in doc.tokens]
        hits = self._word_hits(doc, keys)
        if "*" in text:
            hits.extend(self._obfuscated_hits(doc))
        hits.extend(self._pattern_hits(doc, text))

        signals: list[Signal] = []
        condemned: list[Hit] = []
        for hit in hits:
            if hit.kind == "lewd" and self._safety_teaching(doc, hit):
                continue
            if hit.abuse and self._condemned(doc, hit):
                condemned.append(hit)
            else:
                signals.append(self.signal(f"language.{hit.kind}", hit.score, hit.explanation,
                                           hit.start, hit.end, **hit.data))
        seen: set[tuple[int, int]] = set()
        for hit in condemned:
            start, end = _quote_around(doc, hit.start, hit.end)
            if (start, end) in seen:
                continue
            seen.add((start, end))
            quoted = doc.text[start:end]
            signals.append(self.signal(
                "language.quoted_to_condemn", 0.9,
                f"'{quoted}' is quoted in order to condemn it, not used as abuse",
                start, end, **(hit.data | {"term": quoted, "was": hit.kind})))

        if score >= OFFENSIVE_THRESHOLD:
            offensive = self._offensive(doc, score, condemned, signals, heads)
            if offensive is not None:
                signals.append(offensive)
        if heads is not None:
            signals.extend(self._model_signals(doc, heads, condemned, signals))
        # The model judges the whole post, VADER its most negative clause too ("foul mood all
        # day, glad to be home"): either is enough.
        negative = self._negative(doc)
        if heads is not None and heads.negative >= OFFENSIVE_THRESHOLD:
            negative = self._model_negative(doc, heads, negative)
        if negative is not None:
            signals.append(negative)
        doc.scores["threat"] = max((s.score for s in signals if s.kind == "language.threat"),
                                   default=0.0)
        return _dedupe(signals)

    # What only the trained classifiers can say -------------------------------------------

    def _model_signals(self, doc: Document, heads: HeadScores, condemned: list[Hit],
                       signals: list[Signal]) -> list[Signal]:
        found: list[Signal] = []
        kinds = {signal.kind for signal in signals}
        start, end = _strip(doc.text, 0, len(doc.text))
        if (heads.hate >= OFFENSIVE_THRESHOLD and not condemned
                and not kinds & {"language.discriminatory", "language.slur"}):
            found.append(self.signal(
                "language.discriminatory", heads.hate,
                f"The hate-speech model scores this {heads.hate:.2f}: it reads as hostile to "
                "people because of who they are (a protected characteristic)", start, end,
                model=self.scorer.name, characteristic="unspecified"))
        if (heads.targeted_insult >= OFFENSIVE_THRESHOLD
                and not kinds & {"language.insult", "language.harassment"}):
            target = self._target(doc, start, end)
            if target is not None:
                found.append(self.signal(
                    "language.insult", heads.targeted_insult,
                    f"The language model scores this {heads.targeted_insult:.2f} as an insult "
                    f"aimed at someone ('{target}', {heads.target or 'unclear'})", start, end,
                    model=self.scorer.name, target=target, target_kind=heads.target))
        return found

    def _model_negative(self, doc: Document, heads: HeadScores,
                        pointed: Signal | None) -> Signal:
        """The model judges the whole post; VADER, where it agrees, points at the sentence."""
        start, end = (pointed.start, pointed.end) if pointed is not None else _strip(
            doc.text, 0, len(doc.text))
        judge = TONE_JUDGES[heads.stage]
        return self.signal(
            "language.negative", heads.negative,
            f"The {judge} scores this {heads.negative:.2f} negative; this is mood, not abuse",
            start, end, model=self.scorer.name)

    # Word lexicons ------------------------------------------------------------------------

    def _word_hits(self, doc: Document, keys: list[str]) -> list[Hit]:
        lex = self.lexicons
        tokens = doc.tokens
        hits: list[Hit] = []
        for i, key in enumerate(keys):
            found: list[tuple[Term, int]] = [(t, i) for t in lex.exact.get(key, ())]
            for entry in lex.prefixes.get(key[:3], ()):
                if key.startswith(entry.term[:-1]):
                    found.append((entry, i))
            for words, entry in lex.phrases.get(key, ()):
                if tuple(keys[i:i + len(words)]) == words:
                    found.append((entry, i + len(words) - 1))
            for entry, last in found:
                if entry.not_near and ((i > 0 and keys[i - 1] in entry.not_near) or (
                        last + 1 < len(keys) and keys[last + 1] in entry.not_near)):
                    continue
                if entry.lower_only and any(t.text != t.lower for t in tokens[i:last + 1]):
                    continue
                hits.append(_term_hit(entry, tokens[i].start, tokens[last].end,
                                      doc.text[tokens[i].start:tokens[last].end]))
        return hits

    def _obfuscated_hits(self, doc: Document) -> list[Hit]:
        hits = []
        for match in _OBFUSCATED.finditer(doc.lower):
            masked = match.group()
            pattern = re.compile(re.escape(masked).replace(r"\*", "."))
            for form in self.lexicons.swear_forms.get(len(masked), ()):
                if pattern.fullmatch(form):
                    hits.append(Hit("profanity", match.start(), match.end(), 0.8,
                                    f"'{doc.text[match.start():match.end()]}' is swearing "
                                    f"with letters starred out ({form})",
                                    {"term": form, "grade": "medium"}))
                    break
        return hits

    # Phrase patterns ----------------------------------------------------------------------

    def _pattern_hits(self, doc: Document, text: str) -> list[Hit]:
        lex = self.lexicons
        matched = lex.pattern_set.Match(text)
        if not matched:
            return []
        hits = []
        for index in sorted(matched):
            pattern = lex.patterns[index]
            for match in pattern.regex.finditer(text):
                start, end = match.start(), match.end()
                group = pattern.name_group
                if group is not None and match.group(group):
                    name_start = self._valid_name(doc, match, group)
                    if name_start is None:
                        continue
                    if match.start(group) == start:
                        # "honestly Dave is ..." matched from "honestly"; the name is "Dave".
                        start = name_start
                while start < end and not (text[start].isalnum() or text[start] in "@#"):
                    start += 1  # a pattern may begin at the end of the previous sentence
                if pattern.banter and self._banter(doc, text[start:end]):
                    continue
                phrase = doc.text[start:end]
                explanation = pattern.explain.replace("{match}", phrase)
                data: dict[str, Any] = {"pattern": f"{pattern.source}#{index}"}
                if pattern.characteristic:
                    label = CHARACTERISTICS[pattern.characteristic]
                    explanation = explanation.replace("{characteristic}", label)
                    data["characteristic"] = pattern.characteristic
                for kind in pattern.kinds:
                    hits.append(Hit(kind, start, end, pattern.score, explanation, data,
                                    phrase=True))
        return hits

    def _valid_name(self, doc: Document, match: Any, group: int) -> int | None:
        """Where a matched name really starts, or None if it is not a person's name.

        Patterns match names case-insensitively; here the original text decides: the name is
        the capitalised words at the end of the group, and a lone capitalised word at the start
        of a sentence counts only if it is someone on the roster ("Marking is a joke").
        """
        start, end = match.span(group)
        run = _capitalised_run(doc.text[start:end])
        if run is None:
            return None
        offset, name = run
        name_start = start + offset
        lowered = name.lower()
        if lowered in self.roster_names or " " in name:
            return name_start
        if name_start in doc.sentence_starts:
            return None
        return name_start

    @staticmethod
    def _banter(doc: Document, phrase: str) -> bool:
        """Fighting talk about a match ("we'll destroy them on Saturday") is not a threat."""
        words = phrase.lower().split()
        ours = words[0] in ("we'll", "well", "we", "we're", "were")
        theirs = words[-1] in ("them", "you", "u")
        return (ours or theirs) and _SPORT.search(doc.lower) is not None

    # Quoting to condemn -------------------------------------------------------------------

    def _condemned(self, doc: Document, hit: Hit) -> bool:
        """Whether the words are mentioned in order to condemn them rather than used.

        A word is mentioned when it is quoted or named in reported speech ("called him a",
        "the word"); it is condemned when the post also disapproves ("not acceptable",
        "reported", "racist"), or when it is both quoted and reported. A whole phrase (an
        insult, a threat) must be in quotes: "he said I'll kill you" may be the poster's own.
        """
        quoted = doc.in_quotes(hit.start, hit.end)
        if hit.phrase and not quoted:
            return False
        sentence_start, _ = doc.sentence_around(hit.start, hit.end)
        before = doc.lower[max(sentence_start, hit.start - 80):hit.start]
        reported = _REPORT_FRAME.search(before) is not None
        if not (quoted or reported):
            return False
        return (quoted and reported) or _CONDEMNATION.search(doc.lower) is not None

    @staticmethod
    def _safety_teaching(doc: Document, hit: Hit) -> bool:
        start, end = doc.sentence_around(hit.start, hit.end)
        return _SAFETY_TEACHING.search(doc.lower, start, end) is not None

    # The model, aimed at someone ----------------------------------------------------------

    def _offensive(self, doc: Document, score: float, condemned: list[Hit],
                   signals: list[Signal], heads: HeadScores | None = None) -> Signal | None:
        if condemned:
            # Judge the post without the words it condemns; the reported score stays the
            # model's own.
            blanked = list(doc.text)
            for hit in condemned:
                blanked[hit.start:hit.end] = " " * (hit.end - hit.start)
            score = self.scorer.score_many(["".join(blanked)])[0]
            if score < OFFENSIVE_THRESHOLD:
                return None
        # The target must be in the offensive sentence itself: in "What a shambles, absolute
        # shite. Don't tell your mum..." the swearing is not aimed at "your mum". The trained
        # classifiers have a head for exactly that (is it aimed at someone?), which saves
        # scoring each sentence again.
        sentences = list(_sentences(doc.text))
        if heads is not None:
            if heads.targeted_insult < OFFENSIVE_THRESHOLD:
                return None
            start, end = _strip(doc.text, 0, len(doc.text))
        elif len(sentences) > 1:
            scores = self.scorer.score_many([doc.text[a:b] for a, b in sentences])
            best = max(range(len(sentences)), key=scores.__getitem__)
            if scores[best] < OFFENSIVE_THRESHOLD:
                return None
            start, end = sentences[best]
        else:
            start, end = _strip(doc.text, 0, len(doc.text))
        target = self._target(doc, start, end)
        if target is None:
            return None
        terms = self.scorer.top_terms(doc.text[start:end]) if isinstance(
            self.scorer, ExplainingScorer) else []
        abusive = any(s.kind in ("language.insult", "language.harassment", "language.slur",
                                 "language.threat", "language.discriminatory")
                      for s in signals)
        if not abusive and self._positive(doc.text[start:end]):
            # "You absolute legends, so fucking proud": swearing at someone, not abuse.
            return None
        weighing = ", ".join(f"'{term}'" for term in terms[:2])
        driven = f" (the words weighing most: {weighing})" if terms else ""
        return self.signal(
            "language.offensive", score,
            f"The offensive-language model scores this {score:.2f}{driven}, and it is aimed "
            f"at someone ('{target}')", start, end,
            model=self.scorer.name, terms=terms, target=target)

    def _target(self, doc: Document, start: int, end: int) -> str | None:
        tokens = [t for t in doc.tokens if start <= t.start and t.end <= end]
        keys = [_key(t) for t in tokens]
        for i, (token, key) in enumerate(zip(tokens, keys, strict=True)):
            previous = keys[i - 1] if i else ""
            following = keys[i + 1] if i + 1 < len(keys) else ""
            if key in SECOND_PERSON and previous not in COURTESY_BEFORE_YOU:
                return token.text
            if key.startswith("@") and len(key) > 1 and key not in self.own_handles:
                return token.text
            if key in TITLES and i + 1 < len(tokens) and tokens[i + 1].is_capitalised:
                return f"{token.text} {tokens[i + 1].text}"
            if key in THIRD_PERSON or (key in ("he", "she", "they") and following in COPULA):
                return token.text
            if token.is_capitalised and key in self.roster_names and key not in NOT_NAMES:
                return token.text
            if key in PEOPLE_NOUNS and previous in DETERMINERS:
                return f"{tokens[i - 1].text} {token.text}"
        return None

    @staticmethod
    def _positive(sentence: str) -> bool:
        judge = tone()
        return judge.compound(judge.prepare(sentence)) >= 0.3

    # Tone ---------------------------------------------------------------------------------

    def _negative(self, doc: Document) -> Signal | None:
        """Negative mood, from VADER, for the post or its most negative clause."""
        judge = tone()
        if judge.cannot_be_negative(doc.text):
            return None
        prepared = judge.prepare(doc.text)
        bounds = judge.analyse(prepared)
        candidates = bounds.clauses_that_may_be_negative() if len(bounds.clauses) > 1 else []
        whole_may = bounds.whole_may_be_negative()
        if not (whole_may or candidates):
            return None
        # A post can be mixed ("foul mood all day, glad to be home"): its most negative
        # clause counts, and is the evidence. A clause is held to a stricter bar than the
        # post, so that one warning in a helpful post ("it is dangerous for children") is
        # not a negative tone.
        worst = judge.compound(prepared) if whole_may else 0.0
        span: tuple[int, int] | None = None
        if worst > NEGATIVE_THRESHOLD:
            for start, end in candidates:
                value = judge.compound(prepared[start:end])
                if value < worst and value <= NEGATIVE_CLAUSE_THRESHOLD:
                    worst, span = value, (start, end)
        if worst > NEGATIVE_THRESHOLD:
            return None
        if span is None:
            # The post as a whole is negative: point at the sentence of its most negative
            # word, a negated positive one included ("not impressed").
            heaviest, last_negation = 0.0, -10
            for i, token in enumerate(doc.tokens):
                key = _key(token)
                value = judge.valence.get(key, 0.0)
                weight = -value if value < 0 else (0.74 * value if i - last_negation <= 3
                                                   else 0.0)
                if weight > heaviest and prepared[token.start:token.end].strip():
                    heaviest, span = weight, (token.start, token.end)
                if key in judge.negations or "n't" in key:
                    last_negation = i
        # The evidence is the whole sentence, which reads better than a clause.
        start, end = _strip(doc.text, *doc.sentence_around(*span)) if span else _strip(
            doc.text, 0, len(doc.text))
        return self.signal(
            "language.negative", min(1.0, -worst),
            f"The tone is negative (sentiment {worst:.2f} on a scale from -1 to 1); this is "
            "mood, not abuse", start, end, compound=round(worst, 4))


def _term_hit(entry: Term, start: int, end: int, written: str) -> Hit:
    data: dict[str, Any] = {"term": entry.term.rstrip("*")}
    if entry.kind == "slur":
        assert entry.characteristic is not None
        data["characteristic"] = entry.characteristic
        label = CHARACTERISTICS[entry.characteristic]
        explanation = f"'{written}' is a slur about {label}"
    elif entry.kind == "profanity":
        data["grade"] = entry.grade
        explanation = (f"'{written}' is mild bad language" if entry.grade == "mild"
                       else f"'{written}' is swearing")
    elif entry.kind == "lewd":
        explanation = (f"'{written}' is sexually suggestive" if entry.grade == "mild"
                       else f"'{written}' is sexually explicit")
    else:
        explanation = f"'{written}' is slang or text-speak"
    return Hit(entry.kind, start, end, entry.score, explanation, data,
               abuse=entry.kind != "slang")


def _quote_around(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The short quotation a condemned word sits in ("'fuck off'"), else the word itself."""
    for q_start, q_end in doc.quoted_spans:
        if q_start <= start and end <= q_end and q_end - q_start <= 40:
            return _strip(doc.text, q_start, q_end)
    return start, end


_SENTENCE = re.compile(r"[^.!?\n]+")


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    for match in _SENTENCE.finditer(text):
        start, end = _strip(text, *match.span())
        if end > start:
            yield start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _dedupe(signals: list[Signal]) -> list[Signal]:
    """One signal per kind for overlapping evidence: the first, highest-scored, wins."""
    kept: list[Signal] = []
    for signal in sorted(signals, key=lambda s: (s.kind, -s.score, s.start or 0)):
        if any(k.kind == signal.kind and k.start is not None and signal.start is not None
               and k.end is not None and signal.end is not None
               and k.start < signal.end and signal.start < k.end for k in kept):
            continue
        kept.append(signal)
    kept.sort(key=lambda s: (s.start if s.start is not None else -1, s.kind))
    return kept
