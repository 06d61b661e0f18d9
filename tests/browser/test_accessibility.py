"""Every page meets WCAG 2.2 AA as axe-core checks it (contrast, labels, names, structure), on a
desktop screen and on a phone, fits a phone's width, and can be used from the keyboard with the
focus always visible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browsing import DESKTOP, PHONE, axe_violations
from django.urls import reverse

SignIn = Callable[[Any, str], Any]
OpenPage = Callable[..., Any]
PUPIL_DRAFT = "So proud of Jayden Robson in the Year 6 play tonight!"


@pytest.fixture
def busy_school(person: Callable[[str], Any]) -> dict[str, Any]:
    """A school some weeks in: two versions of the policy, acknowledgements, a saved check, a
    pending invitation and a review, so that every page has something to show."""
    from postguard.web.accounts.models import Invitation
    from postguard.web.checks.models import CheckRecord
    from postguard.web.policies.lifecycle import acknowledge, adopt, publish, save_edits

    head, teacher = person("head"), person("teacher")
    person("hr"), person("admin"), person("governor")
    first = publish(adopt("northumberland", head, "Ask the office before posting."), head)
    acknowledge(teacher, first)
    second = save_edits(first, {}, "Ask the office before posting about a trip.",
                        "Clearer note about trips", head)
    assert second is not None
    publish(second, head)
    check = CheckRecord.objects.create(owner=teacher, verdict="breach", text=PUPIL_DRAFT,
                                       categories=["pupil_identity"],
                                       finding_counts={"pupil_identity": 1})
    Invitation.issue(email="amy.lister@westmoor.example", display_name="Amy Lister",
                     roles=["staff"], created_by=head)
    return {"first": first, "second": second, "check": check, "teacher": teacher}


def pages_for(persona: str, school: dict[str, Any]) -> list[str]:
    newest = school["second"].number
    return {
        "teacher": [
            reverse("home"), reverse("checks:check"), reverse("checks:history"),
            reverse("checks:detail", kwargs={"pk": school["check"].pk}),
            reverse("checks:delete", kwargs={"pk": school["check"].pk}),
            reverse("policies:current"), reverse("policies:accessible"),
            reverse("policies:accessible") + "?print=large", reverse("accounts:account"),
            reverse("audit:log"),  # refused: the page that says why
        ],
        "head": [
            reverse("home"), reverse("policies:manage"),
            reverse("policies:version", kwargs={"number": newest}),
            reverse("policies:edit", kwargs={"number": newest}),
            reverse("policies:changes") + f"?older={school['first'].number}&newer={newest}",
            reverse("policies:record"), reverse("policies:reviews"), reverse("checks:counts"),
            reverse("accounts:people"), reverse("accounts:invite"),
            reverse("accounts:user_edit", kwargs={"user_id": school["teacher"].pk}),
            reverse("schools:roster"),
            reverse("schools:person_edit", kwargs={"ref": "s-okafor"}),
        ],
        "hr": [reverse("policies:record")],
        "governor": [reverse("policies:reviews")],
        "admin": [reverse("audit:log")],
    }[persona]


def _problems_on(page: Any, path: str, viewport: dict[str, int]) -> list[str]:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    problems = [f"{path}: {violation}" for violation in axe_violations(page)]
    if viewport == PHONE:
        # Chromium lays a page out 980px wide until it has applied the page's viewport tag.
        page.wait_for_function(f"window.innerWidth === {PHONE['width']}", timeout=5_000)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{path}: {width}px wide, wider than the phone")
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("persona", ["teacher", "head", "hr", "governor", "admin"])
def test_every_page_meets_wcag_2_2_aa(
        open_page: OpenPage, sign_in: SignIn, busy_school: dict[str, Any], persona: str,
        viewport: dict[str, int]) -> None:
    page = open_page(viewport)
    sign_in(page, persona)
    problems = [problem for path in pages_for(persona, busy_school)
                for problem in _problems_on(page, path, viewport)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_sign_in_and_code_pages_meet_wcag_2_2_aa(
        open_page: OpenPage, person: Callable[[str], Any], viewport: dict[str, int]) -> None:
    from browsing import PASSWORD, authenticator

    authenticator(person("head"))
    page = open_page(viewport)
    problems = _problems_on(page, reverse("accounts:login"), viewport)
    page.get_by_label("Username or email").fill("head")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    problems += _problems_on(page, page.url, viewport)
    assert not problems, "\n".join(problems)


def test_the_check_page_with_its_findings_meets_wcag_2_2_aa(
        open_page: OpenPage, sign_in: SignIn, busy_school: dict[str, Any]) -> None:
    page = open_page()
    sign_in(page, "teacher")
    page.goto(reverse("checks:check"))
    page.get_by_label("Your draft").fill(PUPIL_DRAFT)
    page.locator("#results mark").first.wait_for()
    assert axe_violations(page) == []


def test_the_audit_log_warning_of_a_broken_chain_meets_wcag_2_2_aa(
        open_page: OpenPage, sign_in: SignIn, busy_school: dict[str, Any]) -> None:
    from postguard.web.audit.models import AuditEntry

    page = open_page()
    sign_in(page, "admin")
    entry = AuditEntry.objects.filter(action="policy.acknowledge").get()
    AuditEntry.objects.filter(pk=entry.pk).update(actor="someone else")
    page.goto(reverse("audit:log"))
    page.get_by_role("heading", name="The chain is broken").wait_for()
    violations = axe_violations(page)
    # Put the entry back, or the test's own check of the chain would fail at the end.
    AuditEntry.objects.filter(pk=entry.pk).update(actor=entry.actor)
    assert violations == []


# -- the keyboard ----------------------------------------------------------------------------

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    name: (el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || el.value || '')
          .trim().replace(/:$/, '').slice(0, 60),
    // Date and time boxes are edited a part at a time; Chromium highlights the focused part.
    parts: ['date', 'time', 'datetime-local', 'month', 'week'].includes(el.type),
    outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadowed: style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0,
  };
}"""


