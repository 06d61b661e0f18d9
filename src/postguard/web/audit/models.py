"""An append-only log of every change of state, each entry chained by hash to the one before.

Changing or deleting an entry breaks the chain from that entry on; ``verify`` finds the first
broken one (``postguard audit verify``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

GENESIS = "0" * 64


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=100)
    subject = models.CharField(max_length=200, blank=True, default="")
    data = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def compute_hash(self) -> str:
        body = json.dumps({
            "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
            "subject": self.subject, "data": self.data, "previous": self.previous_hash,
        }, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(body.encode()).hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("audit entries are append-only")


def record(actor: Any, action: str, subject: str = "", **data: Any) -> AuditEntry:
    """Append one entry. ``actor`` is a user or a name ("system", "worker")."""
    name = getattr(actor, "username", None) or str(actor)
    with transaction.atomic():
        # Lock the tail so that two writers cannot both chain onto the same entry.
        last = AuditEntry.objects.select_for_update().order_by("-id").first()
        entry = AuditEntry(actor=name, action=action, subject=subject,
                           data=json.loads(json.dumps(data, default=str)),
                           previous_hash=last.hash if last else GENESIS)
        entry.at = timezone.now()
        entry.hash = entry.compute_hash()
        entry.save()
    return entry


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    first_broken: int | None = None
    problem: str = ""


def verify() -> Verification:
    previous = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator():
        count += 1
        if entry.previous_hash != previous:
            return Verification(False, count, entry.id,
                                 "it does not point at the entry before it")
        if entry.compute_hash() != entry.hash:
            return Verification(False, count, entry.id, "its contents have been changed")
        previous = entry.hash
    return Verification(True, count)
