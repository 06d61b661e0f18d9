"""What staff do in PostGuard, in a real browser: sign in, check a draft, read and acknowledge the
policy, and the head teacher's written record of who has."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from browsing import PHONE, authenticator, code_now

SignIn = Callable[[Any, str], Any]
OpenPage = Callable[..., Any]
PUPIL_DRAFT = "So proud of Jayden Robson in the Year 6 play tonight!"


@pytest.fixture
def published(person: Callable[[str], Any]) -> Any:
    """The head teacher has adopted and published the Northumberland policy."""
    from postguard.web.policies.lifecycle import adopt, publish

    head = person("head")
    return publish(adopt("northumberland", head, "Ask the office before posting about a trip."),
                   head)


def test_the_head_teacher_signs_in_with_password_then_code(
        open_page: OpenPage, person: Callable[[str], Any]) -> None:
    from postguard.web.audit.models import AuditEntry

    device = authenticator(person("head"))
    page = open_page()
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username or email").fill("head")
    page.get_by_label("Password").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    # Before the code, nothing else opens: the policy's record sends her back here.
    page.goto("/policy/record/")
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("6-digit code from your authenticator app").fill(code_now(device))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Acknowledgements").wait_for()
    assert list(AuditEntry.objects.filter(actor="head").values_list("action", flat=True)) == [
        "account.sign_in", "two_factor.passed"]


def test_a_wrong_code_keeps_the_head_teacher_out(
        open_page: OpenPage, person: Callable[[str], Any]) -> None:
    device = authenticator(person("head"))
    page = open_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill("head")
    page.get_by_label("Password").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Sign in").click()
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    page.get_by_label("6-digit code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("That code didn't work").wait_for()
    page.goto("/")
    page.get_by_role("heading", name="Enter your code").wait_for()


def test_a_draft_is_checked_as_it_is_typed_with_the_findings_marked(
        open_page: OpenPage, sign_in: SignIn) -> None:
    from postguard.web.checks.models import CheckRecord

    page = open_page()
    sign_in(page, "teacher")
    page.get_by_role("link", name="Check a post").first.click()
    page.get_by_label("Your draft").press_sequentially(PUPIL_DRAFT, delay=5)
    results = page.locator("#results")
    results.locator("mark", has_text="Jayden Robson").wait_for()
    assert "Not saved" in results.inner_text()
    findings = results.locator("li.finding")
    assert findings.count() >= 1
    first = findings.first.inner_text()
    assert "clause" in first and "What to do:" in first
    # Typing checks without keeping anything: nothing is saved until she asks.
    assert CheckRecord.objects.count() == 0


def test_a_safer_wording_is_offered_for_a_draft_naming_a_pupil(
        open_page: OpenPage, sign_in: SignIn) -> None:
    page = open_page()
    sign_in(page, "teacher")
    page.goto("/checks/")
    page.get_by_label("Your draft").fill(PUPIL_DRAFT)
    suggestion = page.locator("#results blockquote.suggestion").first
    suggestion.wait_for()
    assert "Jayden" not in suggestion.inner_text()


def test_checking_and_saving_keeps_the_draft_in_ones_own_history(
        open_page: OpenPage, sign_in: SignIn) -> None:
    page = open_page()
    sign_in(page, "teacher")
    page.goto("/checks/")
    page.get_by_label("Your draft").fill(PUPIL_DRAFT)
    page.get_by_role("button", name="Check and save").click()
    page.get_by_role("link", name="your checks").last.click()
    page.get_by_text(PUPIL_DRAFT).wait_for()


def test_a_member_of_staff_reads_and_acknowledges_the_policy(
        open_page: OpenPage, sign_in: SignIn, published: Any) -> None:
    from postguard.web.policies.models import Acknowledgement

    page = open_page()
    sign_in(page, "teacher")
    page.get_by_role("link", name="The policy").first.click()
    page.get_by_text("Ask the office before posting about a trip.").wait_for()
    page.get_by_role("button", name=f"I have read and understood version {published.number}"
                     ).click()
    page.get_by_text(f"You have acknowledged version {published.number}").wait_for()
    ack = Acknowledgement.objects.get()
    assert (ack.user.username, ack.version_id, ack.how) == ("teacher", published.pk, "online")


def test_the_head_teacher_sees_who_has_acknowledged_and_downloads_the_record(
        open_page: OpenPage, sign_in: SignIn, person: Callable[[str], Any],
        published: Any) -> None:
    from postguard.web.policies.lifecycle import acknowledge

    acknowledge(person("teacher"), published)
    person("hr")
    page = open_page()
    sign_in(page, "head")
    page.get_by_role("link", name="Acknowledgements").first.click()
    grace = page.get_by_role("row", name=re.compile("Grace Okafor"))
    assert "Yes" in grace.inner_text()
    assert "Not yet" in page.get_by_role("row", name=re.compile("Paul Armstrong")).inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="spreadsheet (CSV)").click()
    csv = download.value.path().read_text()
    assert "Grace Okafor" in csv and "Paul Armstrong" in csv


def test_the_head_teacher_publishes_a_version_and_staff_see_it(
        open_page: OpenPage, sign_in: SignIn) -> None:
    page = open_page()
    sign_in(page, "head")
    page.get_by_role("link", name="Manage the policy").first.click()
    page.get_by_label("Policy to adopt").select_option("northumberland")
    page.get_by_label("Local note (optional)").fill("Trips: ask the office first.")
    page.get_by_role("button", name=re.compile("Adopt")).click()
    page.get_by_role("button", name=re.compile("Publish")).first.click()
    page.get_by_text("is now the policy staff read").wait_for()
    staff = open_page()
    sign_in(staff, "teacher")
    staff.goto("/policy/")
    staff.get_by_text("Trips: ask the office first.").wait_for()


def test_the_check_page_works_on_a_phone(open_page: OpenPage, sign_in: SignIn) -> None:
    page = open_page(PHONE)
    sign_in(page, "teacher")
    page.goto("/checks/")
    page.get_by_label("Your draft").fill(PUPIL_DRAFT)
    page.locator("#results mark", has_text="Jayden Robson").wait_for()
    page.get_by_role("button", name="Check and save").scroll_into_view_if_needed()
    assert page.get_by_role("button", name="Check and save").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
