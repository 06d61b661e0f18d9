"""What is kept of a check: its outcome for the school's counts, and the draft for its owner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from postguard.policy.categories import VERDICTS


class CheckRecord(models.Model):
    """One explicit check. ``text`` is private to ``owner``; nobody else's page or API reads it.

    Deleting a check from one's history erases the text and the link to its owner, but keeps
    the outcome, so the school's anonymous counts do not change behind the head teacher's back.
    """

    class Source(models.TextChoices):
        WEB = "web", "Check page"
        API = "api", "API"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="check_records")
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    verdict = models.CharField(max_length=10, choices=[(v, v) for v in VERDICTS])
    categories = models.JSONField(default=list, help_text="distinct categories, sorted")
    finding_counts = models.JSONField(default=dict, help_text="category: number of findings")
    rules = models.JSONField(default=list, help_text="ids of the rules that fired")
    platform = models.CharField(max_length=40, blank=True, default="")
    account = models.CharField(max_length=100, blank=True, default="personal")
    action = models.CharField(max_length=20, blank=True, default="post")
    audience = models.CharField(max_length=20, blank=True, default="public")
    pack = models.CharField(max_length=100, blank=True, default="")
    policy_version = models.CharField(max_length=100, blank=True, default="")
    text = models.TextField(blank=True, default="", help_text="the draft, for its owner only")

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["owner", "-checked_at"], name="checks_owner_newest")]

    def __str__(self) -> str:
        return f"check {self.pk}: {self.verdict}"

    @property
    def verdict_label(self) -> str:
        return "OK" if self.verdict == "ok" else self.verdict.capitalize()

    @property
    def findings(self) -> int:
        return sum(self.finding_counts.values())

    def forget(self) -> None:
        """Take the check out of its owner's history for good (see the class docstring)."""
        self.owner = None
        self.text = ""
        self.save(update_fields=["owner", "text"])
