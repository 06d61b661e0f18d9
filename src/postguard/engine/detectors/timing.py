"""When a post was made, against the school's timetable: in a lesson, in working time, in an
official break, or outside work altogether.

Times are judged on the school's wall clock, not the poster's: ``posted_at`` is converted to the
timetable's zone with zoneinfo, so a UTC timestamp lands in the right lesson either side of a
daylight-saving change.
"""

from __future__ import annotations

import datetime as dt

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import WEEKDAYS, Period, School

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
# Zones people know by a plainer name than their tz database key.
_ZONE_LABELS = {"Europe/London": "UK time", "Europe/Belfast": "UK time",
                "Europe/Dublin": "Irish time"}


def _inside(period: Period, weekday: str, clock: dt.time) -> bool:
    # Half-open, so a post at 10:20 belongs to the break that starts then, not the lesson ending.
    return weekday in period.days and period.start <= clock < period.end


@register
class TimingDetector(Detector):
    name = "timing"
    emits = ("time.lesson", "time.working", "time.break", "time.outside_work")

    def __init__(self, school: School) -> None:
        super().__init__(school)
        timetable = school.timetable
        self._zone = timetable.zone
        self._zone_label = _ZONE_LABELS.get(timetable.timezone, timetable.timezone)
        self._working_days = frozenset(timetable.working_days)
        self._hours = timetable.working_hours
        self._lessons = timetable.lessons
        self._breaks = timetable.breaks
        self._terms = timetable.terms
        self._holidays = timetable.holidays

    def detect(self, doc: Document) -> list[Signal]:
        posted_at = doc.post.posted_at
        if posted_at is None:
            return []
        local = posted_at.astimezone(self._zone)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        weekday = WEEKDAYS[local.weekday()]
        when = (f"posted {clock:%H:%M} on {_DAY_NAMES[local.weekday()]} {day.day} "
                f"{_MONTH_NAMES[day.month - 1]} {day.year} ({self._zone_label})")
        local_time = local.isoformat()

        reason = self._not_working(day, weekday, clock)
        if reason is not None:
            why, period, code = reason
            return [self.signal("time.outside_work", 1.0, f"{when}, {why}",
                                local_time=local_time, period=period, reason=code)]

        for pause in self._breaks:
            if _inside(pause, weekday, clock):
                return [self.signal("time.break", 1.0, f"{when}, during {pause.name}",
                                    local_time=local_time, period=pause.name)]
        for lesson in self._lessons:
            if _inside(lesson, weekday, clock):
                explanation = f"{when}, during {lesson.name}"
                return [
                    self.signal("time.lesson", 1.0, explanation,
                                local_time=local_time, period=lesson.name),
                    self.signal("time.working", 1.0, explanation,
                                local_time=local_time, period=lesson.name),
                ]
        return [self.signal("time.working", 1.0,
                            f"{when}, during working hours outside lessons and breaks",
                            local_time=local_time, period=self._hours.name)]

    def _not_working(self, day: dt.date, weekday: str,
                     clock: dt.time) -> tuple[str, str | None, str] | None:
        """Why this moment is outside work (explanation, period, code), or None if it is not."""
        if weekday not in self._working_days:
            why = "at the weekend" if weekday in ("sat", "sun") else "on a non-working day"
            return why, None, "non_working_day"
        for holiday in self._holidays:
            if holiday.contains(day):
                return f"during the holiday ({holiday.name})", holiday.name, "holiday"
        if self._terms and not any(term.contains(day) for term in self._terms):
            return "outside term time", None, "outside_term"
        # working_days decides the days; working_hours only the clock, so a school that opens
        # on Saturdays need not repeat the day list in two places.
        if not (self._hours.start <= clock < self._hours.end):
            return (f"outside working hours ({self._hours.start:%H:%M}–{self._hours.end:%H:%M})",
                    None, "outside_hours")
        return None
