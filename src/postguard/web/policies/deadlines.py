"""Review dates: when the policy is next due for review, and the reminders as it falls due.

The due date is a stored column (PolicyVersion.review_due), set on publication and reset by
each review. ``send_due_review_reminders`` is a deadline poller (web/deadlines.py) and is safe to
run twice, because each reminder is a unique row per version, kind and due date.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from postguard.policy.loader import load_pack
from postguard.web.accounts.models import Role, User
from postguard.web.audit.models import record
from postguard.web.policies.models import PolicyVersion, ReviewReminder

REMIND_DAYS_BEFORE = 30
log = logging.getLogger(__name__)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; the month's last day where that day does not exist."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def review_period_months(version: PolicyVersion) -> int | None:
    """The adopted pack's review period; None for a pack that sets none."""
    review = load_pack(version.pack_id).procedures.review
    return review.period_months if review else None


def next_review_due(version: PolicyVersion, counted_from: date) -> date | None:
    months = review_period_months(version)
    return add_months(counted_from, months) if months else None


def review_recipients() -> list[User]:
    """The head teacher and the governors: the people who review the policy."""
    return list(User.objects.filter(
        is_active=True, role_assignments__role__in=[Role.HEAD_TEACHER, Role.GOVERNOR],
    ).distinct().order_by("username"))


def reminder_due(version: PolicyVersion, today: date) -> str | None:
    """Which reminder the version's review date calls for today, if any."""
    if version.review_due is None:
        return None
    if today >= version.review_due:
        return ReviewReminder.Kind.OVERDUE
    if today >= version.review_due - timedelta(days=REMIND_DAYS_BEFORE):
        return ReviewReminder.Kind.DUE_SOON
    return None


def send_due_review_reminders(now: datetime | None = None) -> list[ReviewReminder]:
    """Send the review reminders that are due and not yet sent; return those sent now."""
    version = PolicyVersion.current()
    if version is None or version.review_due is None:
        return []
    today = timezone.localdate(now or timezone.now())
    kind = reminder_due(version, today)
    if kind is None:
        return []
    recipients = review_recipients()
    with transaction.atomic():
        reminder, created = ReviewReminder.objects.get_or_create(
            version=version, kind=kind, due_on=version.review_due,
            defaults={"recipients": [user.username for user in recipients],
                      "sent_at": now or timezone.now()})
    if not created:
        return []
    _email(version, reminder, recipients)
    record("worker", "policy.review_reminder", f"policy version {version.number}",
           kind=kind, due_on=version.review_due.isoformat(), recipients=reminder.recipients)
    return [reminder]


def _email(version: PolicyVersion, reminder: ReviewReminder, recipients: list[User]) -> None:
    due = f"{reminder.due_on.day} {reminder.due_on:%B %Y}"
    if reminder.kind == ReviewReminder.Kind.OVERDUE:
        subject = f"The social media policy's review is overdue (it was due {due})"
    else:
        subject = f"The social media policy is due for review by {due}"
    body = (f"{subject}.\n\nThe policy in force is version {version.number}. "
            f"Its review period is {review_period_months(version)} months from publication "
            "or the last review.\n\nOpen PostGuard and choose Reviews to record the review.\n")
    addresses = [user.email for user in recipients if user.email]
    if addresses:
        send_mail(subject, body, None, addresses)
    else:
        log.warning("review reminder for version %s: nobody to email", version.number)
