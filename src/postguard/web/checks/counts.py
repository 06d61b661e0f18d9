"""The school's checks in numbers: by week, verdict and category; never text, never names.

A small school runs few checks, so a count of one or two could point at a person ("the only
breach this week was in Year 6"). Such cells are shown as "fewer than 3", and where one hidden
cell could be worked out from a week's total, the next smallest cell in that week is hidden too
(shown as "hidden": it may be 3 or more, so "fewer than 3" would be untrue).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from postguard.policy.categories import CATEGORIES, VERDICTS
from postguard.web.checks.models import CheckRecord
from postguard.web.checks.presenting import VERDICT_LABELS, category_words
from postguard.web.schools.models import SchoolRecord

WEEKS = 12
SMALLEST_SHOWN = 3


@dataclass(frozen=True)
class Cell:
    value: int
    hidden: bool = False
    # Hidden only so that another hidden cell cannot be worked out from the total.
    protecting: bool = False

    def __str__(self) -> str:
        if self.protecting:
            return "hidden"
        return "fewer than 3" if self.hidden else str(self.value)


def _cell(value: int) -> Cell:
    return Cell(value, hidden=0 < value < SMALLEST_SHOWN)


def _protect(total: Cell, cells: list[Cell]) -> list[Cell]:
    """Hide a second cell where the week's total and the shown cells would give one away."""
    hidden = [cell for cell in cells if cell.hidden]
    if total.hidden or len(hidden) != 1:
        return cells
    others = [(cell.value, index) for index, cell in enumerate(cells)
              if not cell.hidden and cell.value > 0]
    if not others:
        return cells
    _, index = min(others)
    return [Cell(cell.value, hidden=True, protecting=True) if i == index else cell
            for i, cell in enumerate(cells)]


@dataclass(frozen=True)
class WeekRow:
    monday: date
    total: Cell
    verdicts: list[Cell]


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    description: str
    weeks: list[Cell]


@dataclass(frozen=True)
class CountsTable:
    mondays: list[date]
    verdicts: list[str]
    by_verdict: list[WeekRow]
    by_category: list[CategoryRow]


def _school_zone() -> ZoneInfo:
    record = SchoolRecord.current()
    return record.to_engine().timetable.zone if record else ZoneInfo("Europe/London")


def _monday(moment: datetime, zone: ZoneInfo) -> date:
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def weekly_counts(now: datetime | None = None, weeks: int = WEEKS) -> CountsTable:
    zone = _school_zone()
    this_monday = _monday(now or timezone.now(), zone)
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks)]  # newest first
    since = datetime.combine(mondays[-1], datetime.min.time(), tzinfo=zone)
    by_verdict: Counter[tuple[date, str]] = Counter()
    by_category: Counter[tuple[date, str]] = Counter()
    for checked_at, verdict, categories in CheckRecord.objects.filter(
            checked_at__gte=since).values_list("checked_at", "verdict", "categories"):
        monday = _monday(checked_at, zone)
        by_verdict[monday, verdict] += 1
        for category in categories:
            by_category[monday, category] += 1
    verdict_rows = []
    for monday in mondays:
        total = _cell(sum(by_verdict[monday, verdict] for verdict in VERDICTS))
        cells = [_cell(by_verdict[monday, verdict]) for verdict in VERDICTS]
        verdict_rows.append(WeekRow(monday, total, _protect(total, cells)))
    seen = {category for _, category in by_category}
    category_rows = [
        CategoryRow(category, category_words(category), description,
                    [_cell(by_category[monday, category]) for monday in mondays])
        for category, description in CATEGORIES.items() if category in seen]
    return CountsTable(mondays, [VERDICT_LABELS[verdict] for verdict in VERDICTS], verdict_rows,
                       category_rows)
