"""Every change of state in the policy's lifecycle, each written to the audit log with it.

Views and the API call these; nothing else writes policy records.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from postguard.web.accounts.models import User
from postguard.web.audit.models import record
from postguard.web.policies.deadlines import next_review_due
from postguard.web.policies.models import Acknowledgement, How, PolicyVersion, Review


class NotAllowedNow(Exception):
    """The change makes no sense in the current state (the message says why, in plain words)."""


def adopt(pack_id: str, by: User, local_note: str = "") -> PolicyVersion:
    with transaction.atomic():
        version = PolicyVersion.objects.create(
            number=PolicyVersion.next_number(), pack_id=pack_id, local_note=local_note.strip(),
            change_summary=f"Adopted the {pack_id} policy", created_by=by)
        record(by, "policy.adopt", f"policy version {version.number}", pack=pack_id)
    return version


def save_edits(base: PolicyVersion, edits: dict[str, dict[str, Any]], local_note: str,
               change_summary: str, by: User) -> PolicyVersion | None:
    """A new version with these edits; None when nothing differs from ``base``."""
    local_note = local_note.strip()
    if edits == base.edits and local_note == base.local_note:
        return None
    with transaction.atomic():
        version = PolicyVersion.objects.create(
            number=PolicyVersion.next_number(), pack_id=base.pack_id, edits=edits,
            local_note=local_note, based_on=base, created_by=by,
            change_summary=change_summary.strip() or _summary(base, edits, local_note))
        record(by, "policy.edit", f"policy version {version.number}",
               based_on=base.number, rules_edited=sorted(edits), summary=version.change_summary)
    return version


def _summary(base: PolicyVersion, edits: dict[str, dict[str, Any]], local_note: str) -> str:
    """What changed, in a few words, for when the head teacher leaves the summary empty."""
    changed = len({rule_id for rule_id in {*base.edits, *edits}
                   if base.edits.get(rule_id) != edits.get(rule_id)})
    parts = [f"{changed} rule{'s' if changed != 1 else ''} changed"] if changed else []
    if local_note != base.local_note:
        parts.append("local note changed")
    return f"{', '.join(parts).capitalize()} (from version {base.number})"


def publish(version: PolicyVersion, by: User) -> PolicyVersion:
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if locked.published_at is not None:
            raise NotAllowedNow(f"Version {locked.number} was published already.")
        previous = PolicyVersion.objects.filter(is_current=True).first()
        PolicyVersion.objects.filter(is_current=True).update(is_current=False)
        now = timezone.now()
        locked.published_at, locked.published_by, locked.is_current = now, by, True
        locked.review_due = next_review_due(locked, timezone.localdate(now))
        locked.save(update_fields=["published_at", "published_by", "is_current", "review_due"])
        record(by, "policy.publish", f"policy version {locked.number}",
               pack=locked.pack_id, replaces=previous.number if previous else None,
               review_due=locked.review_due.isoformat() if locked.review_due else None)
    return locked


def acknowledge(user: User, version: PolicyVersion, *, how: str = How.ONLINE,
                on: date | None = None, recorded_by: User | None = None) -> Acknowledgement:
    """Record that ``user`` read and understood ``version``: online by themselves, or in
    person (induction, staff meeting, training) as recorded by the head teacher."""
    if version.published_at is None:
        raise NotAllowedNow(f"Version {version.number} has not been published.")
    recorded_by = recorded_by or user
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                user=user, version=version, how=how, acknowledged_on=on or timezone.localdate(),
                recorded_by=recorded_by)
            record(recorded_by, "policy.acknowledge", f"policy version {version.number}",
                   user=user.username, how=how, on=ack.acknowledged_on.isoformat())
    except IntegrityError:
        raise NotAllowedNow(
            f"{user.name} has already acknowledged version {version.number}.") from None
    return ack


def record_review(version: PolicyVersion, *, reviewed_on: date, outcome: str, notes: str,
                  by: User) -> Review:
    """A review restarts the clock: the next one falls due a review period after it."""
    with transaction.atomic():
        review = Review.objects.create(
            version=version, reviewed_on=reviewed_on, outcome=outcome, notes=notes.strip(),
            next_due=next_review_due(version, reviewed_on), recorded_by=by)
        version.review_due = review.next_due
        version.save(update_fields=["review_due"])
        record(by, "policy.review", f"policy version {version.number}",
               reviewed_on=reviewed_on.isoformat(), outcome=outcome,
               next_due=review.next_due.isoformat() if review.next_due else None)
    return review
