"""Personal data in a post: phone numbers, emails, postcodes, addresses, dates of birth, National
Insurance and pupil numbers, an empty home, and answers to common security questions.

Most posts carry none of this, so every family of patterns sits behind a test that costs next to
nothing (a digit count, an ``@``, a keyword scan) and the expensive phone matcher runs only when
the text holds enough digits to contain a number at all.
"""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import School

_DIGITS = "0123456789"

# The shortest UK numbers have ten digits with their leading 0, nine without it: a text with
# fewer digits cannot hold one, and the matcher (pure Python, ~0.1 ms a call) is skipped.
_MIN_PHONE_DIGITS = 9

# Numbers after these words are references, not phones ("order 01234567890").
_NOT_A_PHONE = re.compile(
    r"(?:\b(?:order|ref|reference|invoice|tracking|booking|account|acct|ticket|case|claim"
    r"|policy|serial|receipt|parcel|membership)\.?\s*(?:no\.?|number|num|id)?\s*[:#]?|#)\s*$",
    re.IGNORECASE,
)
_PHONE_CUE = re.compile(r"\b(?:tel|phone|mobile|mob|call|ring|text|whatsapp|number)\b.{0,12}$",
                        re.IGNORECASE)

_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][\w.+\-]*@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,})(?![\w\-])"
)

# The UK's postcode areas. Checking the area turns away look-alikes such as "PS5 2TB".
_POSTCODE_AREAS = frozenset((
    "AB", "AL", "B", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX", "CA",
    "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL",
    "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "GY", "HA",
    "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW",
    "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE",
    "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH",
    "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW",
    "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF",
    "WN", "WR", "WS", "WV", "YO", "ZE",
))
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z\d]?)\s?(?P<inward>\d[ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# "M1 2nd exit", "b4 3rd": an ordinal is far likelier than a postcode unless written in capitals.
_ORDINAL = re.compile(r"1st|2nd|3rd|\dth", re.IGNORECASE)

_STREET_TYPES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Terrace|Tce|Place"
    "|Court|Ct|Gardens|Gdns|Grove|Square|Sq|Hill|Row|View|Walk|Mews|Park|Green|Rise|Parade"
    "|Villas|Wynd|Chare|Gate|Boulevard|Meadows?|Croft|Fold|Bank|Vale|Brow|Yard|Wharf|Quay"
    "|Esplanade|Promenade|Heights|Cottages"
)
# Street names must be capitalised: in lower case "scored 2 goals down the lane" reads the same.
_ADDRESS = re.compile(
    r"(?P<flat>(?i:flat|apartment|apt|unit)\s+\d{1,4}[A-Za-z]?,?\s+)?"
    r"(?<![\w£$€.,:/\-])\d{1,4}[A-Za-z]?,?\s+"
    r"(?:[A-Z][a-z'’\-]+\s+){1,3}"
    rf"(?i:{_STREET_TYPES})\b"
)
_ADDRESS_CUE = re.compile(r"\b(?:live[sd]?|living|address|moved|move|round|over|stay(?:ing)?)"
                          r"\W+(?:\w+\W+){0,2}$", re.IGNORECASE)

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november" \
         r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_FULL = (
    rf"\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?![\d/.\-]*\d)"
)
# With an explicit label a partial date is still a date of birth ("DOB: March 1985").
_DATE_PARTIAL = rf"{_MONTH}\s+\d{{4}}|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH}|(?:19|20)\d\d"
_DOB = re.compile(
    rf"(?P<label>\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth)\s*(?:is|was|[:\-–=])?\s*)"
    rf"(?P<ldate>{_DATE_FULL}|{_DATE_PARTIAL})(?!\d)"
    rf"|(?P<born>\bborn\s+(?:on\s+)?(?:the\s+)?)(?P<bdate>{_DATE_FULL})"
    rf"|(?P<bday>\bbirthday(?:'s|’s|\s+is|\s+was)?\s*:?\s*(?:on\s+)?(?:the\s+)?)"
    rf"(?P<ddate>{_DATE_FULL})",
    re.IGNORECASE,
)
_DOB_CUES = ("born", "dob", "d.o.b", "birth")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_WORD_NUMBER = re.compile(r"\d+")
_WORD_MONTH = re.compile(_MONTH, re.IGNORECASE)

