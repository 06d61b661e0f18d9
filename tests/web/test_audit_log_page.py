"""The audit log page: the administrator reads every change of state and sees the chain's state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from postguard.web.audit.models import AuditEntry, record
from postguard.web.audit.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

SignIn = Callable[[Client, str], Any]


def test_the_administrator_sees_entries_newest_first(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    record("s-hughes", "policy.published", "Westmoor social media policy v2")
    record("s-okafor", "policy.acknowledged", "Westmoor social media policy v2")
    page = client.get(reverse("audit:log")).content.decode()
    assert page.index("policy.acknowledged") < page.index("policy.published")


def test_the_page_says_the_chain_is_intact_when_nothing_was_touched(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    record("s-hughes", "policy.published", "v2")
    response = client.get(reverse("audit:log"))
    assert response.context["verification"].intact
    assert "The chain is intact" in response.content.decode()


def test_the_page_names_the_first_entry_that_was_changed(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    entries = [record("s-okafor", "check.run", f"check {n}") for n in range(3)]
    AuditEntry.objects.filter(pk=entries[1].pk).update(actor="s-hughes")
    page = client.get(reverse("audit:log")).content.decode()
    assert "The chain is broken" in page
    assert f"Entry {entries[1].pk} is the first that does not check out" in page


@pytest.mark.parametrize("persona", ["teacher", "head", "dsl", "comms", "hr", "governor"])
def test_only_the_administrator_may_read_the_log(
        client: Client, signed_in: SignIn, persona: str) -> None:
    signed_in(client, persona)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 403
    assert "may read the audit log: Administrator." in response.content.decode()


def test_filtering_by_action_shows_only_that_action(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    record("s-okafor", "check.run", "a check by Grace")
    record("s-hughes", "policy.published", "v2")
    response = client.get(reverse("audit:log"), {"action": "policy.published"})
    assert [e.action for e in response.context["page"].object_list] == ["policy.published"]


def test_filtering_by_who_did_it_matches_part_of_the_name(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    record("s-okafor", "check.run", "a check by Grace")
    record("s-hughes", "policy.published", "v2")
    response = client.get(reverse("audit:log"), {"actor": "okaf"})
    assert [e.actor for e in response.context["page"].object_list] == ["s-okafor"]


def test_a_long_log_is_split_into_pages_that_keep_the_filter(
        client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    for number in range(PAGE_SIZE + 5):
        record("s-okafor", "check.run", f"check {number}")
    record("s-hughes", "policy.published", "v2")
    first = client.get(reverse("audit:log"), {"action": "check.run"})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert 'href="?action=check.run&amp;page=2"' in first.content.decode()
    second = client.get(reverse("audit:log"), {"action": "check.run", "page": 2})
    assert [e.subject for e in second.context["page"].object_list] == [
        f"check {n}" for n in range(4, -1, -1)]


def test_entry_details_are_shown_as_text(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "admin")
    record("s-hughes", "person.renamed", "<b>Grace</b>", name="<script>alert(1)</script>")
    page = client.get(reverse("audit:log")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Grace&lt;/b&gt;" in page
