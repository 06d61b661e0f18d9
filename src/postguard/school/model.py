"""A school's configuration: who it is, its people, accounts, timetable and adopted policy.

The schema is documented in docs/school.md; ``tests/test_docs.py`` fails if a field here is not
described there.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

STAFF_ROLES = (
    "teacher", "teaching_assistant", "support_staff", "head_teacher", "deputy_head",
    "designated_safeguarding_lead", "communications_officer", "hr", "administrator",
    "line_manager", "volunteer", "governor",
)
# Roles whose holders speak of "my class" and "my kids" meaning pupils.
TEACHING_ROLES = frozenset({"teacher", "teaching_assistant", "head_teacher", "deputy_head"})
PERSON_KINDS = ("pupil", "ex_pupil", "parent", "staff", "governor")
# Words that follow a school's name without being part of what people call it ("Westmoor").
SCHOOL_SUFFIXES = frozenset({
    "primary", "secondary", "junior", "juniors", "infant", "infants", "first", "middle", "high",
    "grammar", "school", "academy", "college", "nursery", "community", "church", "of", "england",
    "ce", "c", "e", "rc", "catholic", "va", "vc", "methodist", "free", "trust",
})
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Strict):
    id: str
    kind: Literal["pupil", "ex_pupil", "parent", "staff", "governor"]
    name: str
    nicknames: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    politically_restricted: bool = False
    year_group: str | None = None
    class_name: str | None = None
    date_of_birth: dt.date | None = None
    children: tuple[str, ...] = ()
    email: str | None = None
    handles: tuple[str, ...] = ()
    photo_consent: bool = False

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, roles: tuple[str, ...]) -> tuple[str, ...]:
        for role in roles:
            if role not in STAFF_ROLES:
                raise ValueError(f"unknown role {role!r}; use one of {', '.join(STAFF_ROLES)}")
        return roles

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def last_name(self) -> str | None:
        parts = self.name.split()
        return parts[-1] if len(parts) > 1 else None

    @property
    def teaches(self) -> bool:
        return self.kind == "staff" and bool(TEACHING_ROLES & set(self.roles) or self.class_name)

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class People(Strict):
    """Everyone the school's checks should recognise, by group. Each group is a list of people
    or, in the YAML file, the name of a CSV file beside it."""

    staff: tuple[Person, ...] = ()
    pupils: tuple[Person, ...] = ()
    ex_pupils: tuple[Person, ...] = ()
    parents: tuple[Person, ...] = ()
    governors: tuple[Person, ...] = ()

    def all(self) -> tuple[Person, ...]:
        return (*self.staff, *self.pupils, *self.ex_pupils, *self.parents, *self.governors)


class OfficialAccount(Strict):
    id: str
    platform: str
    handle: str
    authorised_posters: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()


class Period(Strict):
    name: str
    start: dt.time
    end: dt.time
    days: tuple[str, ...] = WEEKDAYS[:5]

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end <= self.start:
            raise ValueError(f"{self.name!r} ends before it starts")
        return self


class DateRange(Strict):
    name: str
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(f"{self.name!r} ends before it starts")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Timetable(Strict):
    timezone: str = "Europe/London"
    working_days: tuple[str, ...] = WEEKDAYS[:5]
    working_hours: Period = Period(name="Working day", start=dt.time(8, 30), end=dt.time(16, 30))
    lessons: tuple[Period, ...] = ()
    breaks: tuple[Period, ...] = ()
    terms: tuple[DateRange, ...] = ()
    holidays: tuple[DateRange, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _zone_exists(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone!r}") from None
        return zone

    @field_validator("working_days")
    @classmethod
    def _days(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        for day in days:
            if day not in WEEKDAYS:
                raise ValueError(f"unknown day {day!r}; use {', '.join(WEEKDAYS)}")
        return days

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class RuleOverride(Strict):
    enabled: bool = True
    severity: Literal["advice", "breach", "serious"] | None = None


class PolicyChoice(Strict):
    pack: str
    overrides: dict[str, RuleOverride] = Field(default_factory=dict)


class School(Strict):
    name: str
    aliases: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    website: str | None = None
    email_domains: tuple[str, ...] = ()
    phone_numbers: tuple[str, ...] = ()
    address: str | None = None
    announced_events: tuple[str, ...] = ()
    approved_links: tuple[str, ...] = ()
    official_accounts: tuple[OfficialAccount, ...] = ()
    people: People = People()
    timetable: Timetable = Timetable()
    policy: PolicyChoice

    @model_validator(mode="after")
    def _references(self) -> School:
        ids = [person.id for person in self.everyone]
        seen: set[str] = set()
        for ref in ids:
            if ref in seen:
                raise ValueError(f"duplicate person id {ref!r}")
            seen.add(ref)
        for person in self.everyone:
            for child in person.children:
                if child not in seen:
                    raise ValueError(f"{person.id} lists child {child!r}, who is not a pupil here")
        for account in self.official_accounts:
            for ref in (*account.authorised_posters, *account.approvers):
                if ref not in seen:
                    raise ValueError(f"official account {account.id!r} names {ref!r}, "
                                     "who is not anyone in the school's people")
        return self

    @cached_property
    def short_names(self) -> tuple[str, ...]:
        """What people call the school once the suffixes are gone: "Westmoor" for
        "Westmoor Primary School" (at least four letters, so initials never qualify)."""
        short: dict[str, str] = {}
        for name in (self.name, *self.aliases):
            words = name.split()
            while words and words[-1].lower().strip(".") in SCHOOL_SUFFIXES:
                words.pop()
            candidate = " ".join(words)
            if words and words != name.split() and len(candidate) >= 4:
                short.setdefault(candidate.lower(), candidate)
        known = {name.lower() for name in (self.name, *self.aliases)}
        return tuple(name for key, name in short.items() if key not in known)

    @property
    def everyone(self) -> tuple[Person, ...]:
        return self.people.all()

    @cached_property
    def by_id(self) -> dict[str, Person]:
        return {person.id: person for person in self.everyone}

    def of_kind(self, kind: str) -> list[Person]:
        return [person for person in self.everyone if person.kind == kind]

    def find(self, ref: str | None) -> Person | None:
        """A person by id, email, handle or exact name (case-insensitive)."""
        if not ref:
            return None
        return self._lookup.get(ref.strip().lower().lstrip("@"))

    @cached_property
    def _lookup(self) -> dict[str, Person]:
        table: dict[str, Person] = {}
        for person in self.everyone:
            keys = [person.id, person.name, *(h.lstrip("@") for h in person.handles)]
            if person.email:
                keys.append(person.email)
            for key in keys:
                table.setdefault(key.lower(), person)
        return table

    def account(self, account_id: str | None) -> OfficialAccount | None:
        for account in self.official_accounts:
            if account_id in (account.id, account.handle):
                return account
        return self.official_accounts[0] if account_id is None and self.official_accounts else None

    def author_teaches(self, ref: str | None) -> bool | None:
        """True or False when the author is on the roster; None when the author is unknown."""
        author = self.find(ref)
        return None if author is None else author.teaches