# HMRC never issues these first letters, second letters or prefixes.
_NI_BAD_FIRST = frozenset("DFIQUV")
_NI_BAD_SECOND = frozenset("DFIOQUV")
_NI_BAD_PREFIX = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-Z]{2})\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?(?P<suffix>[A-D])"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# DfE: the check letter is the weighted sum (weights 2..13) of the other twelve characters,
# modulo 23, read from this alphabet (no I, O or S).
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(r"(?<![A-Za-z0-9])([A-Z])(\d{12})(?![A-Za-z0-9])", re.IGNORECASE)

_HOME_EMPTY_CUES = re.compile(
    r"empty|unoccupied|unattended|nobody|no.one|noone|away|abroad|holiday|out of the country"
    r"|off to|heading to|flying to"
)
_DURATION = (r"(?:a|an|the|one|two|three|four|five|six|ten|\d+|a\s+couple\s+of|a\s+few)\s+"
             r"(?:weeks?|fortnight|days|nights|months?|weekend)")
# Longer phrasings first: an overlapping shorter match is dropped.
_HOME_EMPTY = (
    (re.compile(r"\bleav(?:e|ing)\s+the\s+(?:house|home|flat)\s+(?:empty|unoccupied|unattended)\b",
                re.IGNORECASE), 0.8, "the home left empty"),
    (re.compile(r"\b(?:house|home|flat)(?:'s|’s|\s+is|\s+will\s+be|'ll\s+be|’ll\s+be"
                r"|\s+stays?|\s+being|\s+sits?)?\s+(?:empty|unoccupied|unattended)\b",
                re.IGNORECASE), 0.6, "the home left empty"),
    (re.compile(r"\b(?:nobody|no\s+one|no-one|noone)(?:'s|’s|\s+is|\s+will\s+be|'ll\s+be"
                r"|’ll\s+be)?\s+(?:at\s+)?(?:home|in\s+the\s+(?:house|flat))(?![\w\-])",
                re.IGNORECASE), 0.9, "nobody at home"),
    (re.compile(r"\b(?:we(?:'re|’re|\s+are|\s+will\s+be|'ll\s+be|’ll\s+be)|I(?:'m|’m|\s+am"
                r"|\s+will\s+be|'ll\s+be|’ll\s+be)|the\s+family\s+(?:is|are))\s+"
                r"(?:away|abroad|out\s+of\s+the\s+country|on\s+holiday)\s+"
                r"(?:(?:until|till|til|'til)(?:\s+(?:the\s+)?(?:next\s+)?\w+)?"
                rf"|for\s+{_DURATION}|all\s+(?:week|month|summer)|next\s+week"
                r"|the\s+whole\s+\w+)\b", re.IGNORECASE), 0.75, "away from home"),
    (re.compile(r"\b(?i:(?:jetting\s+)?off\s+to|heading\s+to|flying\s+to)\s+"
                r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?\s+"
                rf"(?i:for\s+{_DURATION})\b"), 0.7, "away from home"),
)
_HOME_EMPTY_WHEN = re.compile(
    r",?\s+(?:for|until|till|til|while|from|this|next|all|over\s+(?:the|half|easter|christmas))\b",
    re.IGNORECASE,
)

