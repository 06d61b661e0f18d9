"""Every message PostGuard shows for bad input, in one place, with a stable code.

A user who pastes "E104" into a search or a support ticket must always land on the same
explanation, so codes are never renumbered or reused. Each error says *where* (file, line,
field) and *what* is wrong, in words a school administrator can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Code(Enum):
    """Stable error codes. The text is a template filled with keyword arguments.

    Members are numbered as they are declared, so two codes with the same text stay two codes
    (an Enum would otherwise make the second an alias of the first).
    """

    text: str

    def __new__(cls, text: str) -> Code:
        member = object.__new__(cls)
        member._value_ = len(cls.__members__) + 1
        member.text = text
        return member

    # Policy packs
    E101 = "unknown policy pack {pack!r} (known packs: {known})"
    E102 = "{problem}"  # a schema problem in a pack: the location carries the path
    E105 = "pack {pack!r} extends {parent!r}, which would make a loop"
    E107 = "override names rule {rule!r}, which the pack {pack!r} does not have"
    E108 = "file is not valid YAML: {problem}"
    # School configuration
    E201 = "{problem}"  # a schema problem in a school file
    E202 = "CSV file {csv!r} is missing the column {column!r}"
    E204 = "cannot read {what} {path!r}: {problem}"
    # Posts (check and scan input)
    E301 = "not valid JSON: {problem}"
    E302 = "unknown field {field!r} (allowed: {allowed})"
    E303 = "missing field {field!r}"
    E304 = "bad time stamp {value!r}: use ISO 8601 with a time zone, e.g. 2026-11-21T12:30:00+00:00"
    E305 = "{field} must be one of {allowed}, not {value!r}"
    E306 = "cannot read image {path!r}: {problem}"
    E307 = "{field} has the wrong type: {problem}"
    E308 = "the record must be a JSON object, not {kind}"
    E309 = "PostGuard failed while checking this post ({problem}); please report it as a bug"
    E310 = "unknown category {value!r} in {field} (categories: {known})"
    # Files and command line
    E401 = "cannot read {path!r}: {problem}"
    E402 = "directory {path!r} already has a school configuration; choose an empty directory"
    E403 = "no school configuration given: pass --school FILE or set POSTGUARD_SCHOOL"
    E404 = "the {engine!r} engine is not available yet; use --engine local"
    E405 = "nothing to check: give the post's text as an argument, or pipe it in and pass -"
    E406 = "cannot write {path!r}: {problem}"
    E407 = "nothing to evaluate: {path!r} has no posts"
    # Bugs: never the user's fault; the message asks for a report instead of showing a traceback
    E901 = ("PostGuard hit an internal error ({problem}); please report it, and set "
            "POSTGUARD_DEBUG=1 to see the details")


@dataclass(frozen=True)
class Location:
    """Where a problem is: any part may be unknown."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


class PostGuardError(Exception):
    """A problem with input that the user can fix. Never shown with a traceback."""

    def __init__(self, code: Code, location: Location | None = None, **details: object) -> None:
        self.code = code
        self.location = location or Location()
        self.details = details
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.code.text.format(**self.details)
        where = str(self.location)
        return f"{self.code.name} {where}: {text}" if where else f"{self.code.name}: {text}"

    def at(self, **where: object) -> PostGuardError:
        """The same error with more of its location filled in (file, line, field)."""
        current = {"file": self.location.file, "line": self.location.line,
                   "field": self.location.field}
        for key, value in where.items():
            if current.get(key) is None:
                current[key] = value  # type: ignore[assignment]
        return PostGuardError(self.code, Location(**current), **self.details)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code.name,
            "message": self.message,
            "file": self.location.file,
            "line": self.location.line,
            "field": self.location.field,
        }


class ErrorList(PostGuardError):
    """Several problems found in one file; all are reported together."""

    def __init__(self, errors: list[PostGuardError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.code, first.location, **first.details)

    @property
    def message(self) -> str:
        return "\n".join(error.message for error in self.errors)
