"""Checks in numbers: the whole school's checks by week, verdict and category, with small
counts hidden so that nobody can be picked out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from postguard.web.checks.counts import weekly_counts
from postguard.web.checks.models import CheckRecord

pytestmark = pytest.mark.usefixtures("demo_school")

SignIn = Callable[[Client, str], Any]
# A Wednesday in Westmoor's autumn term; its week starts on Monday 16 November 2026.
WEDNESDAY = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def checks(number: int, verdict: str, categories: list[str], owner: Any = None,
           at: datetime = WEDNESDAY, text: str = "") -> None:
    for _ in range(number):
        CheckRecord.objects.create(owner=owner, checked_at=at, verdict=verdict,
                                   categories=categories, text=text)


def week(table: Any, monday: str) -> Any:
    return next(row for row in table.by_verdict if row.monday.isoformat() == monday)


def test_checks_are_counted_by_week_and_verdict() -> None:
    checks(4, "ok", [])
    checks(3, "breach", ["pupil_identification"])
    checks(5, "ok", [], at=WEDNESDAY - timedelta(weeks=1))
    table = weekly_counts(now=WEDNESDAY)
    this_week = week(table, "2026-11-16")
    assert str(this_week.total) == "7"
    assert [str(cell) for cell in this_week.verdicts] == ["4", "0", "3", "0"]
    assert str(week(table, "2026-11-09").total) == "5"


def test_checks_are_counted_by_category() -> None:
    checks(3, "breach", ["pupil_identification", "work_identity"])
    table = weekly_counts(now=WEDNESDAY)
    rows = {row.category: [str(cell) for cell in row.weeks] for row in table.by_category}
    assert set(rows) == {"pupil_identification", "work_identity"}
    assert rows["pupil_identification"][0] == "3"


def test_a_count_of_one_or_two_is_shown_as_fewer_than_three() -> None:
    checks(3, "ok", [])
    checks(1, "serious", ["safeguarding"])
    table = weekly_counts(now=WEDNESDAY)
    assert str(table.by_category[0].weeks[0]) == "fewer than 3"
    assert "fewer than 3" in [str(cell) for cell in week(table, "2026-11-16").verdicts]


def test_a_hidden_count_cannot_be_worked_out_from_the_weeks_total() -> None:
    checks(5, "ok", [])
    checks(4, "advice", ["working_time"])
    checks(1, "serious", ["safeguarding"])
    cells = week(weekly_counts(now=WEDNESDAY), "2026-11-16").verdicts
    # 10 checks: 5 OK, 4 advice, 1 serious. Hiding only the 1 would leave it as 10 - 5 - 4.
    assert [str(cell) for cell in cells] == ["5", "hidden", "0", "fewer than 3"]


def test_the_counts_page_never_shows_a_draft_or_a_name(
        client: Client, signed_in: SignIn, make_user: Callable[[str], Any]) -> None:
    checks(3, "breach", ["pupil_identification"], owner=make_user("teacher"),
           at=datetime.now(UTC), text="So proud of Jayden Robson tonight")
    signed_in(client, "head")
    page = client.get(reverse("checks:counts")).content.decode()
    assert "Pupil identification" in page and "fewer than 3" in page
    assert "Jayden" not in page and "Grace Okafor" not in page


def test_a_teacher_cannot_see_the_schools_counts(client: Client, signed_in: SignIn) -> None:
    signed_in(client, "teacher")
    assert client.get(reverse("checks:counts")).status_code == 403
