"""People and roles: accounts, role changes, switching accounts off, and the school's people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from postguard.web.accounts.models import ApiToken, User
from postguard.web.audit.models import AuditEntry, verify
from postguard.web.schools.engine import checker_for
from postguard.web.schools.models import PersonRecord, SchoolRecord


def edit_account(client: Client, user: User, **fields: Any) -> Any:
    data = {"roles": sorted(user.roles), "active": "on" if user.is_active else "",
            "person_id": user.person_id, **fields}
    return client.post(reverse("accounts:user_edit", args=[user.pk]),
                       {key: value for key, value in data.items() if value != ""})


# -- accounts -----------------------------------------------------------------------------------


def test_the_people_page_lists_accounts_with_their_roles_and_two_factor(
        client: Client, signed_in: Callable[[Client, str], Any],
        make_user: Callable[[str], Any], demo_school: Any) -> None:
    signed_in(client, "head")  # has a confirmed authenticator app
    make_user("teacher")
    page = client.get(reverse("accounts:people")).text
    head_row = page.split("Helen Hughes</a>")[1].split("</tr>")[0]
    teacher_row = page.split("Grace Okafor</a>")[1].split("</tr>")[0]
    assert "Head teacher, Member of staff" in head_row and "<td>set up" in head_row
    assert "Member of staff" in teacher_row and "<td>not set up" in teacher_row


def test_a_teacher_or_governor_may_not_see_people_and_roles(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    for persona in ("teacher", "governor", "dsl", "hr"):
        signed_in(client, persona)
        response = client.get(reverse("accounts:people"))
        assert response.status_code == 403, persona
        assert "import the school, edit people, invite users and change roles" in response.text


def test_a_role_change_is_audited_with_the_roles_before_and_after(
        client: Client, signed_in: Callable[[Client, str], Any],
        make_user: Callable[[str], Any]) -> None:
    signed_in(client, "admin")
    teacher = make_user("teacher")
    response = edit_account(client, teacher, roles=["staff", "communications_officer"])
    assert response["Location"] == reverse("accounts:people")
    assert User.objects.get(pk=teacher.pk).roles == {"staff", "communications_officer"}
    (change,) = AuditEntry.objects.filter(action="role.change")
    assert (change.actor, change.subject, change.data) == (
        "admin", "teacher", {"before": ["staff"], "after": ["communications_officer", "staff"]})
    assert verify().intact


def test_saving_an_account_unchanged_records_nothing(
        client: Client, signed_in: Callable[[Client, str], Any],
        make_user: Callable[[str], Any]) -> None:
    signed_in(client, "admin")
    edit_account(client, make_user("teacher"))
    assert not AuditEntry.objects.exists()


def test_a_switched_off_account_is_signed_out_and_its_tokens_stop_working(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    teacher_client = Client()
    teacher = signed_in(teacher_client, "teacher")
    _, secret = ApiToken.issue(teacher, "Class blog")
    signed_in(client, "head")
    edit_account(client, teacher, active="")
    assert teacher_client.get(reverse("home")).status_code == 302
    assert ApiToken.user_for(secret) is None
    assert AuditEntry.objects.filter(action="account.switch_off", subject="teacher").exists()


def test_a_head_teacher_cannot_switch_off_their_own_account(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    head = signed_in(client, "head")
    response = edit_account(client, head, active="")
    assert response.status_code == 400
    assert "You can&#x27;t switch off your own account" in response.text
    assert User.objects.get(pk=head.pk).is_active


def test_a_head_teacher_cannot_take_away_their_own_right_to_manage_people(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    head = signed_in(client, "head")
    response = edit_account(client, head, roles=["staff"])
    assert response.status_code == 400
    assert User.objects.get(pk=head.pk).roles == {"head_teacher", "staff"}


def test_an_administrator_resets_a_lost_phone_so_it_is_set_up_again(
        client: Client, signed_in: Callable[[Client, str], Any],
        make_user: Callable[[str], Any]) -> None:
    dsl = make_user("dsl")
    TOTPDevice.objects.create(user=dsl, name="phone", confirmed=True)
    signed_in(client, "admin")
    client.post(reverse("accounts:two_factor_reset", args=[dsl.pk]))
    assert not TOTPDevice.objects.filter(user=dsl).exists()
    assert AuditEntry.objects.filter(action="two_factor.reset", subject="dsl").exists()


# -- the school's people ------------------------------------------------------------------------


def test_the_roster_shows_staff_governors_pupils_and_parents(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    page = client.get(reverse("schools:roster")).text
    for name in ("Tom Fenwick", "Aisha Khan", "Jayden Robson", "Karen Robson", "Callum Reay"):
        assert name in page
    assert "HR, Support staff" in page  # Paul Armstrong's roles


def test_the_roster_is_only_for_people_who_manage_people(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "dsl")
    assert client.get(reverse("schools:roster")).status_code == 403


def test_editing_a_person_saves_them_and_makes_checks_use_the_change(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    before = checker_for(demo_school)
    response = client.post(reverse("schools:person_edit", args=["s-fenwick"]), {
        "name": "Tom Fenwick", "roles": ["support_staff", "line_manager"],
        "politically_restricted": "on"})
    assert response["Location"] == reverse("schools:roster")
    school = SchoolRecord.current()
    assert school is not None and school.updated_at > demo_school.updated_at
    fenwick = school.to_engine().find("s-fenwick")
    assert fenwick is not None
    assert (fenwick.roles, fenwick.politically_restricted) == (
        ("support_staff", "line_manager"), True)
    assert checker_for(school) is not before
    (entry,) = AuditEntry.objects.filter(action="person.edit")
    assert entry.subject == "s-fenwick"
    assert entry.data["before"] == {"name": "Tom Fenwick", "roles": ["support_staff"],
                                    "politically_restricted": False}
    assert entry.data["after"]["politically_restricted"] is True


def test_a_pupil_s_name_is_edited_but_they_have_no_roles(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "admin")
    page = client.get(reverse("schools:person_edit", args=["p-robson"])).text
    assert "Roles in school" not in page
    client.post(reverse("schools:person_edit", args=["p-robson"]), {"name": "Jayden Robson-Hall"})
    pupil = PersonRecord.objects.get(ref="p-robson")
    assert pupil.name == "Jayden Robson-Hall"
    assert pupil.details["year_group"] == "6"  # the rest of the record is kept


def test_a_person_s_name_with_markup_is_shown_as_text(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    client.post(reverse("schools:person_edit", args=["s-fenwick"]),
                {"name": "<script>alert('x')</script>", "roles": ["support_staff"]})
    page = client.get(reverse("schools:roster")).text
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_an_empty_name_is_refused_and_nothing_changes(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    response = client.post(reverse("schools:person_edit", args=["s-fenwick"]), {"name": " "})
    assert response.status_code == 400
    assert PersonRecord.objects.get(ref="s-fenwick").name == "Tom Fenwick"
    assert SchoolRecord.objects.get().updated_at == demo_school.updated_at
