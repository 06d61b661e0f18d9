"""The policy's lifecycle as records: versions, acknowledgements, reviews and reminders.

A version is never edited once saved (a local edit makes the next version); only its
publication and its review date are set afterwards. Its rules are the bundled pack named by
``pack_id`` with ``edits`` applied (see edits.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PolicyVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    pack_id = models.CharField(max_length=100)
    edits = models.JSONField(
        default=dict, blank=True,
        help_text="rule id -> {enabled, severity, message, advice}: only what differs "
                  "from the pack")
    local_note = models.TextField(blank=True, default="")
    change_summary = models.CharField(max_length=300, blank=True, default="")
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    # The one version staff read now; the constraint keeps it to one even under a race.
    is_current = models.BooleanField(default=False)
    review_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="one_current_policy_version"),
        ]

    def __str__(self) -> str:
        return f"version {self.number}"

    @property
    def label(self) -> str:
        if self.published_at is None:
            return f"v{self.number} (draft)"
        return f"v{self.number} (published {timezone.localdate(self.published_at).isoformat()})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @classmethod
    def current(cls) -> PolicyVersion | None:
        return cls.objects.filter(is_current=True).first()

    @classmethod
    def next_number(cls) -> int:
        latest = cls.objects.order_by("-number").values_list("number", flat=True).first()
        return (latest or 0) + 1


class How(models.TextChoices):
    ONLINE = "online", "Online"
    INDUCTION = "induction", "At induction"
    STAFF_MEETING = "staff_meeting", "At a staff meeting"
    TRAINING = "training", "At training"


class Acknowledgement(models.Model):
    """One person's 'I have read and understood version N', online or given in person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="policy_acknowledgements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT,
                                related_name="acknowledgements")
    acknowledged_on = models.DateField()
    how = models.CharField(max_length=20, choices=How.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["version", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "version"],
                                               name="one_acknowledgement_per_version")]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.version} ({self.how})"


class Review(models.Model):
    """A review of the policy by the head teacher or governors, which restarts the clock."""

    class Outcome(models.TextChoices):
        NO_CHANGE = "no_change", "Reviewed: no changes needed"
        CHANGES = "changes", "Reviewed: changes needed (a new version will follow)"
        REPLACE = "replace", "Reviewed: adopt a different policy"

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField(blank=True, default="")
    next_due = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"review of {self.version} on {self.reviewed_on}"


class AcknowledgementReminder(models.Model):
    """An email asking one person to read and acknowledge a version."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT,
                                related_name="acknowledgement_reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-sent_at"]


class ReviewReminder(models.Model):
    """A reminder that a review is due soon or overdue. One per version, kind and due date:
    the unique row is what makes the deadline poll safe to run twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Review due within 30 days"
        OVERDUE = "overdue", "Review overdue"

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT,
                                related_name="review_reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["version", "kind", "due_on"],
                                               name="one_review_reminder_per_deadline")]
