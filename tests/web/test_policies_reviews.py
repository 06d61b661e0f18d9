"""Review dates follow the adopted pack's review period (Northumberland 8.1: three years; NEU
11.2 and Hardmoor: yearly); reminders go to the head teacher and governors, once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.policies import lifecycle
from postguard.web.policies.deadlines import add_months, send_due_review_reminders
from postguard.web.policies.models import PolicyVersion, ReviewReminder

PUBLISHED_AT = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.fixture
def publish(make_user: Callable[[str], Any], demo_school: Any,
            monkeypatch: pytest.MonkeyPatch) -> Callable[[str], PolicyVersion]:
    """Publish a pack on Saturday 21 November 2026, with the head teacher and a governor."""

    def run(pack_id: str) -> PolicyVersion:
        head = make_user("head")
        make_user("governor")
        monkeypatch.setattr(timezone, "now", lambda: PUBLISHED_AT)
        version = lifecycle.publish(lifecycle.adopt(pack_id, head), head)
        monkeypatch.undo()
        return version

    return run


def test_the_northumberland_review_is_due_36_months_after_publication(
        publish: Callable[[str], PolicyVersion]) -> None:
    assert publish("northumberland").review_due == date(2029, 11, 21)


@pytest.mark.parametrize("pack_id", ["neu", "hardmoor"])
def test_neu_and_hardmoor_reviews_are_due_a_year_after_publication(
        publish: Callable[[str], PolicyVersion], pack_id: str) -> None:
    assert publish(pack_id).review_due == date(2027, 11, 21)


def test_a_pack_without_a_review_period_has_no_review_date_and_the_page_says_so(
        client: Client, signed_in: Callable[[Client, str], Any],
        publish: Callable[[str], PolicyVersion]) -> None:
    version = publish("kettleshulme")
    assert version.review_due is None
    assert send_due_review_reminders(PUBLISHED_AT + timedelta(days=3000)) == []
    signed_in(client, "governor")
    page = client.get(reverse("policies:reviews")).content.decode()
    assert "This policy does not set a review period" in page


def test_months_are_added_to_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 8, 31), 36) == date(2029, 8, 31)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_running_the_poll_twice_sends_one_reminder(
        publish: Callable[[str], PolicyVersion], mailoutbox: list[Any]) -> None:
    publish("neu")
    soon = datetime(2027, 11, 1, 7, 0, tzinfo=UTC)
    first, second = send_due_review_reminders(soon), send_due_review_reminders(soon)
    assert len(first) == 1 and second == []
    assert ReviewReminder.objects.count() == 1
    assert len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {"head@westmoor.example", "governor@westmoor.example"}
    assert "due for review by 21 November 2027" in mailoutbox[0].subject
    assert AuditEntry.objects.filter(action="policy.review_reminder").count() == 1


def test_no_reminder_is_sent_long_before_the_review_is_due(
        publish: Callable[[str], PolicyVersion], mailoutbox: list[Any]) -> None:
    publish("northumberland")
    assert send_due_review_reminders(datetime(2029, 10, 1, tzinfo=UTC)) == []
    assert mailoutbox == []


def test_an_overdue_review_sends_its_own_reminder_once(
        publish: Callable[[str], PolicyVersion], mailoutbox: list[Any]) -> None:
    publish("neu")
    send_due_review_reminders(datetime(2027, 11, 1, tzinfo=UTC))
    late = datetime(2027, 11, 22, 9, 0, tzinfo=UTC)
    send_due_review_reminders(late)
    send_due_review_reminders(late + timedelta(days=7))
    kinds = sorted(ReviewReminder.objects.values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue"]
    assert "overdue" in mailoutbox[-1].subject and len(mailoutbox) == 2


def test_a_governor_records_a_review_which_resets_the_next_due_date(
        client: Client, signed_in: Callable[[Client, str], Any],
        publish: Callable[[str], PolicyVersion]) -> None:
    version = publish("northumberland")
    governor = signed_in(client, "governor")
    today = timezone.localdate()
    response = client.post(reverse("policies:reviews"), {
        "reviewed_on": today.isoformat(), "outcome": "no_change",
        "notes": "Full governing body meeting; no changes."}, follow=True)
    version.refresh_from_db()
    assert version.review_due == add_months(today, 36)
    assert f"The next review is due by {add_months(today, 36):%d/%m/%Y}" in (
        response.content.decode())
    review = version.reviews.get()
    assert (review.recorded_by, review.next_due) == (governor, add_months(today, 36))
    assert AuditEntry.objects.filter(action="policy.review", actor="governor").exists()


def test_after_a_review_the_new_deadline_gets_its_own_reminder(
        make_user: Callable[[str], Any], publish: Callable[[str], PolicyVersion],
        mailoutbox: list[Any]) -> None:
    version = publish("neu")
    send_due_review_reminders(datetime(2027, 11, 1, tzinfo=UTC))
    lifecycle.record_review(version, reviewed_on=date(2027, 11, 10), outcome="no_change",
                            notes="", by=make_user("head"))
    send_due_review_reminders(datetime(2028, 11, 1, tzinfo=UTC))
    assert sorted(ReviewReminder.objects.values_list("due_on", flat=True)) == [
        date(2027, 11, 21), date(2028, 11, 10)]


def test_a_review_date_in_the_future_is_refused(
        client: Client, signed_in: Callable[[Client, str], Any],
        publish: Callable[[str], PolicyVersion]) -> None:
    publish("northumberland")
    signed_in(client, "head")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("policies:reviews"), {
        "reviewed_on": tomorrow.isoformat(), "outcome": "no_change", "notes": ""})
    assert response.status_code == 400
    assert "The date cannot be in the future" in response.content.decode()


def test_governors_see_the_reviews_but_not_the_acknowledgement_record(
        client: Client, signed_in: Callable[[Client, str], Any],
        publish: Callable[[str], PolicyVersion]) -> None:
    publish("northumberland")
    signed_in(client, "governor")
    page = client.get(reverse("policies:reviews"))
    assert page.status_code == 200
    assert "Next review due by 21 November 2029" in page.content.decode()
    assert client.get(reverse("policies:record")).status_code == 403
    assert client.get(reverse("api:acknowledgements")).status_code == 403


def test_teachers_cannot_see_or_record_reviews(
        client: Client, signed_in: Callable[[Client, str], Any],
        publish: Callable[[str], PolicyVersion]) -> None:
    publish("northumberland")
    signed_in(client, "teacher")
    assert client.get(reverse("policies:reviews")).status_code == 403
    assert client.post(reverse("policies:reviews"), {
        "reviewed_on": "2026-12-10", "outcome": "no_change"}).status_code == 403


def test_the_worker_runs_the_review_poller_and_a_second_run_sends_nothing(
        publish: Callable[[str], PolicyVersion], mailoutbox: list[Any]) -> None:
    from postguard.web.deadlines import poll_deadlines, registered_pollers
    from postguard.web.policies.deadlines import send_due_review_reminders

    assert send_due_review_reminders in registered_pollers()
    version = publish("neu")
    version.review_due = timezone.localdate() + timedelta(days=10)
    version.save(update_fields=["review_due"])
    for _ in range(2):
        assert not [name for name in poll_deadlines() if "policies" in name]
    assert ReviewReminder.objects.get().kind == "due_soon"
    assert len(mailoutbox) == 1
