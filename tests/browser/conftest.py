"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Each xdist worker runs its own live server on a free port with its own test database, so the
workers never meet. Every test starts from the demo school (Westmoor Primary) and its people:

  teacher  Grace Okafor   staff
  head     Helen Hughes   head teacher (password, then a code from her authenticator app)
  hr       Paul Armstrong HR
  admin    Janet Clarke   administrator (two factors)
  governor Robert Charlton governor

After each test the audit log the browser wrote must still verify.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PASSWORD,
    PEOPLE,
    PHONE,
    authenticator,
    code_now,
)

# Playwright's sync API runs an event loop in this thread; Django refuses database calls from
# a thread with a running loop unless told that this is deliberate (the tests' own set-up).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def audit_chain_holds(transactional_db: Any) -> Iterator[None]:
    """After the test: whatever the browser did, the audit log still verifies."""
    yield
    from postguard.web.audit.models import verify

    result = verify()
    assert result.intact, f"audit entry {result.first_broken}: {result.problem}"


@pytest.fixture
def stored_school(transactional_db: Any, audit_chain_holds: None, settings: Any) -> Any:
    """The demo school, stored as `postguard web import-school` stores it."""
    from postguard.school.loader import load_demo_school
    from postguard.web.schools.models import SchoolRecord

    # A fast hasher: the browser signs in with the same password, checked the same way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return SchoolRecord.import_school(load_demo_school(), source="demo")


@pytest.fixture
def person(stored_school: Any) -> Callable[[str], Any]:
    """person("head") -> that persona's user, made once."""
    from postguard.web.accounts.models import RoleAssignment, User

    def make(persona: str) -> Any:
        person_id, name, roles = PEOPLE[persona]
        user = User.objects.filter(username=persona).first()
        if user is None:
            user = User.objects.create_user(persona, f"{persona}@westmoor.example", PASSWORD,
                                            person_id=person_id, display_name=name)
            RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role)
                                               for role in roles)
        return user

    return make


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """open_page(viewport=PHONE) -> a fresh page (own cookies) on the live server."""
    contexts = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        phone = viewport == PHONE
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale="en-GB",
            timezone_id="Europe/London", is_mobile=phone, has_touch=phone,
            service_workers="block")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(person: Callable[[str], Any]) -> Callable[[Any, str], Any]:
    """sign_in(page, "head"): through the sign-in page, and the code page where the role has one."""

    def go(page: Any, persona: str) -> Any:
        user = person(persona)
        device = authenticator(user) if user.needs_two_factor else None
        page.goto("/accounts/login/")
        page.get_by_label("Username or email").fill(persona)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if device is not None:
            page.get_by_role("heading", name="Enter your code").wait_for()
            page.get_by_label("code", exact=False).fill(code_now(device))
            page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name=f"Hello, {user.name}").wait_for()
        return user

    return go
