"""Users, their roles, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django_otp import user_has_device


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

    def forget_two_factor(self) -> None:
        self.__dict__.pop("_two_factor_cache", None)

    @property
    def two_factor_required(self) -> bool:
        """Their role requires a second factor: they cannot turn it off."""
        return bool(self.roles & TWO_FACTOR_ROLES)

    @property
    def two_factor_set_up(self) -> bool:
        cached = getattr(self, "_two_factor_cache", None)
        if cached is None:
            cached = user_has_device(self, confirmed=True)
            self._two_factor_cache = cached
        return cached

    @property
    def needs_two_factor(self) -> bool:
        """Required by their role, or chosen: either way a code after every sign-in."""
        return self.two_factor_required or self.two_factor_set_up

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
        now = timezone.now()
        invitation = cls.objects.create(
            email=email, display_name=display_name, roles=roles, person_id=person_id,
            token_digest=_digest(token), created_by=created_by, created_at=now,
            expires_at=now + timedelta(days=days))
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        invitation = cls.objects.filter(token_digest=_digest(token)).first()
        if invitation is None or invitation.problem:
            return None
        return invitation

    @classmethod
    def lookup(cls, token: str) -> Invitation | None:
        """The invitation this link names, usable or not (to say why it cannot be used)."""
        return cls.objects.filter(token_digest=_digest(token)).first()

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles if role in Role.values]

    @property
    def problem(self) -> str:
        """Why this invitation cannot be used now, or "" when it can."""
        if self.accepted_at:
            return "used"
        if self.expires_at < timezone.now():
            return "expired"
        return ""


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
        # Tokens are made on the account page, which a two-factor account reaches only after
        # its code: the token carries both factors (django-otp's middleware never sees it).
        setattr(found.user, "is_verified", lambda: True)  # noqa: B010
        return found.user
