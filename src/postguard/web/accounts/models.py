"""Users, their roles, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    STAFF = "staff", "Member of staff"
    HEAD_TEACHER = "head_teacher", "Head teacher"
    SAFEGUARDING_LEAD = "designated_safeguarding_lead", "Designated safeguarding lead"
    COMMUNICATIONS_OFFICER = "communications_officer", "Communications officer"
    HR = "hr", "HR"
    GOVERNOR = "governor", "Governor"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles whose accounts can see safeguarding reports or change the school's set-up: their
# sign-in needs a second factor (TOTP).
TWO_FACTOR_ROLES = frozenset({Role.HEAD_TEACHER, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR})


class User(AbstractUser):
    """A person who signs in. ``person_id`` links them to the school's people (the roster)."""

    person_id = models.CharField(max_length=100, blank=True, default="")
    display_name = models.CharField(max_length=200, blank=True, default="")

    @property
    def roles(self) -> frozenset[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles_cache", None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES)

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_role_once")]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.role}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time link that lets a named person set a password. Only its digest is stored."""

    email = models.EmailField()
    display_name = models.CharField(max_length=200)
    person_id = models.CharField(max_length=100, blank=True, default="")
    roles = models.JSONField(default=list)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True,
                                   related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, *, email: str, display_name: str, roles: list[str], created_by: User | None,
              person_id: str = "", days: int = 7) -> tuple[Invitation, str]:
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            email=email, display_name=display_name, roles=roles, person_id=person_id,
            token_digest=_digest(token), created_by=created_by,
            expires_at=timezone.now() + timedelta(days=days))
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        invitation = cls.objects.filter(token_digest=_digest(token)).first()
        if invitation is None or invitation.accepted_at or invitation.expires_at < timezone.now():
            return None
        return invitation


class ApiToken(models.Model):
    """A bearer token for the JSON API. Shown once; only its digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        token = "pg_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(token)), token

    @classmethod
    def user_for(cls, token: str) -> User | None:
        found = cls.objects.select_related("user").filter(digest=_digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        found.last_used_at = timezone.now()
        found.save(update_fields=["last_used_at"])
        return found.user
