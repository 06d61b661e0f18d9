"""Signals: what a detector saw, where, how sure it is and why.

Detectors emit signals; rules in policy packs name the signals that trigger them. The
vocabulary below is the contract between the two: a pack that names a signal no detector can
emit is rejected on load (E102), and a detector that emits a kind not listed here fails its tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

# kind -> what it means. Grouped by the detector that emits it.
SIGNAL_KINDS: dict[str, str] = {
    # people (detectors/people.py)
    "person.pupil": "a current pupil named (full name, first name, nickname, misspelling)",
    "person.ex_pupil": "a former pupil named",
    "person.parent": "a parent or carer of a pupil named",
    "person.staff": "a member of staff named",
    "person.governor": "a governor named",
    "person.unnamed_pupil": "a pupil referred to without a name ('a Year 6 boy', "
    "'one of my class')",
    "person.unnamed_parent": "a parent referred to without a name ('a certain parent')",
    "person.unnamed_colleague": "a colleague or manager referred to without a name "
    "('my line manager')",
    "person.unknown_name": "a name of someone not on the roster (weak)",
    # the school (detectors/school_identity.py)
    "school.name": "the school's name or one of its aliases",
    "school.handle": "one of the school's social media handles or its web address",
    "school.reference": "the school referred to indirectly ('my school', 'the head', 'work')",
    # personal data (detectors/personal_data.py)
    "pii.phone": "a UK phone number that is not the school's",
    "pii.work_phone": "one of the school's phone numbers",
    "pii.email": "a personal email address",
    "pii.work_email": "an email address at one of the school's domains",
    "pii.address": "a postal address",
    "pii.postcode": "a UK postcode",
    "pii.date_of_birth": "a date of birth, or birthday with year",
    "pii.ni_number": "a National Insurance number",
    "pii.upn": "a unique pupil number",
    "pii.home_empty": "the home left empty or its owner away ('house empty for two weeks')",
    "pii.security_answer": "material for security questions (mother's maiden name, place of birth, "
    "first pet)",
    # time (detectors/timing.py)
    "time.lesson": "posted during a lesson",
    "time.working": "posted during working hours outside a break (including lessons)",
    "time.break": "posted during an official break",
    "time.outside_work": "posted outside working hours, at a weekend or in a holiday",
    # contact (detectors/contact.py)
    "contact.pupil": "a friend request, message or comment to a current pupil",
    "contact.ex_pupil_minor": "contact with an ex-pupil who is under 18",
    "contact.ex_pupil_adult": "contact with an ex-pupil who is 18 or over",
    "contact.parent": "contact with a parent or carer of a pupil",
    "contact.colleague": "contact with a colleague",
    "contact.unknown": "a friend request to or from someone the poster does not know",
    "contact.meet_child": "arranging to meet or locate a child",
    # language (detectors/language.py; trained classifiers replace the scorer later)
    "language.offensive": "offensive language (model score)",
    "language.profanity": "swearing or obscenity, whoever it is aimed at",
    "language.insult": "an insult aimed at a person or group",
    "language.threat": "a threat of violence or harm",
    "language.lewd": "lewd or sexually explicit content",
    "language.discriminatory": "derogatory content about a protected characteristic",
    "language.slur": "a slur against a protected group",
    "language.harassment": "bullying or harassing language aimed at a person",
    "language.negative": "negative tone (mood, not abuse)",
    "language.slang": "slang or text-speak",
    "language.quoted_to_condemn": "offensive words quoted in order to condemn them",
    # topics (detectors/topics.py)
    "topic.staff_discipline": "staff discipline, suspension, capability or sickness",
    "topic.inspection": "inspection or assessment results not yet published",
    "topic.safeguarding_case": "details of a safeguarding or child protection case",
    "topic.sen": "special educational needs, medical or EHCP details of a pupil",
    "topic.exclusion": "a pupil's exclusion or suspension",
    "topic.internal": "internal meetings, decisions or unannounced plans",
    "topic.grievance": "a workplace grievance (pay, workload, management, treatment)",
    "topic.whistleblowing": "raising wrongdoing at work in public",
    "topic.politics": "party politics, elections, votes, campaigns",
    "topic.administration": "comments on a sitting government or council administration",
    "topic.criticism": "criticism of the school, its management or its people",
    "topic.praise": "praise or positive news about the school",
    "topic.gossip": "gossip or rumour about people",
    "topic.allegation": "an allegation of wrongdoing as a fact about someone",
    "topic.work_view": "a view about work, education policy or the school",
    "topic.disclaimer": "a statement that views are the poster's own",
    "topic.speaking_for_school": "speaking as or for the school",
    "topic.work_photo": "photos taken at work or of school activities",
    "topic.nightlife": "drinking, stag or hen nights, partying",
    "topic.copied_content": "someone else's pictures or writing reused",
    "topic.attribution": "credit or permission given for reused content",
    "topic.event_announced": "an event the school has announced publicly",
    "topic.private_group": "a closed or private professional network",
    "topic.extremist_group": "joining or promoting a group at odds with the school's values",
    "topic.personal_matter": "personal matters or views",
    "safeguarding.child_at_risk": "a child who may be at risk of harm",
    "safeguarding.self_harm": "self-harm or suicide",
    "safeguarding.seeking_child": "someone seeking a child's whereabouts or contact",
    "safeguarding.grooming": "grooming indicators (secrecy, gifts, meeting alone)",
    # official accounts (detectors/official.py); tone, language and personal views on official
    # accounts are judged by rules that combine language.* and topic.* with the account type
    "official.unauthorised_poster": "the author is not authorised to post on this account",
    "official.not_approved": "an official post without approval from management",
    "official.unapproved_link": "a link that is not on the school's approved list",
    "official.photo_without_consent": "a photo of children without written consent on record",
    "official.personal_email": "a personal email address on the school's account",
    # images (detectors/images.py)
    "image.children": "a picture showing children",
    "image.logo": "a picture containing the school's logo",
    "image.at_work": "a picture taken at work",
    "image.uncredited": "a picture from someone else without credit",
    "image.location": "a picture carrying GPS location metadata",
    # the post itself (detectors/post_context.py)
    "post.public": "the post is visible to the public",
    "post.links": "the post carries links",
    "post.images": "the post carries pictures",
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One observation. ``start``/``end`` slice the post's text; both None when not textual."""

    kind: str
    detector: str
    score: float
    explanation: str
    start: int | None = None
    end: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def evidence(self, text: str) -> str | None:
        if self.start is None or self.end is None:
            return None
        return text[self.start:self.end]

    def as_dict(self, text: str) -> dict[str, Any]:
        result: dict[str, Any] = {
            "signal": self.kind,
            "detector": self.detector,
            "score": round(self.score, 4),
            "explanation": self.explanation,
        }
        if self.start is not None:
            result.update(start=self.start, end=self.end, text=self.evidence(text))
        return result


@lru_cache(maxsize=4096)
def kinds_matching(pattern: str) -> frozenset[str]:
    """The known kinds a rule's pattern (exact name or glob such as ``person.*``) matches."""
    return frozenset(kind for kind in SIGNAL_KINDS if fnmatchcase(kind, pattern))


def vocabulary_markdown() -> str:
    """The page docs/signals.md.

    Regenerate it with ``python -m postguard.engine.signals > docs/signals.md``.
    """
    lines = [
        "# Signals",
        "",
        "What detectors can see. Rules in policy packs name these (or globs such as `person.*`)",
        "under `when`. Generated from `src/postguard/engine/signals.py`.",
        "",
        "| signal | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{kind}` | {meaning} |" for kind, meaning in SIGNAL_KINDS.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(vocabulary_markdown(), end="")
