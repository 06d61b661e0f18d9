"""The finding categories and severities: a public contract (see docs/categories.md).

The names appear in the command line's JSON, the web API, reports and evaluation sets, so they
never change here without a note in the README's changelog.
"""

from __future__ import annotations

from enum import IntEnum

CATEGORIES: dict[str, str] = {
    "confidential": "information internal to the school: staff matters, unpublished results, "
    "safeguarding cases, internal discussions",
    "pupil_identification": "anything that identifies a pupil: names, photos, class plus detail",
    "personal_data": "personal information of the poster, colleagues or families that endangers "
    "privacy or identity",
    "disrepute": "criticism or derogatory remarks about the school, its management, colleagues, "
    "pupils, parents or governors; gossip and rumour",
    "abusive": "offensive, obscene, lewd, threatening, insulting, harassing or bullying content",
    "discriminatory": "offensive or derogatory content about a protected characteristic",
    "defamation": "damaging allegations of fact about an identifiable person or organisation",
    "pupil_contact": "social contact with pupils, ex-pupils under 18 or parents on personal "
    "accounts; locating or meeting a child",
    "work_identity": "work email or phone, school name or logo on personal accounts; posting for "
    "the school without authorisation; work views without a disclaimer",
    "working_time": "personal social media use during working or lesson time",
    "political": "political statements by holders of politically restricted posts; comments on "
    "sitting administrations",
    "grievance": "airing workplace grievances or whistleblowing in public",
    "safeguarding": "content that raises a safeguarding concern; report to the designated "
    "safeguarding lead",
    "official_standards": "rules for the school's own accounts",
    "copyright": "someone else's images or writing used without permission or acknowledgement",
}


class Severity(IntEnum):
    """Ordered so that the verdict is simply the highest severity among the findings."""

    ADVICE = 1
    BREACH = 2
    SERIOUS = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.upper()]


SEVERITIES = [severity.label for severity in Severity]
VERDICTS = ["ok", *SEVERITIES]
