"""The timing detector: lessons, working time, breaks and time outside work, on the school's clock.

Westmoor's timetable (demo school): working day 08:00-16:30 Monday to Friday; Lesson 1
08:50-10:20, morning break 10:20-10:35, Lesson 2 10:35-12:05, lunch 12:05-13:05, Lesson 3
13:05-14:35, Lesson 4 14:40-15:15; autumn term 2 September to 18 December 2026 with half term
26-30 October; spring term to 26 March 2027; summer term from 12 April 2027. British Summer Time
ends on 25 October 2026 and starts again on 28 March 2027.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postguard.engine.detectors.timing import TimingDetector
from postguard.engine.registry import detectors
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import School

At = Callable[[str], list[Signal]]


@pytest.fixture(scope="module")
def detector(school: School) -> TimingDetector:
    return TimingDetector(school)


@pytest.fixture
def at(detector: TimingDetector, doc: Callable[..., Document]) -> At:
    def run(posted_at: str) -> list[Signal]:
        return detector.detect(doc("Quick scroll before the bell", posted_at=posted_at))

    return run


def kinds(signals: list[Signal]) -> list[str]:
    return sorted(signal.kind for signal in signals)


def test_detector_is_registered_under_its_name() -> None:
    assert detectors()["timing"] is TimingDetector


def test_post_during_a_lesson_is_lesson_and_working_time(at: At) -> None:
    assert kinds(at("2026-11-17T10:40:00+00:00")) == ["time.lesson", "time.working"]


def test_lesson_explanation_names_the_local_time_and_the_lesson(at: At) -> None:
    lesson = next(s for s in at("2026-11-17T10:40:00+00:00") if s.kind == "time.lesson")
    assert lesson.explanation == \
        "posted 10:40 on Tuesday 17 November 2026 (UK time), during Lesson 2"
    assert lesson.data == {"local_time": "2026-11-17T10:40:00+00:00", "period": "Lesson 2"}


def test_morning_break_is_break_not_working_time(at: At) -> None:
    signals = at("2026-11-17T10:25:00+00:00")
    assert kinds(signals) == ["time.break"]
    assert signals[0].data["period"] == "Morning break"


def test_lunch_break_is_not_working_time(at: At) -> None:
    signals = at("2026-11-17T12:30:00+00:00")
    assert kinds(signals) == ["time.break"]
    assert "during Lunch break" in signals[0].explanation


def test_break_begins_on_the_minute_the_lesson_ends(at: At) -> None:
    assert kinds(at("2026-11-17T10:20:00+00:00")) == ["time.break"]


def test_before_first_lesson_is_working_time_but_not_a_lesson(at: At) -> None:
    signals = at("2026-11-17T08:10:00+00:00")
    assert kinds(signals) == ["time.working"]
    assert signals[0].data["period"] == "Working day"


def test_gap_between_lessons_outside_a_break_is_working_time(at: At) -> None:
    assert kinds(at("2026-11-17T14:37:00+00:00")) == ["time.working"]


def test_after_the_working_day_ends_is_outside_work(at: At) -> None:
    signals = at("2026-11-17T16:30:00+00:00")
    assert kinds(signals) == ["time.outside_work"]
    assert "outside working hours" in signals[0].explanation


def test_weekday_evening_is_outside_work(at: At) -> None:
    assert kinds(at("2026-11-17T21:15:00+00:00")) == ["time.outside_work"]


def test_saturday_morning_is_outside_work(at: At) -> None:
    signals = at("2026-11-21T10:40:00+00:00")
    assert kinds(signals) == ["time.outside_work"]
    assert signals[0].explanation.endswith("at the weekend")


def test_half_term_holiday_is_outside_work(at: At) -> None:
    signals = at("2026-10-27T10:40:00+00:00")
    assert kinds(signals) == ["time.outside_work"]
    assert signals[0].data["period"] == "Autumn half term"


def test_summer_holidays_outside_any_term_are_outside_work(at: At) -> None:
    signals = at("2026-08-10T10:40:00+01:00")
    assert kinds(signals) == ["time.outside_work"]
    assert signals[0].data["reason"] == "outside_term"


def test_without_configured_terms_every_working_weekday_counts(
        school: School, doc: Callable[..., Document]) -> None:
    no_terms = school.model_copy(
        update={"timetable": school.timetable.model_copy(update={"terms": ()})})
    signals = TimingDetector(no_terms).detect(doc("hi", posted_at="2026-08-11T09:40:00+01:00"))
    assert kinds(signals) == ["time.lesson", "time.working"]


def test_post_without_a_time_has_no_timing_signal(
        detector: TimingDetector, doc: Callable[..., Document]) -> None:
    assert detector.detect(doc("No timestamp on this one")) == []


def test_time_given_in_another_zone_is_judged_on_uk_time(at: At) -> None:
    # 11:40 in Paris is 10:40 in Morpeth in November: Lesson 2.
    signals = at("2026-11-17T11:40:00+01:00")
    assert signals[0].data == {"local_time": "2026-11-17T10:40:00+00:00", "period": "Lesson 2"}


def test_same_utc_time_is_a_lesson_in_summer_time(at: At) -> None:
    # 07:55 UTC on Monday 19 October 2026 is 08:55 BST.
    signals = at("2026-10-19T07:55:00Z")
    assert kinds(signals) == ["time.lesson", "time.working"]
    assert signals[0].data["local_time"] == "2026-10-19T08:55:00+01:00"


def test_same_utc_time_is_before_work_after_the_clocks_go_back(at: At) -> None:
    # 07:55 UTC on Monday 2 November 2026 is 07:55 GMT.
    signals = at("2026-11-02T07:55:00Z")
    assert kinds(signals) == ["time.outside_work"]
    assert signals[0].data["local_time"] == "2026-11-02T07:55:00+00:00"


def test_same_utc_time_is_before_work_before_the_clocks_go_forward(at: At) -> None:
    # Friday 26 March 2027, the last day of the spring term, is still on GMT.
    assert kinds(at("2027-03-26T07:55:00Z")) == ["time.outside_work"]


def test_same_utc_time_is_a_lesson_after_the_clocks_go_forward(at: At) -> None:
    signals = at("2027-04-12T07:55:00Z")
    assert kinds(signals) == ["time.lesson", "time.working"]
    assert signals[0].data["local_time"] == "2027-04-12T08:55:00+01:00"


@pytest.mark.parametrize(("utc", "local"), [
    ("2027-03-28T00:30:00Z", "2027-03-28T00:30:00+00:00"),
    ("2027-03-28T01:30:00Z", "2027-03-28T02:30:00+01:00"),
    ("2026-10-25T00:30:00Z", "2026-10-25T01:30:00+01:00"),
    ("2026-10-25T01:30:00Z", "2026-10-25T01:30:00+00:00"),
])
def test_local_time_is_right_either_side_of_a_clock_change(at: At, utc: str, local: str) -> None:
    signals = at(utc)
    assert kinds(signals) == ["time.outside_work"]
    assert signals[0].data["local_time"] == local


def test_timing_signals_have_no_span_and_full_score(at: At) -> None:
    for posted_at in ("2026-11-17T10:40:00Z", "2026-11-17T12:30:00Z", "2026-11-21T10:40:00Z"):
        for signal in at(posted_at):
            assert (signal.start, signal.end, signal.score) == (None, None, 1.0)