def _tab_through(page: Any, presses: int) -> list[dict[str, Any]]:
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS))
    return stops


def _unseen(stops: list[dict[str, Any]]) -> list[str]:
    return [f"{stop['tag']} {stop['name']!r}" for stop in stops
            if stop["tag"] != "body" and not (
                (stop["outlined"] or stop["shadowed"] or stop["parts"]) and stop["onScreen"])]


def test_the_first_tab_reaches_a_visible_skip_link(open_page: OpenPage, sign_in: SignIn) -> None:
    page = open_page()
    sign_in(page, "teacher")
    page.goto(reverse("checks:check"))
    first = _tab_through(page, 1)[0]
    assert (first["tag"], first["name"], first["onScreen"]) == (
        "a", "Skip to main content", True)
    page.keyboard.press("Enter")
    stops = _tab_through(page, 1)
    assert stops[0]["tag"] in {"a", "select", "input", "textarea", "button"}


def test_signing_in_works_from_the_keyboard_alone(
        open_page: OpenPage, person: Callable[[str], Any]) -> None:
    from browsing import PASSWORD

    person("teacher")
    page = open_page()
    page.goto(reverse("accounts:login"))
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS)
        stops.append(stop)
        if stop["name"] == "Username or email":
            page.keyboard.type("teacher")
        elif stop["name"] == "Password":
            page.keyboard.type(PASSWORD)
        elif stop["name"] == "Sign in":
            page.keyboard.press("Enter")
            break
    page.get_by_role("heading", name="Hello, Grace Okafor").wait_for()
    assert not _unseen(stops)


def test_the_check_pages_controls_are_reached_by_tab_with_the_focus_visible(
        open_page: OpenPage, sign_in: SignIn) -> None:
    page = open_page()
    sign_in(page, "teacher")
    page.goto(reverse("checks:check"))
    stops = _tab_through(page, 40)
    names = [stop["name"] for stop in stops]
    for control in ("Where", "Posting as", "Who can see it", "What it is", "Your draft",
                    "Check and save"):
        assert any(name.startswith(control) for name in names), f"{control} not reached"
    assert not _unseen(stops), _unseen(stops)


def test_the_policy_is_acknowledged_from_the_keyboard(
        open_page: OpenPage, sign_in: SignIn, busy_school: dict[str, Any]) -> None:
    from postguard.web.policies.models import Acknowledgement

    page = open_page()
    sign_in(page, "teacher")
    page.goto(reverse("policies:current"))
    button = f"I have read and understood version {busy_school['second'].number}"
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS))
        if stops[-1]["name"] == button:
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail(f"Tab never reached {button!r}")
    page.get_by_text(f"You have acknowledged version {busy_school['second'].number}").wait_for()
    assert Acknowledgement.objects.filter(version=busy_school["second"]).count() == 1
    assert not _unseen(stops), _unseen(stops)
