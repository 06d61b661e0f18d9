"""Whatever people type is shown as text: a post containing <script> shows as text, everywhere.

Hostile text goes into each thing a person can write (a draft, a person's name, an account's
name, the policy's local note, an invitation's name); the pages that show it must show it
escaped, and no page at all may carry it raw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from known_routes import PUBLIC_PAGES, ROUTES, URL_SAMPLES, Samples, make_samples, problems_with

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
# Breaks out of an attribute value if the quote is not escaped.
IMAGE = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMAGE)
DRAFT = f"Sports day was brilliant {SCRIPT} and {IMAGE}"

SignIn = Callable[[Client, str], Any]


@pytest.fixture
def hostile(demo_school: Any, make_user: Callable[[str], Any]) -> Samples:
    """The demo school with hostile text in every field a person can fill in."""
    from postguard.web.accounts.models import Invitation
    from postguard.web.audit.models import record
    from postguard.web.checks.models import CheckRecord
    from postguard.web.policies.lifecycle import acknowledge, adopt, publish
    from postguard.web.schools.models import PersonRecord

    samples = make_samples(make_user)
    users = samples.users
    teacher = users["teacher"]
    teacher.display_name = f"Grace {SCRIPT}"
    teacher.save(update_fields=["display_name"])
    PersonRecord.objects.filter(ref="s-fenwick").update(name=f"Tom {IMAGE}")
    first = samples.objects["policy"]
    version = publish(adopt("northumberland", users["head"], f"Ask first. {SCRIPT} {IMAGE}"),
                      users["head"])
    acknowledge(teacher, version)
    Invitation.issue(email="amy.lister@westmoor.example", display_name=f"Amy {SCRIPT} {IMAGE}",
                     roles=["staff"], created_by=users["head"])
    record(users["head"], "person.edit", f"Tom {IMAGE}", name=SCRIPT)
    samples.objects.update(policy=version, first_policy=first, check=CheckRecord.objects.create(
        owner=teacher, verdict="ok", text=DRAFT))
    return samples


def assert_shown_as_text(page: str, *texts: str) -> None:
    # A finding's highlight may fall inside the text: read it as it reads without the marks.
    unmarked = re.sub(r"</?mark\b[^>]*>", "", page)
    for text in texts:
        assert text not in page, f"{text!r} is in the page raw"
        assert escape(text) in unmarked, f"{text!r} is not in the page (escaped)"


def _page(client: Client, name: str, **kwargs: Any) -> str:
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200, f"{name}: {response.status_code}"
    return response.content.decode()


# -- a draft ---------------------------------------------------------------------------------

CHECK_FORM = {"platform": "facebook", "account": "personal", "audience": "friends",
              "action": "post"}


def test_a_checked_draft_shows_as_text_on_the_check_page(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.post(reverse("checks:check"), {"text": DRAFT, **CHECK_FORM})
    assert_shown_as_text(response.content.decode(), *HOSTILE)


def test_a_draft_shows_as_text_in_the_live_preview(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.post(reverse("checks:preview"), {"text": DRAFT, **CHECK_FORM},
                           headers={"HX-Request": "true"})
    assert_shown_as_text(response.content.decode(), *HOSTILE)


def test_a_flagged_draft_shows_as_text_around_its_highlights(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    draft = f"{SCRIPT} Jayden Robson in 6B was so naughty today {IMAGE}"
    response = client.post(reverse("checks:check"), {"text": draft, **CHECK_FORM})
    page = response.content.decode()
    assert "<mark" in page
    assert_shown_as_text(page, *HOSTILE)


@pytest.mark.parametrize("name", ["checks:history", "checks:detail", "checks:delete"])
def test_a_saved_draft_shows_as_text_in_ones_own_history(
        hostile: Samples, client: Client, signed_in: SignIn, name: str) -> None:
    signed_in(client, "teacher")
    kwargs = {} if name == "checks:history" else {"pk": hostile.objects["check"].pk}
    assert_shown_as_text(_page(client, name, **kwargs), *HOSTILE)


def test_checking_a_saved_draft_again_shows_it_as_text_in_the_box(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.get(reverse("checks:check"), {"again": hostile.objects["check"].pk})
    assert_shown_as_text(response.content.decode(), *HOSTILE)


# -- a person's name -------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "name"), [
    ("head", "accounts:people"),
    ("head", "policies:record"),
    ("hr", "policies:record"),
    ("teacher", "home"),
    ("teacher", "accounts:account"),
])
def test_an_accounts_name_shows_as_text(
        hostile: Samples, client: Client, signed_in: SignIn, persona: str, name: str) -> None:
    signed_in(client, persona)
    assert_shown_as_text(_page(client, name), SCRIPT)


def test_an_accounts_name_shows_as_text_on_its_edit_page(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "head")
    page = _page(client, "accounts:user_edit", user_id=hostile.users["teacher"].pk)
    assert_shown_as_text(page, SCRIPT)


def test_a_persons_name_shows_as_text_in_the_schools_people(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "head")
    assert_shown_as_text(_page(client, "schools:roster"), IMAGE)
    assert_shown_as_text(_page(client, "schools:person_edit", ref="s-fenwick"), IMAGE)


def test_a_persons_name_shows_as_text_among_the_check_pages_recipients(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    assert_shown_as_text(_page(client, "checks:check"), IMAGE)


# -- the policy's local note -----------------------------------------------------------------


@pytest.mark.parametrize(("persona", "name"), [
    ("teacher", "policies:current"),
    ("teacher", "policies:accessible"),
    ("head", "policies:version"),
    ("head", "policies:edit"),
])
def test_the_policys_local_note_shows_as_text(
        hostile: Samples, client: Client, signed_in: SignIn, persona: str, name: str) -> None:
    signed_in(client, persona)
    takes_number = name in {"policies:version", "policies:edit"}
    kwargs = {"number": hostile.objects["policy"].number} if takes_number else {}
    assert_shown_as_text(_page(client, name, **kwargs), *HOSTILE)


def test_the_local_note_shows_as_text_in_the_difference_between_versions(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "head")
    response = client.get(reverse("policies:changes"), {
        "older": hostile.objects["first_policy"].number,
        "newer": hostile.objects["policy"].number})
    page = response.content.decode()
    for text in HOSTILE:
        assert text not in page
    assert escape("<script>") in page


def test_the_large_print_policy_shows_the_local_note_as_text(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.get(reverse("policies:accessible"), {"print": "large"})
    assert_shown_as_text(response.content.decode(), *HOSTILE)


# -- an invitation ---------------------------------------------------------------------------


def test_an_invitations_name_shows_as_text_among_those_waiting(
        hostile: Samples, client: Client, signed_in: SignIn) -> None:
    signed_in(client, "head")
    assert_shown_as_text(_page(client, "accounts:people"), *HOSTILE)


def test_an_invitations_name_shows_as_text_to_the_person_invited(
        hostile: Samples, client: Client) -> None:
    from postguard.web.accounts.models import Invitation

    _invitation, token = Invitation.issue(
        email="new.ta@westmoor.example", display_name=f"Sam {SCRIPT} {IMAGE}", roles=["staff"],
        created_by=hostile.users["head"])
    assert_shown_as_text(_page(client, "accounts:accept", token=token), *HOSTILE)


# -- every page ------------------------------------------------------------------------------

PAGES = [route for route in ROUTES
         if route.api is None and not problems_with(route) and route.name not in PUBLIC_PAGES]


@pytest.mark.parametrize("persona", ["teacher", "head", "hr", "admin"])
def test_no_page_carries_hostile_text_raw(
        hostile: Samples, signed_in: SignIn, persona: str) -> None:
    client = Client(raise_request_exception=False)
    user = signed_in(client, persona)
    raw = []
    for route in PAGES:
        sample = URL_SAMPLES.get(route.name)
        url = reverse(route.name, kwargs=sample(hostile, user) if sample else None)
        response = client.get(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        raw += [f"{url}: {text}" for text in HOSTILE if text in page]
    assert not raw
