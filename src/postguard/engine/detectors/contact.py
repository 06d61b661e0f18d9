"""Contact with people the school knows: friend requests, messages and comments to pupils,
ex-pupils, parents and colleagues, and wording that invites a child into private contact or
arranges to meet or find one.

Who the other person is comes from ``post.target``, looked up in the school's people; an ex-pupil
is judged by their age on the day of posting, since the same request is forbidden at 17 and a
matter of judgement at 18.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import Person, School

ADULT_AGE = 18

_ACTION_WORDS = {
    "friend_request": "friend request to",
    "message": "message to",
    "comment": "comment to",
    "post": "post addressed to",
}
_KIND_SIGNALS = {
    "pupil": "contact.pupil",
    "parent": "contact.parent",
    "staff": "contact.colleague",
    "governor": "contact.colleague",
}

_A = "['’]?"  # apostrophes are as often missing or curly as straight
_PLATFORMS = (r"snap(?:chat)?|insta(?:gram)?|ig|tik\s?tok|whats\s?app|facebook|fb|discord|kik"
              r"|telegram|twitter|x|messenger")
# Moving a child to a private channel: the first step the policies tell staff never to take.
_INVITE = re.compile(
    rf"\b(?:add|follow)\s+me\s+on\s+(?:{_PLATFORMS})\b"
    r"|\b(?:dm|pm|inbox|message|msg|text|snap|whatsapp)\s+me\b"
    r"|\b(?:ring|call|phone)\s+me\s+on\b"
    r"|\bslide\s+into\s+my\s+dms\b"
    rf"|\b(?:my|here{_A}s\s+my)\s+(?:snap(?:chat)?|insta(?:gram)?|number|mobile)\s*(?:is\b|:)"
    r"|\bsend\s+me\s+(?:a\s+)?(?:dm|pm|message|snap|pic|picture|photo|selfie)\b"
)
# Meeting a child or finding out where they will be.
_MEET = re.compile(
    r"\bmeet\s+(?:me|up)\b(?:\s+(?:at|by|outside|behind|near|in|round|after)\s+(?:the\s+)?\w+"
    r"(?:\s+after\s+school)?\b)?"
    rf"|\b(?:let{_A}s|shall\s+we|we\s+could|we\s+should)\s+meet\b"
    r"|\bmeet\s+you\s+(?:at|after|outside|in|by|near|behind|round|there)\b"
    rf"|\b(?:i{_A}ll|i\s+will|i\s+can|i\s+could|let\s+me)\s+(?:pick\s+you\s+up|collect\s+you"
    r"|give\s+you\s+a\s+lift|drive\s+you|walk\s+you\s+home|come\s+(?:round|over)"
    r"|come\s+to\s+your\s+(?:house|home|place))"
    rf"|\bwhat(?:{_A}s|\s+is)\s+your\s+(?:home\s+)?(?:address|postcode)\b"
    r"|\bsend\s+me\s+your\s+(?:home\s+)?(?:address|postcode|location)\b"
    r"|\bwhere\s+do\s+you\s+live\b"
    r"|\bwh(?:at|ich)\s+(?:street|road|house)\s+(?:do\s+you\s+live|is\s+yours)\b"
    r"|\bwhere\s+(?:will|are)\s+you\s+(?:be\s+)?(?:after\s+school|tonight|later"
    r"|at\s+the\s+weekend|on\s+(?:saturday|sunday))\b"
    r"|\bcome\s+(?:round|over)\s+to\s+mine\b|\bcome\s+to\s+my\s+(?:house|flat|place)\b"
)
_GREETINGS = frozenset({"hi", "hey", "hiya", "hello", "morning", "evening", "thanks", "cheers"})
_VOCATIVE_PUNCTUATION = frozenset(",!:")


def _year_label(year_group: str | None) -> str:
    if not year_group:
        return ""
    return " (Reception)" if year_group.upper() == "R" else f" (Year {year_group})"


@register
class ContactDetector(Detector):
    name = "contact"
    emits = ("contact.pupil", "contact.ex_pupil_minor", "contact.ex_pupil_adult",
             "contact.parent", "contact.colleague", "contact.unknown", "contact.meet_child")

    def __init__(self, school: School) -> None:
        super().__init__(school)
        self._zone = school.timetable.zone
        children = (*school.people.pupils, *school.people.ex_pupils)
        # Children who may be named in the text, by the lower-case tokens of their full name.
        self._full_names: dict[tuple[str, ...], Person] = {}
        self._handles: dict[str, Person] = {}
        for child in children:
            self._full_names.setdefault(tuple(child.name.lower().split()), child)
            for handle in child.handles:
                self._handles.setdefault("@" + handle.lower().lstrip("@"), child)
        self._longest_name = max((len(key) for key in self._full_names), default=0)
        # A first name or nickname alone identifies a child only when nobody else shares it.
        given = Counter(name.lower() for person in school.everyone
                        for name in (person.first_name, *person.nicknames))
        self._given_names = {name.lower(): child for child in children
                             for name in (child.first_name, *child.nicknames)
                             if given[name.lower()] == 1}

    def detect(self, doc: Document) -> list[Signal]:
        post = doc.post
        signals: list[Signal] = []
        target = self._resolve(post.target)
        day = (post.posted_at.astimezone(self._zone).date() if post.posted_at
               else dt.datetime.now(self._zone).date())
        if post.action in ("friend_request", "message", "comment") or (
                post.action == "post" and post.target):
            signal = self._contact(post.action, post.target, target, day)
            if signal is not None:
                signals.append(signal)
        invite = _INVITE.search(doc.lower)
        meet = _MEET.search(doc.lower)
        if invite is None and meet is None:
            return signals
        child = target if target is not None and self._is_child(target, day) else None
        named = False
        if child is None:
            child = self._named_child(doc, day)
            named = child is not None
        if child is None:
            return signals
        age = child.age_on(day)
        who = f"{child.name}, {self._describe(child, age)}"
        # Named only in the text, the child may be the subject rather than the addressee.
        certainty = 0.85 if named else 0.95
        if invite is not None:
            kind = "contact.pupil" if child.kind == "pupil" else "contact.ex_pupil_minor"
            words = doc.text[invite.start():invite.end()]
            signals.append(self._emit(
                kind, certainty, f"inviting private contact ({words!r}) with {who}",
                child, age, *invite.span()))
        if meet is not None:
            words = doc.text[meet.start():meet.end()]
            signals.append(self._emit(
                "contact.meet_child", certainty, f"arranging to meet or locate {who}: {words!r}",
                child, age, *meet.span()))
        return signals

    def _resolve(self, ref: str | None) -> Person | None:
        if not ref:
            return None
        person = self.school.find(ref)
        if person is None:
            # Pasted names arrive with doubled spaces or curly apostrophes ("Kian O’Neill").
            person = self.school.find(" ".join(ref.replace("’", "'").split()))
        return person

    def _contact(self, action: str, ref: str | None, person: Person | None,
                 day: dt.date) -> Signal | None:
        what = _ACTION_WORDS[action]
        if person is None:
            if action == "friend_request" and ref:
                return self._emit("contact.unknown", 0.5,
                                  f"{what} {ref}, who is not anyone the school knows", None, None)
            return None
        age = person.age_on(day)
        explanation = f"{what} {person.name}, {self._describe(person, age)}"
        if person.kind == "ex_pupil":
            if age is None:
                # No date of birth on record: treat as a child until the school says otherwise.
                return self._emit("contact.ex_pupil_minor", 0.6, explanation, person, None)
            kind = "contact.ex_pupil_minor" if age < ADULT_AGE else "contact.ex_pupil_adult"
            return self._emit(kind, 1.0, explanation, person, age)
        return self._emit(_KIND_SIGNALS[person.kind], 1.0, explanation, person, age)

    def _emit(self, signal_kind: str, score: float, explanation: str, person: Person | None,
              age: int | None, start: int | None = None, end: int | None = None) -> Signal:
        signal = self.signal(signal_kind, score, explanation, start, end)
        # "kind" names the person's group here, which the signal() keyword would shadow.
        signal.data.update(person_id=person.id if person else None,
                           kind=person.kind if person else None, age=age)
        return signal

    def _describe(self, person: Person, age: int | None) -> str:
        if person.kind == "pupil":
            return f"a current pupil{_year_label(person.year_group)}"
        if person.kind == "ex_pupil":
            if age is None:
                return "a former pupil whose age is not on record"
            return f"a former pupil, aged {age}" if age < ADULT_AGE else \
                f"a former pupil, now {age}"
        if person.kind == "parent":
            names = [self.school.by_id[c].name for c in person.children if c in self.school.by_id]
            return f"a parent of {' and '.join(names)}" if names else "a parent of a pupil"
        if person.kind == "governor":
            return "a governor of the school"
        roles = ", ".join(role.replace("_", " ") for role in person.roles)
        return f"a colleague ({roles})" if roles else "a colleague"

    @staticmethod
    def _is_child(person: Person, day: dt.date) -> bool:
        if person.kind == "pupil":
            return True
        if person.kind != "ex_pupil":
            return False
        age = person.age_on(day)
        return age is None or age < ADULT_AGE

    def _named_child(self, doc: Document, day: dt.date) -> Person | None:
        """A child the text names by full name, handle, or first name used to address them."""
        tokens = doc.tokens
        for index, token in enumerate(tokens):
            found = self._handles.get(token.lower) if token.lower.startswith("@") else None
            for length in range(2, self._longest_name + 1):
                if found is not None:
                    break
                found = self._full_names.get(tuple(t.lower for t in tokens[index:index + length]))
            # "Jay, add me on snapchat": a first name alone addresses a child only at the very
            # start (after a greeting at most); anywhere else it may be any Jay.
            addressed = (index == 0 or (index == 1 and tokens[0].lower in _GREETINGS)) and \
                doc.text[token.end:token.end + 1] in _VOCATIVE_PUNCTUATION
            if found is None and addressed:
                found = self._given_names.get(token.lower.lstrip("@"))
            if found is not None and self._is_child(found, day):
                return found
        return None