_SECURITY_CUES = re.compile(r"maiden|first|born|grew up|primary school")
_ANSWER = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?"
_SECURITY = (
    (re.compile(r"(?i:\bmy\s+(?:mum|mom|mam|mother)(?:'s|’s|s)?\s+maiden\s+name)"
                rf"(?P<answer>(?:\s+(?i:is|was)|\s*[:\-–])\s*(?P<value>{_ANSWER}))?"),
     0.9, "mother's maiden name"),
    (re.compile(r"(?i:\bmy\s+first\s+(?:pet|dog|cat|hamster|rabbit|guinea\s+pig)"
                r"(?:(?:'s|’s)\s+name\s+(?:was|is)|\s+(?:was|is)\s+(?:a\s+\w+\s+)?"
                r"(?:called|named)))"
                rf"(?P<answer>\s+(?P<value>{_ANSWER}))?"),
     0.9, "first pet's name"),
    (re.compile(r"(?i:\b(?:I\s+was\s+born\s+in|born\s+and\s+(?:raised|bred)\s+in))"
                rf"(?P<answer>\s+(?!(?i:{_MONTH})\b)(?P<value>{_ANSWER}))"),
     0.8, "place of birth"),
    (re.compile(r"(?i:\bthe\s+street\s+I\s+grew\s+up\s+(?:on|in))"
                rf"(?P<answer>(?:\s+(?i:was|is)|\s*[:\-–])\s*(?P<value>{_ANSWER}))?"),
     0.8, "street grown up on"),
    (re.compile(r"(?i:\bmy\s+(?:first\s+school|primary\s+school|first\s+car|childhood\s+"
                r"(?:best\s+)?friend|favourite\s+teacher)\s+(?:was|is))"
                rf"(?P<answer>\s+(?:(?i:a|an|the)\s+)?(?P<value>{_ANSWER}))"),
     0.7, "answer to a common security question"),
)


def _count_digits(text: str) -> int:
    return sum(map(text.count, _DIGITS))


def _upn_check_letter(digits: str) -> str:
    return _UPN_LETTERS[sum(w * int(d) for w, d in enumerate(digits, 2)) % 23]


def _two_digit_year(year: int) -> int:
    # A birth year written as "85" is in the past: read it as 19xx unless 20xx is not ahead.
    this_year = dt.date.today().year
    return 2000 + year if 2000 + year <= this_year else 1900 + year


def _normalise_date(text: str) -> str | None:
    """An ISO form of a (possibly partial) date, or None when it is not a real date."""
    numeric = _NUMERIC_DATE.fullmatch(text.strip())
    if numeric:
        n_day, n_month, n_year = (int(part) for part in numeric.groups())
        if len(numeric.group(3)) == 2:
            n_year = _two_digit_year(n_year)
        return _iso(n_year, n_month, n_day)
    month_match = _WORD_MONTH.search(text)
    numbers = [int(n) for n in _WORD_NUMBER.findall(text)]
    month = _MONTHS[month_match.group().rstrip(".").lower()] if month_match else None
    year = next((n for n in numbers if n >= 1000), None)
    day = next((n for n in numbers if n < 100), None)
    if month is None:
        return f"{year:04d}" if year is not None else None
    if day is None:
        return f"{year:04d}-{month:02d}" if year is not None else None
    if year is None:
        return f"--{month:02d}-{day:02d}" if _iso(2000, month, day) else None
    return _iso(year, month, day)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@register
