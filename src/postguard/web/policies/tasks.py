"""Background work: emailing staff who have not yet acknowledged the policy."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task

from postguard.web.accounts.models import User
from postguard.web.audit.models import record
from postguard.web.policies.models import AcknowledgementReminder, PolicyVersion


@task()
def send_acknowledgement_reminders(version_number: int, user_ids: list[int],
                                   sent_by: str) -> int:
    """Email each person; skip anyone who acknowledged since the reminder was asked for, and
    name in the audit log anyone who has no email address. Returns how many were emailed."""
    version = PolicyVersion.objects.get(number=version_number)
    done = set(version.acknowledgements.values_list("user_id", flat=True))
    reminded: list[str] = []
    without_email: list[str] = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("username"):
        if user.pk in done:
            continue
        if not user.email:
            without_email.append(user.username)
            continue
        send_mail(
            f"Please read and acknowledge the social media policy (version {version_number})",
            f"Dear {user.name},\n\nVersion {version_number} of the school's social media "
            "policy has been published. Please read it and confirm that you have read and "
            "understood it: open PostGuard and choose 'The policy'.\n\nThank you.\n",
            None, [user.email])
        AcknowledgementReminder.objects.create(version=version, user=user, sent_by=sent_by)
        reminded.append(user.username)
    record(sent_by, "policy.remind", f"policy version {version_number}",
           reminded=reminded, without_email=without_email)
    return len(reminded)
