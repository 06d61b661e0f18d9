"""A policy pack as data: rules with their clauses, and the policy's procedures.

The schema is documented in docs/packs.md; ``tests/test_docs.py`` fails if a field here is not
described there.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from postguard.engine.signals import kinds_matching
from postguard.policy.categories import CATEGORIES

ACCOUNT = Literal["personal", "official"]
ACTION = Literal["post", "comment", "message", "friend_request", "profile"]
AUDIENCE = Literal["public", "friends", "direct"]
# Who a policy may say must be told, and how a finding names them to the person posting.
REPORT_ROLE_WORDS = {
    "designated_safeguarding_lead": "the designated safeguarding lead",
    "head_teacher": "the head teacher",
    "senior_manager": "a senior manager",
    "line_manager": "your line manager",
    "communications_team": "the communications team",
    "chair_of_governors": "the chair of governors",
    "hr": "HR",
    "police": "the police",
}
REPORT_ROLES = tuple(REPORT_ROLE_WORDS)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_pattern(pattern: str) -> str:
    if not kinds_matching(pattern):
        raise ValueError(f"unknown signal {pattern!r}: no detector emits a signal that matches it")
    return pattern


class Applies(Strict):
    """When a rule is in force. An empty list means any."""

    account: tuple[ACCOUNT, ...] = ()
    action: tuple[ACTION, ...] = ()
    audience: tuple[AUDIENCE, ...] = ()
    roles: tuple[str, ...] = ()
    politically_restricted: bool | None = None


class Trigger(Strict):
    """Which signals fire a rule.

    ``all``: every item must be present; an item is a signal pattern or a list of alternatives.
    ``any``: at least one must be present (when the list is not empty).
    ``none``: none may be present. Patterns are signal kinds or globs (``person.*``).
    """

    all: tuple[str | tuple[str, ...], ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)

    @field_validator("all")
    @classmethod
    def _all_known(cls, items: tuple[str | tuple[str, ...], ...]) -> tuple[Any, ...]:
        for item in items:
            for pattern in (item,) if isinstance(item, str) else item:
                _known_pattern(pattern)
        return items

    @field_validator("any", "none")
    @classmethod
    def _known(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            _known_pattern(pattern)
        return patterns

    @model_validator(mode="after")
    def _not_empty(self) -> Trigger:
        if not self.all and not self.any:
            raise ValueError("a rule must name at least one signal under 'all' or 'any'")
        return self


class Examples(Strict):
    """Posts that show the rule: each ``fires`` example breaks it, each ``quiet`` one does not."""

    fires: tuple[dict[str, Any], ...] = Field(min_length=1)
    quiet: tuple[dict[str, Any], ...] = Field(min_length=1)


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    title: str
    category: str
    severity: Literal["advice", "breach", "serious"]
    clause: str
    quote: str | None = Field(default=None, max_length=120)
    applies: Applies = Applies()
    when: Trigger
    message: str
    advice: str
    suggestion: str | None = None
    report_to: str | None = None
    examples: Examples
    pack: str | None = None  # filled in on load: the pack that wrote the rule

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; use one of: {', '.join(CATEGORIES)}")
        return value

    @field_validator("report_to")
    @classmethod
    def _report_role(cls, value: str | None) -> str | None:
        if value is not None and value not in REPORT_ROLES:
            raise ValueError(f"unknown role {value!r}; use one of: {', '.join(REPORT_ROLES)}")
        return value


class Route(Strict):
    """Who a matter is reported to, how fast, under which clause."""

    to: str
    clause: str
    within_hours: int | None = None
    then: tuple[str, ...] = ()
    note: str = ""

    @field_validator("to")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in REPORT_ROLES:
            raise ValueError(f"unknown role {value!r}; use one of: {', '.join(REPORT_ROLES)}")
        return value


class Review(Strict):
    period_months: int = Field(gt=0)
    by: tuple[str, ...]
    clause: str
    also_when: tuple[str, ...] = ()


class Dissemination(Strict):
    responsible: str
    channels: tuple[str, ...]
    written_records: Literal["required", "recommended", "not_stated"]
    clause: str


class OfficialAccountsProcedure(Strict):
    who_may_post: str
    approval_by: tuple[str, ...]
    photo_consent: Literal["written", "parental", "not_stated"] = "not_stated"
    links_approved_by: str | None = None
    visitor_comments: Literal["pre_moderated", "post_moderated", "not_stated"] = "not_stated"
    negative_comments_to: str | None = None
    events_approved_by: str | None = None
    clause: str


class Cyberbullying(Strict):
    report_to: str
    takedown_hours: int | None = None
    keep_evidence: tuple[str, ...] = ()
    escalation: tuple[str, ...] = ()
    police_when: str | None = None
    support: str | None = None
    clause: str


class Investigation(Strict):
    by: str
    seriousness_factors: tuple[str, ...] = ()
    may_require: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    clause: str


class Procedures(Strict):
    review: Review | None = None
    dissemination: Dissemination | None = None
    reporting: dict[str, Route] = Field(default_factory=dict)
    official_accounts: OfficialAccountsProcedure | None = None
    cyberbullying: Cyberbullying | None = None
    investigation: Investigation | None = None


class Pack(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    title: str
    publisher: str
    source: str
    version: str
    extends: str | None = None
    remove: tuple[str, ...] = ()
    summary: str
    procedures: Procedures = Procedures()
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Pack:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)