class PersonalDataDetector(Detector):
    name = "personal_data"
    emits = (
        "pii.phone", "pii.work_phone", "pii.email", "pii.work_email", "pii.postcode",
        "pii.address", "pii.date_of_birth", "pii.ni_number", "pii.upn", "pii.home_empty",
        "pii.security_answer",
    )

    def __init__(self, school: School) -> None:
        super().__init__(school)
        self._work_numbers: frozenset[str] = frozenset(
            number for number in (self._e164(raw) for raw in school.phone_numbers) if number)
        self._work_domains = tuple(domain.lower().lstrip("@.") for domain in school.email_domains)
        postcode = _POSTCODE.search(school.address or "")
        self._school_postcode = self._postcode_key(postcode) if postcode else None

    @staticmethod
    def _e164(raw: str) -> str | None:
        try:
            number = phonenumbers.parse(raw, "GB")
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)

    @staticmethod
    def _postcode_key(match: re.Match[str]) -> str:
        return f"{match['area']}{match['district']} {match['inward']}".upper()

    def detect(self, doc: Document) -> list[Signal]:
        text = doc.text
        lower = doc.lower
        signals: list[Signal] = []
        digits = _count_digits(text)
        # Spans already claimed by a more specific pattern; phone matching must not re-read them.
        claimed: list[tuple[int, int]] = []
        if "@" in text:
            self._emails(text, signals, claimed)
        if digits >= 6:
            self._ni_numbers(text, signals, claimed)
        if digits >= 12:
            self._upns(text, signals, claimed)
        if digits >= 2:
            self._postcodes(text, signals, claimed)
        if digits >= 1:
            self._addresses(text, signals)
            if any(cue in lower for cue in _DOB_CUES):
                self._dates_of_birth(text, signals, claimed)
        if digits >= _MIN_PHONE_DIGITS:
            self._phones(text, signals, claimed)
        if _HOME_EMPTY_CUES.search(lower):
            self._home_empty(text, signals)
        if _SECURITY_CUES.search(lower):
            self._security(text, signals)
        return signals

    def _emails(self, text: str, signals: list[Signal], claimed: list[tuple[int, int]]) -> None:
        for match in _EMAIL.finditer(text):
            value = match.group()
            domain = match.group(1).lower()
            work = any(domain == d or domain.endswith("." + d) for d in self._work_domains)
            claimed.append(match.span())
            if work:
                signals.append(self.signal(
                    "pii.work_email", 1.0, f"a work email address at {domain}: {value}",
                    *match.span(), value=value, normalised=value.lower()))
            else:
                signals.append(self.signal(
                    "pii.email", 0.95, f"a personal email address: {value}",
                    *match.span(), value=value, normalised=value.lower()))

    def _ni_numbers(self, text: str, signals: list[Signal],
                    claimed: list[tuple[int, int]]) -> None:
        for match in _NI.finditer(text):
            prefix = match["prefix"].upper()
            if (prefix[0] in _NI_BAD_FIRST or prefix[1] in _NI_BAD_SECOND
                    or prefix in _NI_BAD_PREFIX):
                continue
            normalised = re.sub(r"\s", "", match.group()).upper()
            # Written in capitals with the usual spacing it is unmistakable; lower case less so.
            score = 1.0 if match.group().isupper() else 0.8
            claimed.append(match.span())
            signals.append(self.signal(
                "pii.ni_number", score, f"a National Insurance number: {match.group()}",
                *match.span(), value=match.group(), normalised=normalised))

    def _upns(self, text: str, signals: list[Signal], claimed: list[tuple[int, int]]) -> None:
        for match in _UPN.finditer(text):
            letter, digits = match.group(1).upper(), match.group(2)
            if _upn_check_letter(digits) != letter:
                continue
            claimed.append(match.span())
            signals.append(self.signal(
                "pii.upn", 1.0, f"a unique pupil number: {match.group()}", *match.span(),
                value=match.group(), normalised=match.group().upper()))

    def _postcodes(self, text: str, signals: list[Signal],
                   claimed: list[tuple[int, int]]) -> None:
        for match in _POSTCODE.finditer(text):
            if match["area"].upper() not in _POSTCODE_AREAS:
                continue
            value = match.group()
            if not value.isupper() and _ORDINAL.fullmatch(match["inward"]):
                continue
            normalised = self._postcode_key(match)
            claimed.append(match.span())
            school = normalised == self._school_postcode
            # Capitals and the space in the right place are how people write a real postcode.
            score = 0.95 if value.isupper() and " " in value else 0.8
            signals.append(self.signal(
                "pii.postcode", score,
                f"a UK postcode: {normalised}" + (" (the school's)" if school else ""),
                *match.span(), value=value, normalised=normalised, school=school))

    def _addresses(self, text: str, signals: list[Signal]) -> None:
        for match in _ADDRESS.finditer(text):
            value = match.group()
            start, end = match.span()
            # A flat number, "I live at" before or a postcode just after settle that it is an
            # address rather than a run of capitalised words after a number.
            certain = (match["flat"] or _ADDRESS_CUE.search(text, max(0, start - 40), start)
                       or _POSTCODE.search(text, end, end + 40))
            score = 0.9 if certain else 0.75
            signals.append(self.signal(
                "pii.address", score, f"a postal address: {value}", start, end,
                value=value, normalised=" ".join(value.replace(",", " ").split())))

    def _dates_of_birth(self, text: str, signals: list[Signal],
                        claimed: list[tuple[int, int]]) -> None:
        for match in _DOB.finditer(text):
            if match["ldate"] is not None:
                date_text, score, how = match["ldate"], 1.0, "labelled as a date of birth"
            elif match["bdate"] is not None:
                date_text, score, how = match["bdate"], 0.95, "given as a birth date"
            else:
                date_text, score, how = match["ddate"], 0.9, "a birthday with the year"
            normalised = _normalise_date(date_text)
            if normalised is None:
                continue
            claimed.append(match.span())
            signals.append(self.signal(
                "pii.date_of_birth", score, f"a date of birth ({how}): {date_text}",
                *match.span(), value=date_text, normalised=normalised))

    def _phones(self, text: str, signals: list[Signal], claimed: list[tuple[int, int]]) -> None:
        for match in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
            start, end = match.start, match.end
            if any(start < c_end and c_start < end for c_start, c_end in claimed):
                continue
            normalised = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            raw = match.raw_string
            if normalised in self._work_numbers:
                signals.append(self.signal(
                    "pii.work_phone", 1.0, f"one of the school's phone numbers: {raw}",
                    start, end, value=raw, normalised=normalised))
                continue
            before = text[max(0, start - 24):start]
            if _NOT_A_PHONE.search(before):
                continue
            # UK numbers are written with their trunk 0 or a +44; digits without either that
            # happen to fit a UK range are as likely an American number or a code.
            dialled = raw.lstrip("(").startswith(("0", "+"))
            if phonenumbers.is_valid_number(match.number):
                score = 0.95 if dialled else 0.6
            elif (dialled and match.number.country_code == 44
                  and len(phonenumbers.national_significant_number(match.number)) == 10):
                # Well formed but unallocated (Ofcom's drama ranges among them): still offered
                # as a phone number by whoever wrote it.
                score = 0.7
            else:
                continue
            if _PHONE_CUE.search(before):
                score = min(1.0, score + 0.05)
            where = "a UK phone number" if match.number.country_code == 44 else "a phone number"
            signals.append(self.signal(
                "pii.phone", score, f"{where}: {raw}", start, end,
                value=raw, normalised=normalised))

    def _home_empty(self, text: str, signals: list[Signal]) -> None:
        seen: list[tuple[int, int]] = []
        for pattern, base, what in _HOME_EMPTY:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < s_end and s_start < end for s_start, s_end in seen):
                    continue
                seen.append((start, end))
                # "The house is empty" may be a feeling; "empty for two weeks" is a fact.
                score = base
                if base < 0.9 and _HOME_EMPTY_WHEN.match(text, end):
                    score = 0.9
                signals.append(self.signal(
                    "pii.home_empty", score, f"{what}: {match.group()!r}", start, end,
                    value=match.group(), normalised=" ".join(match.group().lower().split())))

    def _security(self, text: str, signals: list[Signal]) -> None:
        for pattern, score, what in _SECURITY:
            for match in pattern.finditer(text):
                answer = match["value"]
                # The question without its answer gives less away than the two together.
                final = min(1.0, score + 0.1) if answer else score - 0.1
                signals.append(self.signal(
                    "pii.security_answer", final,
                    f"security-question material ({what}): {match.group()!r}", *match.span(),
                    value=match.group(), normalised=answer, question=what))
