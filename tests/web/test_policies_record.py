"""The written record (Northumberland 3): who has and has not acknowledged which version, when
and how; the CSV and PDF exports; reminders to those who have not acknowledged."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.policies import lifecycle
from postguard.web.policies.models import (
    Acknowledgement,
    AcknowledgementReminder,
    PolicyVersion,
)


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    # tests/conftest.py asks for the Immediate backend through the environment, but the
    # settings are read before it runs; this makes the reminder task run within the request.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def published(make_user: Callable[[str], Any], demo_school: Any) -> PolicyVersion:
    head = make_user("head")
    return lifecycle.publish(lifecycle.adopt("northumberland", head), head)


@pytest.fixture
def staff(make_user: Callable[[str], Any]) -> dict[str, Any]:
    return {persona: make_user(persona) for persona in ("teacher", "dsl", "comms", "hr")}


def pdf_text(pdf: bytes) -> list[str]:
    """The text of a WeasyPrint PDF, decoded once with each of its fonts' character maps.

    pypdf is not a dependency; WeasyPrint writes glyph ids with a ToUnicode map per font, so each
    content stream read through the right map gives back the words on the page.
    """
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            continue
    maps = []
    for stream in streams:
        if b"beginbfchar" in stream:
            pairs = re.findall(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>", stream)
            maps.append({int(a, 16): chr(int(b, 16)) for a, b in pairs})
    texts = []
    for stream in streams:
        glyphs = [int(code, 16) for string in re.findall(rb"<([0-9a-fA-F]+)>", stream)
                  for code in re.findall(rb"[0-9a-fA-F]{4}", string)]
        if b"BT" in stream and glyphs:
            texts.extend("".join(cmap.get(glyph, "") for glyph in glyphs) for cmap in maps)
    return texts


def test_the_head_sees_a_teachers_online_acknowledgement_with_date_and_how(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    signed_in(client, "head")
    page = client.get(reverse("policies:record")).content.decode()
    row = re.search(r"<th scope=\"row\">Grace Okafor</th>(.*?)</tr>", page, re.S)
    assert row is not None
    assert "Yes" in row.group(1) and "Online" in row.group(1)
    assert timezone.localdate().strftime("%-d %b %Y") in row.group(1)
    assert "1 of 5 staff have acknowledged it" in page


def test_staff_are_users_with_the_staff_role_or_linked_to_roster_staff(
        published: PolicyVersion, staff: dict[str, Any], make_user: Callable[[str], Any]) -> None:
    from postguard.web.accounts.models import User
    from postguard.web.policies.record import record_rows

    make_user("governor")
    User.objects.create_user("tfenwick", "t.fenwick@westmoor.example", person_id="s-fenwick",
                             display_name="Tom Fenwick")
    names = [row.name for row in record_rows(published)]
    assert "Tom Fenwick" in names and "Grace Okafor" in names
    assert "Robert Charlton" not in names


def test_the_head_records_an_acknowledgement_given_at_induction(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    head = signed_in(client, "head")
    today = timezone.localdate()
    client.post(reverse("policies:in_person", args=[1]), {
        "user": staff["comms"].pk, "how": "induction", "acknowledged_on": today.isoformat()})
    ack = Acknowledgement.objects.get(user=staff["comms"])
    assert (ack.how, ack.acknowledged_on, ack.recorded_by) == ("induction", today, head)
    entry = AuditEntry.objects.get(action="policy.acknowledge")
    assert (entry.actor, entry.data["user"], entry.data["how"]) == ("head", "comms", "induction")


def test_an_acknowledgement_given_in_person_cannot_be_dated_in_the_future(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    signed_in(client, "head")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("policies:in_person", args=[1]), {
        "user": staff["comms"].pk, "how": "staff_meeting",
        "acknowledged_on": tomorrow.isoformat()}, follow=True)
    assert "The date cannot be in the future" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_the_record_can_show_only_those_who_have_not_acknowledged(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    signed_in(client, "hr")
    page = client.get(reverse("policies:record"), {"status": "missing"}).content.decode()
    assert '<th scope="row">Ravi Patel</th>' in page
    assert '<th scope="row">Grace Okafor</th>' not in page


def test_the_csv_has_a_row_per_member_of_staff_with_date_and_how(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    lifecycle.acknowledge(staff["dsl"], published, how="training", on=timezone.localdate(),
                          recorded_by=signed_in(client, "head"))
    response = client.get(reverse("policies:record_csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Name,Username,Email,Version,Acknowledged,Acknowledged on,How")
    by_name = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    today = timezone.localdate().isoformat()
    assert by_name["Grace Okafor"][4:7] == ["yes", today, "Online"]
    assert by_name["Ravi Patel"][4:7] == ["yes", today, "At training"]
    assert by_name["Ravi Patel"][8] == "Helen Hughes"
    assert by_name["Megan Doyle"][4:7] == ["no", "", ""]


def test_the_csv_keeps_a_name_that_looks_like_a_formula_as_text(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    staff["teacher"].display_name = "=HYPERLINK(\"http://evil.example\")"
    staff["teacher"].save()
    signed_in(client, "head")
    body = client.get(reverse("policies:record_csv")).content.decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and '\n"=HYPERLINK' not in body


def test_the_pdf_is_a_pdf_naming_each_member_of_staff_and_whether_they_acknowledged(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    signed_in(client, "head")
    response = client.get(reverse("policies:record_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = " ".join(pdf_text(response.content))
    for name in ("Grace Okafor", "Ravi Patel", "Megan Doyle", "Helen Hughes"):
        assert name in text
    assert "Not yet" in text and "Online" in text


def test_the_filtered_pdf_leaves_out_those_who_have_acknowledged(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    signed_in(client, "head")
    response = client.get(reverse("policies:record_pdf"), {"status": "missing"})
    text = " ".join(pdf_text(response.content))
    assert "Ravi Patel" in text and "Grace Okafor" not in text


def test_reminders_email_only_those_who_have_not_acknowledged_and_are_recorded(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any], mailoutbox: list[Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    signed_in(client, "head")
    client.post(reverse("policies:remind", args=[1]))
    emailed = sorted(address for message in mailoutbox for address in message.to)
    assert "teacher@westmoor.example" not in emailed
    assert {"dsl@westmoor.example", "comms@westmoor.example",
            "hr@westmoor.example"} <= set(emailed)
    assert "version 1" in mailoutbox[0].subject
    reminded = set(AcknowledgementReminder.objects.values_list("user__username", flat=True))
    assert "teacher" not in reminded and "dsl" in reminded
    entry = AuditEntry.objects.get(action="policy.remind")
    assert entry.actor == "head" and "dsl" in entry.data["reminded"]


def test_hr_sees_the_record_but_cannot_send_reminders(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any], mailoutbox: list[Any]) -> None:
    signed_in(client, "hr")
    page = client.get(reverse("policies:record"))
    assert page.status_code == 200 and "Email a reminder" not in page.content.decode()
    assert client.post(reverse("policies:remind", args=[1])).status_code == 403
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["governor", "teacher"])
def test_governors_and_teachers_cannot_see_the_acknowledgement_record(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        persona: str) -> None:
    signed_in(client, persona)
    for name in ("policies:record", "policies:record_csv", "policies:record_pdf"):
        assert client.get(reverse(name)).status_code == 403


def test_an_earlier_version_keeps_its_own_record(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        staff: dict[str, Any]) -> None:
    lifecycle.acknowledge(staff["teacher"], published)
    head = signed_in(client, "head")
    lifecycle.publish(lifecycle.adopt("neu", head), head)
    current = client.get(reverse("policies:record")).content.decode()
    earlier = client.get(reverse("policies:record"), {"version": 1}).content.decode()
    assert "Version 2: 0 of" in current
    assert "Version 1: 1 of" in earlier


def test_a_date_before_publication_is_refused(
        published: PolicyVersion, staff: dict[str, Any]) -> None:
    from postguard.web.policies.forms import InPersonForm

    form = InPersonForm(published, {"user": staff["hr"].pk, "how": "training",
                                    "acknowledged_on": date(2020, 1, 6).isoformat()})
    assert not form.is_valid()
    assert "cannot have been acknowledged before then" in str(form.errors)
