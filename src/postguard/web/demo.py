"""The demo: Westmoor Primary and one sign-in per role, for trying PostGuard on one's own machine.

Every start gives each demo user a fresh random password (printed by `postguard serve --demo`),
so a demo left running is not open to anyone who has read this file. Roles that need two-factor
sign-in get an authenticator secret, printed too; `postguard web demo-code USER` prints the
current code for someone without a phone to hand.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from rich import box
from rich.table import Table

from postguard.school.loader import load_demo_school
from postguard.web.accounts import totp
from postguard.web.accounts.models import Role, RoleAssignment, User
from postguard.web.audit.models import record
from postguard.web.schools.models import SchoolRecord

DEMO_EMAIL_DOMAIN = "westmoor.example"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    person_id: str
    name: str
    roles: tuple[str, ...]


# One per role, as the web tests' personas (tests/web/conftest.py), people of the demo school.
DEMO_PEOPLE = (
    DemoPerson("teacher", "s-okafor", "Grace Okafor", (Role.STAFF,)),
    DemoPerson("head", "s-hughes", "Helen Hughes", (Role.HEAD_TEACHER, Role.STAFF)),
    DemoPerson("dsl", "s-patel", "Ravi Patel", (Role.SAFEGUARDING_LEAD, Role.STAFF)),
    DemoPerson("comms", "s-doyle", "Megan Doyle", (Role.COMMUNICATIONS_OFFICER, Role.STAFF)),
    DemoPerson("hr", "s-armstrong", "Paul Armstrong", (Role.HR, Role.STAFF)),
    DemoPerson("governor", "g-charlton", "Robert Charlton", (Role.GOVERNOR,)),
    DemoPerson("admin", "s-clarke", "Janet Clarke", (Role.ADMINISTRATOR, Role.STAFF)),
)

# Letters and digits that cannot be misread for one another when typed from a terminal.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    name: str
    roles: tuple[str, ...]
    password: str
    totp_secret: str | None  # only for roles that need two-factor sign-in


def fresh_password() -> str:
    """Four groups of four: about 79 bits, and easy to copy by eye."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(16))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def prepare_demo() -> list[DemoSignIn]:
    """Store the demo school if no school is stored, and (re)make the demo users."""
    with transaction.atomic():
        if SchoolRecord.current() is None:
            school = SchoolRecord.import_school(load_demo_school(), source="demo")
            record("demo", "school.import", school.name, files=["demo school"],
                   people=school.people.count())
        return [_demo_user(person) for person in DEMO_PEOPLE]


def _demo_user(person: DemoPerson) -> DemoSignIn:
    from axes.utils import reset as reset_lockouts

    password = fresh_password()
    user = User.objects.filter(username=person.username).first()
    created = user is None
    if user is None:
        user = User(username=person.username)
    user.email = f"{person.username}@{DEMO_EMAIL_DOMAIN}"
    user.display_name, user.person_id, user.is_active = person.name, person.person_id, True
    user.set_password(password)
    user.save()
    held = set(user.role_assignments.values_list("role", flat=True))
    if held != set(person.roles):
        user.role_assignments.exclude(role__in=person.roles).delete()
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=role, granted_by="demo")
            for role in person.roles if role not in held)
        user.forget_roles()
    reset_lockouts(username=person.username)  # a fresh start for the demo's sign-ins
    secret = None
    if user.two_factor_required:
        device = totp.confirmed_device(user)
        if device is None:
            device = totp.pending_device(user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        secret = totp.secret(device)
    record("demo", "demo.user_ready", person.username, created=created,
           roles=sorted(person.roles), two_factor=secret is not None)
    return DemoSignIn(person.username, person.name, person.roles, password, secret)


def demo_code(username: str) -> str:
    """The current two-factor code of a demo user (raises LookupError for anyone else)."""
    user = User.objects.filter(username=username,
                               email=f"{username}@{DEMO_EMAIL_DOMAIN}").first()
    if user is None or username not in {person.username for person in DEMO_PEOPLE}:
        known = ", ".join(person.username for person in DEMO_PEOPLE)
        raise LookupError(f"{username!r} is not a demo user ({known})")
    device = totp.confirmed_device(user)
    if device is None:
        raise LookupError(f"{username!r} signs in without a code")
    return totp.current_code(device)


def sign_in_table(sign_ins: list[DemoSignIn]) -> Table:
    table = Table(title="Demo sign-ins (new passwords each time the demo starts)",
                  title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("username", no_wrap=True)
    table.add_column("password", no_wrap=True, min_width=19)
    table.add_column("who")
    table.add_column("role")
    # Folded rather than cut on a narrow terminal: every character of a secret matters.
    table.add_column("two-factor secret", overflow="fold")
    for sign_in in sign_ins:
        roles = ", ".join(Role(role).label for role in sign_in.roles if role != Role.STAFF)
        table.add_row(sign_in.username, sign_in.password, sign_in.name,
                      roles or Role.STAFF.label, sign_in.totp_secret or "")
    return table
