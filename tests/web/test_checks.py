"""The check page: a draft checked as it is typed, saved on request, private to its owner."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from postguard.web.audit.models import AuditEntry
from postguard.web.checks.models import CheckRecord

pytestmark = pytest.mark.usefixtures("demo_school")

SignIn = Callable[[Client, str], Any]
PUPIL_DRAFT = "So proud of Jayden Robson in the Year 6 play tonight!"


def draft(text: str, **fields: str) -> dict[str, str]:
    return {"text": text, "platform": "facebook", "account": "personal", "audience": "friends",
            "action": "post", "target": "", "posted_at": "2026-11-21T19:30", **fields}


def account_choices(client: Client) -> list[str]:
    page = client.get(reverse("checks:check")).content.decode()
    select = re.search(r'<select name="account".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]+)"', select.group(0))


def test_a_teacher_is_offered_only_their_personal_account(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    assert account_choices(client) == ["personal"]


def test_the_communications_officer_is_offered_the_accounts_they_post_on(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "comms")
    assert account_choices(client) == ["personal", "official:facebook", "official:x"]


def test_the_check_page_updates_as_the_person_types(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    page = client.get(reverse("checks:check")).content.decode()
    assert f'hx-post="{reverse("checks:preview")}"' in page
    assert 'hx-trigger="input changed delay:400ms, change"' in page
    assert 'id="results" aria-live="polite"' in page


def test_a_draft_naming_a_pupil_shows_the_finding_with_the_name_marked(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.post(reverse("checks:preview"), draft(PUPIL_DRAFT))
    page = response.content.decode()
    assert response.status_code == 200
    assert "So proud of <mark>Jayden Robson</mark> in the Year 6 play tonight!" in page
    assert "Pupil identification" in page and "clause 4.2" in page
    assert "Leave the pupil&#x27;s name and details out" in page


def test_a_draft_naming_a_pupil_is_offered_without_the_name(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    page = client.post(reverse("checks:preview"), draft(PUPIL_DRAFT)).content.decode()
    assert "So proud of a pupil in the Year 6 play tonight!" in page


def test_a_finding_says_who_it_must_be_reported_to(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    text = ("Social services were in again today about one of my Year 4s, "
            "the child protection case is getting worse")
    page = client.post(reverse("checks:preview"), draft(text)).content.decode()
    assert "the designated safeguarding lead (Ravi Patel)" in page


def test_a_script_in_a_draft_is_shown_as_text_in_the_preview(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    page = client.post(reverse("checks:preview"),
                       draft("<script>alert(1)</script> Jayden Robson")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_preview_saves_and_logs_nothing(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    client.post(reverse("checks:preview"), draft(PUPIL_DRAFT))
    assert not CheckRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="check.run").exists()


def test_the_preview_needs_sign_in(client: Client) -> None:
    response = client.post(reverse("checks:preview"), draft(PUPIL_DRAFT))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_preview_needs_the_checks_permission(client: Client, db: Any) -> None:
    from postguard.web.accounts.models import User

    client.force_login(User.objects.create_user("no-role", "x@westmoor.example", "x" * 12))
    response = client.post(reverse("checks:preview"), draft(PUPIL_DRAFT))
    assert response.status_code == 403


def test_checking_without_javascript_shows_the_same_results(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.post(reverse("checks:check"), draft(PUPIL_DRAFT))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Jayden Robson</mark>" in page and "Pupil identification" in page


def test_checking_saves_the_draft_for_its_owner(client: Client, signed_in: SignIn) -> None:
    teacher = signed_in(client, "teacher")
    client.post(reverse("checks:check"), draft(PUPIL_DRAFT))
    saved = CheckRecord.objects.get()
    assert (saved.owner, saved.text, saved.verdict) == (teacher, PUPIL_DRAFT, "breach")
    assert saved.categories == ["pupil_identification", "work_identity"]


def test_the_audit_log_records_the_verdict_and_categories_but_not_the_draft(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    client.post(reverse("checks:check"), draft(PUPIL_DRAFT))
    entry = AuditEntry.objects.get(action="check.run")
    assert entry.actor == "teacher"
    assert entry.data["verdict"] == "breach"
    assert entry.data["categories"] == ["pupil_identification", "work_identity"]
    assert "Jayden" not in str(entry.data) and "Jayden" not in entry.subject


def test_a_time_in_a_lesson_is_read_as_school_time(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    # Monday 23 November 2026, 09:30 in Westmoor: Lesson 1.
    client.post(reverse("checks:check"),
                draft("Anyone watching the match tonight?", posted_at="2026-11-23T09:30"))
    assert "working_time" in CheckRecord.objects.get().categories


def test_a_message_to_a_pupil_from_the_roster_is_pupil_contact(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    client.post(reverse("checks:check"), draft("Hi, how are you getting on?", action="message",
                                                audience="direct", target="Jayden Robson"))
    assert "pupil_contact" in CheckRecord.objects.get().categories


def test_a_teacher_cannot_check_as_an_official_account_they_do_not_post_on(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    response = client.post(reverse("checks:check"),
                           draft("Well done Year 6!", account="official:facebook"))
    assert "Select a valid choice" in response.content.decode()
    assert not CheckRecord.objects.exists()


def test_the_communications_officer_checks_as_the_schools_account(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "comms")
    client.post(reverse("checks:check"), draft("Well done Year 6!", account="official:x"))
    saved = CheckRecord.objects.get()
    assert (saved.account, saved.platform) == ("official:x", "x")
    assert "work_identity" not in saved.categories  # she is authorised on @WestmoorPS


def test_checks_use_the_published_policy_version(
        client: Client, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch) -> None:
    from postguard.policy.loader import load_pack
    from postguard.web.policies import current

    bundled = load_pack("northumberland")
    local = bundled.model_copy(update={"rules": tuple(
        rule for rule in bundled.rules if rule.category != "pupil_identification")})
    monkeypatch.setattr(current, "published_pack", lambda: (local, "v2 (published today)"))
    signed_in(client, "teacher")
    client.post(reverse("checks:check"), draft(PUPIL_DRAFT))
    saved = CheckRecord.objects.get()
    assert saved.policy_version == "v2 (published today)"
    assert "pupil_identification" not in saved.categories


# -- one's own history -------------------------------------------------------------------------


def save_check(owner: Any, text: str, verdict: str = "ok", **fields: Any) -> CheckRecord:
    return CheckRecord.objects.create(owner=owner, text=text, verdict=verdict, **fields)


def test_the_history_lists_only_ones_own_checks_newest_first(
        client: Client, signed_in: SignIn, make_user: Callable[[str], Any]) -> None:
    teacher = signed_in(client, "teacher")
    first = save_check(teacher, "Lovely harvest festival today")
    save_check(make_user("comms"), "Christmas Fair on Saturday, all welcome")
    second = save_check(teacher, "Half term at last")
    page = client.get(reverse("checks:history")).content.decode()
    assert "Christmas Fair" not in page
    assert page.index("Half term at last") < page.index("Lovely harvest festival today")
    assert reverse("checks:detail", args=[first.pk]) in page
    assert reverse("checks:detail", args=[second.pk]) in page


def test_a_script_in_a_saved_draft_is_shown_as_text_in_the_history(
        client: Client, signed_in: SignIn) -> None:
    teacher = signed_in(client, "teacher")
    saved = save_check(teacher, "<script>alert(1)</script>")
    for url in (reverse("checks:history"), reverse("checks:detail", args=[saved.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_head_teacher_cannot_read_a_teachers_check(
        client: Client, signed_in: SignIn, make_user: Callable[[str], Any]) -> None:
    saved = save_check(make_user("teacher"), "Between you and me, the head is useless")
    signed_in(client, "head")
    response = client.get(reverse("checks:detail", args=[saved.pk]))
    assert response.status_code == 404
    assert "useless" not in response.content.decode()


def test_an_administrator_cannot_delete_a_teachers_check(
        client: Client, signed_in: SignIn, make_user: Callable[[str], Any]) -> None:
    saved = save_check(make_user("teacher"), "Half term at last")
    signed_in(client, "admin")
    assert client.post(reverse("checks:delete", args=[saved.pk])).status_code == 404
    assert CheckRecord.objects.get(pk=saved.pk).text == "Half term at last"


def test_a_head_teacher_does_not_see_a_teachers_checks_in_their_own_history(
        client: Client, signed_in: SignIn, make_user: Callable[[str], Any]) -> None:
    save_check(make_user("teacher"), "Between you and me, the head is useless")
    signed_in(client, "head")
    assert "useless" not in client.get(reverse("checks:history")).content.decode()


def test_deleting_a_check_erases_its_draft_and_is_logged(
        client: Client, signed_in: SignIn) -> None:
    teacher = signed_in(client, "teacher")
    saved = save_check(teacher, "Half term at last", verdict="advice",
                       categories=["working_time"])
    response = client.post(reverse("checks:delete", args=[saved.pk]))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.owner, saved.text) == (None, "")
    assert not CheckRecord.objects.filter(owner=teacher).exists()
    entry = AuditEntry.objects.get(action="check.delete")
    assert (entry.actor, entry.subject) == ("teacher", f"check {saved.pk}")


def test_deleting_asks_first(client: Client, signed_in: SignIn) -> None:
    saved = save_check(signed_in(client, "teacher"), "Half term at last")
    response = client.get(reverse("checks:delete", args=[saved.pk]))
    assert response.status_code == 200 and 'method="post"' in response.content.decode()
    assert CheckRecord.objects.get(pk=saved.pk).text == "Half term at last"


def test_a_saved_draft_can_be_checked_again(client: Client, signed_in: SignIn) -> None:
    saved = save_check(signed_in(client, "teacher"), "Half term at last")
    page = client.get(reverse("checks:check"), {"again": saved.pk}).content.decode()
    assert ">\nHalf term at last</textarea>" in page


def test_another_persons_draft_cannot_be_loaded_to_check_again(
        client: Client, signed_in: SignIn, make_user: Callable[[str], Any]) -> None:
    saved = save_check(make_user("comms"), "Christmas Fair on Saturday")
    signed_in(client, "teacher")
    page = client.get(reverse("checks:check"), {"again": saved.pk}).content.decode()
    assert "Christmas Fair on Saturday" not in page
