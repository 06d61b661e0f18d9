"""Changes made through the pages land in the audit log, in order, and the chain proves them.

A morning at Westmoor Primary: the head teacher adopts and publishes the Northumberland policy,
Grace Okafor checks a draft and acknowledges the policy, and the head teacher makes Grace a
communications officer. Then someone edits the log behind the application's back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from postguard.cli import app
from postguard.web.audit.models import AuditEntry, verify

pytestmark = pytest.mark.django_db

SignIn = Callable[[Client, str], Any]
STATE_CHANGES = ("policy.adopt", "policy.publish", "check.run", "policy.acknowledge",
                 "role.change")


def _morning(signed_in: SignIn) -> None:
    head, teacher = Client(), Client()
    signed_in(head, "head")
    grace = signed_in(teacher, "teacher")

    adopted = head.post(reverse("policies:adopt"), {
        "pack": "northumberland", "local_note": "Ask Mrs Hughes before posting about a trip."})
    number = int(adopted["Location"].rstrip("/").rsplit("/v", 1)[1])
    head.post(reverse("policies:publish", kwargs={"number": number}))

    teacher.post(reverse("checks:check"), {
        "text": "Great sports day at Westmoor today, well done Year 6!",
        "platform": "facebook", "account": "personal", "audience": "friends", "action": "post"})
    teacher.post(reverse("policies:acknowledge"), {"version": number})

    head.post(reverse("accounts:user_edit", kwargs={"user_id": grace.pk}), {
        "roles": ["staff", "communications_officer"], "active": "on", "person_id": "s-okafor"})


def _state_changes() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action__in=STATE_CHANGES).order_by("id"))


def test_each_change_made_through_the_pages_is_logged_in_order(
        demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    assert [(entry.action, entry.actor) for entry in _state_changes()] == [
        ("policy.adopt", "head"), ("policy.publish", "head"), ("check.run", "teacher"),
        ("policy.acknowledge", "teacher"), ("role.change", "head")]


def test_the_chain_verifies_after_the_changes(demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    result = verify()
    assert result.intact
    assert result.entries == AuditEntry.objects.count() >= len(STATE_CHANGES)


def test_the_log_keeps_the_draft_out_of_the_check_entry(
        demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    entry = AuditEntry.objects.get(action="check.run")
    assert "sports day" not in str(entry.data) + entry.subject


def test_an_acknowledgement_changed_behind_the_applications_back_is_named(
        demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    acknowledgement = AuditEntry.objects.get(action="policy.acknowledge")
    # As someone with the database would: update() bypasses the model's append-only save().
    AuditEntry.objects.filter(pk=acknowledgement.pk).update(
        data={**acknowledgement.data, "on": "2020-09-01"})
    result = verify()
    assert (result.intact, result.first_broken) == (False, acknowledgement.pk)
    assert result.problem == "its contents have been changed"


def test_a_removed_entry_is_found_at_the_one_after_it(
        demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    publish, after = AuditEntry.objects.filter(id__gte=AuditEntry.objects.get(
        action="policy.publish").pk).order_by("id")[:2]
    AuditEntry.objects.filter(pk=publish.pk).delete()  # a query: the model's delete() is not run
    result = verify()
    assert (result.intact, result.first_broken) == (False, after.pk)
    assert result.problem == "it does not point at the entry before it"


def test_the_command_line_proves_the_chain_intact(demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "The audit log is intact" in result.output


def test_the_command_line_names_the_tampered_entry_and_fails(
        demo_school: Any, signed_in: SignIn) -> None:
    _morning(signed_in)
    role_change = AuditEntry.objects.get(action="role.change")
    AuditEntry.objects.filter(pk=role_change.pk).update(actor="teacher")
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {role_change.pk}" in result.output


def test_the_audit_log_page_shows_the_mornings_changes_to_the_administrator(
        demo_school: Any, signed_in: SignIn, client: Client) -> None:
    _morning(signed_in)
    signed_in(client, "admin")
    page = client.get(reverse("audit:log")).content.decode()
    assert "The chain is intact" in page
    assert all(action in page for action in STATE_CHANGES)
