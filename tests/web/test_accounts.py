"""Signing in and out, throttling, invitations and one's own account page (API tokens)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from postguard.web.accounts.models import ApiToken, Invitation, User
from postguard.web.audit.models import AuditEntry

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "correct horse battery staple 42"  # every persona's, in tests/web/conftest.py


def actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password,
                                                   **extra})


# -- signing in and out -------------------------------------------------------------------------


def test_a_teacher_signs_in_with_username_and_password_and_reaches_the_start_page(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("teacher")
    response = sign_in(client, "teacher")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Hello, Grace Okafor" in client.get(reverse("home")).text
    assert [entry.actor for entry in actions("account.sign_in")] == ["teacher"]


def test_a_teacher_may_sign_in_with_their_email_address(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("teacher")
    response = sign_in(client, "Teacher@Westmoor.example")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_in_plain_words(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("teacher")
    response = sign_in(client, "teacher", "not my password at all")
    assert response.status_code == 200
    assert "don&#x27;t match" in response.text
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_five_wrong_passwords_lock_the_account_so_even_the_right_one_then_gets_a_clear_page(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("teacher")
    for attempt in range(1, 5):
        assert sign_in(client, "teacher", f"guess number {attempt}").status_code == 200
    assert sign_in(client, "teacher", "guess number 5").status_code == 429
    sixth = sign_in(client, "teacher")  # the right password, too late
    assert sixth.status_code == 429
    assert "Signing in is paused for this account" in sixth.text
    assert "Try again in 30 minutes" in sixth.text
    assert client.get(reverse("home")).status_code == 302


def test_a_switched_off_account_cannot_sign_in(
        client: Client, make_user: Callable[[str], Any]) -> None:
    user = make_user("teacher")
    user.is_active = False
    user.save()
    assert sign_in(client, "teacher").status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_signing_in_goes_on_to_the_page_asked_for_but_never_to_another_site(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("teacher")
    assert sign_in(client, "teacher", next="/accounts/me/")["Location"] == "/accounts/me/"
    client.logout()
    assert sign_in(client, "teacher", next="https://evil.example/")["Location"] == "/"


def test_signing_out_is_a_post_and_ends_the_session(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    signed_in(client, "teacher")
    assert "Sign out now" in client.get(reverse("accounts:logout")).text
    assert client.get(reverse("home")).status_code == 200  # a GET signs no one out
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302
    assert [entry.actor for entry in actions("account.sign_out")] == ["teacher"]


# -- invitations --------------------------------------------------------------------------------


def invite(client: Client, **fields: Any) -> Any:
    data = {"display_name": "Liam Brennan", "email": "l.brennan@westmoor.example",
            "roles": ["staff"], "person_id": "s-brennan", **fields}
    return client.post(reverse("accounts:invite"), data)


def link_in(text: str) -> str:
    found = re.search(r"https?://testserver(/accounts/invitation/[^/\s<]+/)", text)
    assert found, text
    return found.group(1)


def test_an_invitation_is_emailed_and_its_link_shown_once_to_the_inviter(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    response = invite(client)
    assert response.status_code == 200
    assert "Invitation sent to Liam Brennan" in response.text
    (message,) = mail.outbox
    assert message.to == ["l.brennan@westmoor.example"]
    assert "Helen Hughes has invited you" in message.body
    assert link_in(message.body) == link_in(response.text)
    (issued,) = actions("invitation.issue")
    assert (issued.actor, issued.subject, issued.data["roles"]) == (
        "head", "l.brennan@westmoor.example", ["staff"])
    assert link_in(response.text).split("/")[-2] not in str(issued.data)  # never the secret


def test_an_invited_teacher_chooses_a_password_and_is_signed_in_with_the_invited_roles(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    link = link_in(invite(client, roles=["staff", "communications_officer"]).text)
    newcomer = Client()
    assert "Welcome, Liam Brennan" in newcomer.get(link).text
    response = newcomer.post(link, {"username": "lbrennan", "password1": "Kielder trip 2026!",
                                    "password2": "Kielder trip 2026!"})
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="lbrennan")
    assert (user.display_name, user.person_id, user.email) == (
        "Liam Brennan", "s-brennan", "l.brennan@westmoor.example")
    assert user.roles == {"staff", "communications_officer"}
    assert "Hello, Liam Brennan" in newcomer.get(reverse("home")).text
    (accepted,) = actions("invitation.accept")
    assert accepted.actor == "lbrennan"


@pytest.mark.real_hasher
def test_an_invited_person_s_password_is_stored_with_argon2(
        client: Client, make_user: Callable[[str], Any]) -> None:
    _, token = Invitation.issue(email="a.khan@westmoor.example", display_name="Aisha Khan",
                                roles=["governor"], created_by=make_user("head"))
    client.post(reverse("accounts:accept", args=[token]), {
        "username": "akhan", "password1": "Governors 2026!", "password2": "Governors 2026!"})
    assert User.objects.get(username="akhan").password.startswith("argon2$")


def test_an_invitation_link_works_only_once(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    link = link_in(invite(client).text)
    fields = {"username": "lbrennan", "password1": "Kielder trip 2026!",
              "password2": "Kielder trip 2026!"}
    Client().post(link, fields)
    again = Client().post(link, {**fields, "username": "someone-else"})
    assert again.status_code == 410
    assert "This invitation has already been used" in again.text
    assert not User.objects.filter(username="someone-else").exists()


def test_an_expired_invitation_says_so_and_makes_no_account(
        client: Client, make_user: Callable[[str], Any]) -> None:
    invitation, token = Invitation.issue(email="a.khan@westmoor.example",
                                         display_name="Aisha Khan", roles=["governor"],
                                         created_by=make_user("head"))
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    url = reverse("accounts:accept", args=[token])
    response = client.post(url, {"username": "akhan", "password1": "Governors 2026!",
                                 "password2": "Governors 2026!"})
    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert not User.objects.filter(username="akhan").exists()


def test_invitations_expire_after_seven_days(make_user: Callable[[str], Any]) -> None:
    invitation, token = Invitation.issue(email="a.khan@westmoor.example",
                                         display_name="Aisha Khan", roles=["governor"],
                                         created_by=make_user("head"))
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert Invitation.find(token) == invitation


def test_an_unknown_invitation_link_says_so(client: Client, db: Any) -> None:
    response = client.get(reverse("accounts:accept", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "We don&#x27;t recognise this invitation link" in response.text


def test_accepting_an_invitation_refuses_a_weak_password(
        client: Client, make_user: Callable[[str], Any]) -> None:
    _, token = Invitation.issue(email="a.khan@westmoor.example", display_name="Aisha Khan",
                                roles=["governor"], created_by=make_user("head"))
    url = reverse("accounts:accept", args=[token])
    response = client.post(url, {"username": "akhan", "password1": "password",
                                 "password2": "password"})
    assert response.status_code == 400
    assert "This password is too common" in response.text
    assert not User.objects.filter(username="akhan").exists()


def test_an_email_that_already_has_an_account_is_not_invited_again(
        client: Client, signed_in: Callable[[Client, str], Any],
        make_user: Callable[[str], Any], demo_school: Any) -> None:
    make_user("teacher")
    signed_in(client, "head")
    response = invite(client, email="Teacher@westmoor.example")
    assert response.status_code == 400
    assert "already has an account" in response.text
    assert not mail.outbox


def test_a_teacher_may_not_invite_and_is_told_why(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    signed_in(client, "teacher")
    response = invite(client)
    assert response.status_code == 403
    assert "Only these roles may import the school, edit people, invite users" in response.text
    assert not Invitation.objects.exists()


def test_an_invited_name_is_shown_as_text_not_markup(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    response = invite(client, display_name="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# -- one's own account: API tokens --------------------------------------------------------------


def test_a_new_api_token_is_shown_once_and_then_only_listed_by_name(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    user = signed_in(client, "teacher")
    response = client.post(reverse("accounts:token_create"), {"name": "Class blog"})
    token = re.search(r"<code>(pg_[^<]+)</code>", response.text).group(1)  # type: ignore[union-attr]
    assert ApiToken.user_for(token) == user
    page = client.get(reverse("accounts:account")).text
    assert "Class blog" in page and token not in page
    assert [entry.subject for entry in actions("api_token.create")] == ["Class blog"]


def test_a_head_teacher_s_token_acts_with_her_roles_without_asking_for_a_code(
        make_user: Callable[[str], Any]) -> None:
    from postguard.web.accounts.permissions import decide

    _, secret = ApiToken.issue(make_user("head"), "Governors' report")
    assert decide(ApiToken.user_for(secret), "people.manage")


def test_a_revoked_api_token_stops_working(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    user = signed_in(client, "teacher")
    token, secret = ApiToken.issue(user, "Class blog")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiToken.user_for(secret) is None
    assert [entry.action for entry in AuditEntry.objects.all()] == ["api_token.revoke"]


def test_no_one_can_revoke_another_person_s_token(
        client: Client, signed_in: Callable[[Client, str], Any],
        make_user: Callable[[str], Any]) -> None:
    token, secret = ApiToken.issue(make_user("hr"), "HR spreadsheet")
    signed_in(client, "teacher")
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.user_for(secret) is not None


def test_a_teacher_changes_their_password(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    user = signed_in(client, "teacher")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Harvest Festival 2026",
        "new_password2": "Harvest Festival 2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Harvest Festival 2026")
    assert client.get(reverse("accounts:account")).status_code == 200  # still signed in


# -- the README's table of roles ----------------------------------------------------------------


def test_the_readme_table_of_roles_is_the_permission_table() -> None:
    from postguard.web.accounts.permissions import markdown_table

    text = README.read_text()
    start, end = "<!-- permissions:start -->\n", "\n<!-- permissions:end -->"
    assert start in text and end in text, "README.md has no permissions table markers"
    shown = text.split(start, 1)[1].split(end, 1)[0]
    expected = markdown_table()
    assert shown == expected, (
        "README.md's table of roles differs from PERMISSIONS; replace it with:\n" + expected)


@pytest.mark.parametrize("username", ["head", "dsl", "admin"])
def test_roles_that_see_sensitive_records_need_two_factor(
        username: str, make_user: Callable[[str], Any]) -> None:
    assert make_user(username).two_factor_required
