"""Running a check against the policy in force, and recording it when the person asks to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from postguard.engine.checker import Checker, CheckResult
from postguard.engine.post import Post
from postguard.school.model import School
from postguard.web.accounts.models import User
from postguard.web.audit.models import record as audit
from postguard.web.checks.models import CheckRecord
from postguard.web.schools.engine import checker_for
from postguard.web.schools.models import SchoolRecord

BUNDLED = "bundled"


@dataclass(frozen=True)
class PolicyInForce:
    """The stored school and the checker for the policy version staff have been given."""

    checker: Checker
    version: str

    @property
    def school(self) -> School:
        return self.checker.school

    @property
    def zone(self) -> ZoneInfo:
        return self.school.timetable.zone

    @property
    def description(self) -> str:
        if self.version == BUNDLED:
            return f"{self.checker.pack.title} (as bundled; no local version published yet)"
        return f"{self.checker.pack.title}, {self.version}"


def policy_in_force() -> PolicyInForce | None:
    """None until a school has been imported. Staff are checked against the published version;
    before the head teacher publishes one, against the pack the school adopted, as bundled."""
    record = SchoolRecord.current()
    if record is None:
        return None
    from postguard.web.policies.current import published_pack  # the policies app owns versions

    published = published_pack()
    if published is None:
        return PolicyInForce(checker_for(record), BUNDLED)
    pack, version = published
    return PolicyInForce(checker_for(record, pack, version), version)


def account_label(post: Post) -> str:
    return f"official:{post.account_id}" if post.account == "official" else "personal"


def record_check(user: User, post: Post, result: CheckResult, policy: PolicyInForce,
                 source: str, keep_text: bool) -> CheckRecord:
    """Store the outcome (and, if asked, the draft) and log it. The audit entry names the
    verdict and categories only: the draft stays private to its owner."""
    counts = Counter(finding.category for finding in result.findings)
    with transaction.atomic():
        check = CheckRecord.objects.create(
            owner=user, source=source, verdict=result.verdict, categories=sorted(counts),
            finding_counts=dict(sorted(counts.items())),
            rules=[finding.rule for finding in result.findings],
            platform=(post.platform or "")[:40], account=account_label(post)[:100],
            action=post.action, audience=post.audience, pack=policy.checker.pack.id,
            policy_version=policy.version, text=post.text if keep_text else "")
        audit(user, "check.run", f"check {check.pk}", verdict=check.verdict,
              categories=check.categories, source=source, policy_version=policy.version)
    return check


def forget_check(user: User, check: CheckRecord) -> None:
    with transaction.atomic():
        check_id = check.pk
        check.forget()
        audit(user, "check.delete", f"check {check_id}")
