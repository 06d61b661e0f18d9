"""Web test personas: one user per role, on the demo school (Westmoor Primary).

  teacher    Grace Okafor     staff
  head       Helen Hughes     head teacher (two-factor)
  dsl        Ravi Patel       designated safeguarding lead (two-factor)
  comms      Megan Doyle      communications officer
  hr         Paul Armstrong   HR
  governor   Robert Charlton  governor
  admin      Janet Clarke     administrator (two-factor)

``signed_in(client, persona)`` signs a persona in, completing the second factor where the
role needs one, as a person would after typing their code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from postguard.school.loader import load_demo_school

PERSONAS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "teacher": ("s-okafor", "Grace Okafor", ("staff",)),
    "head": ("s-hughes", "Helen Hughes", ("head_teacher", "staff")),
    "dsl": ("s-patel", "Ravi Patel", ("designated_safeguarding_lead", "staff")),
    "comms": ("s-doyle", "Megan Doyle", ("communications_officer", "staff")),
    "hr": ("s-armstrong", "Paul Armstrong", ("hr", "staff")),
    "governor": ("g-charlton", "Robert Charlton", ("governor",)),
    "admin": ("s-clarke", "Janet Clarke", ("administrator", "staff")),
}
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def demo_school(db: Any) -> Any:
    from postguard.web.schools.models import SchoolRecord

    return SchoolRecord.import_school(load_demo_school(), source="demo")


@pytest.fixture
def make_user(db: Any) -> Callable[[str], Any]:
    from postguard.web.accounts.models import RoleAssignment, User

    def make(persona: str) -> Any:
        person_id, name, roles = PERSONAS[persona]
        user = User.objects.filter(username=persona).first()
        if user is None:
            user = User.objects.create_user(persona, f"{persona}@westmoor.example",
                                            PASSWORD, person_id=person_id, display_name=name)
            for role in roles:
                RoleAssignment.objects.create(user=user, role=role)
        return user

    return make


def totp_device(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first()
    return device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def signed_in(make_user: Callable[[str], Any]) -> Callable[[Client, str], Any]:
    from django_otp import DEVICE_ID_SESSION_KEY

    def sign_in(client: Client, persona: str) -> Any:
        user = make_user(persona)
        client.force_login(user)
        if user.needs_two_factor:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
            session.save()
        return user

    return sign_in


@pytest.fixture(autouse=True)
def _quick_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing use a quick hasher so the
    suite stays fast. Mark a test ``real_hasher`` to keep the production hashers."""
    if request.node.get_closest_marker("real_hasher") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
