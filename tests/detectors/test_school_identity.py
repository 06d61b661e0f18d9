"""The school identity detector: the poster's school named, linked or referred to.

The demo school is Westmoor Primary School, also called "Westmoor Primary", "Westmoor School" and
"WPS"; its accounts are @WestmoorPrimary, @WestmoorPS and facebook.com/WestmoorPrimary, and its
website is www.westmoor.northumberland.sch.uk. Grace Okafor (s-okafor) teaches Year 6; Tom
Fenwick (s-fenwick) is the site manager; Karen Robson (r-robson) is a parent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from postguard.engine.detectors import DETECTOR_MODULES
from postguard.engine.detectors.school_identity import SchoolIdentityDetector
from postguard.engine.post import post_from_dict
from postguard.engine.registry import detectors
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import School

Detect = Callable[..., list[Signal]]


@pytest.fixture(scope="module")
def detector(school: School) -> SchoolIdentityDetector:
    return SchoolIdentityDetector(school)


@pytest.fixture
def detect(detector: SchoolIdentityDetector, doc: Callable[..., Document]) -> Detect:
    def run(text: str, **fields: Any) -> list[Signal]:
        signals = detector.detect(doc(text, **fields))
        for signal in signals:
            assert signal.kind in detector.emits and signal.kind in SIGNAL_KINDS
        return signals

    return run


def said(signals: list[Signal], text: str, kind: str | None = None) -> list[str | None]:
    return [s.evidence(text) for s in signals if kind is None or s.kind == kind]


def test_detector_is_registered_under_its_name() -> None:
    assert "school_identity" in DETECTOR_MODULES
    assert detectors()["school_identity"] is SchoolIdentityDetector


# -- the school's name -----------------------------------------------------------------------


def test_full_school_name_is_recognised_with_full_confidence(detect: Detect) -> None:
    text = "Proud to teach at Westmoor Primary School!"
    [signal] = detect(text)
    assert signal.kind == "school.name"
    assert signal.score == 1.0
    assert signal.data == {"matched": "Westmoor Primary School", "form": "name"}
    assert signal.evidence(text) == "Westmoor Primary School"


def test_alias_is_recognised_and_reported_as_an_alias(detect: Detect) -> None:
    text = "Another busy week at Westmoor School"
    [signal] = detect(text)
    assert signal.data == {"matched": "Westmoor School", "form": "alias"}
    assert signal.evidence(text) == "Westmoor School"


def test_school_name_is_recognised_in_any_case(detect: Detect) -> None:
    text = "WESTMOOR PRIMARY nativity tonight. westmoor primary school rocks"
    assert said(detect(text), text, "school.name") == ["WESTMOOR PRIMARY",
                                                       "westmoor primary school"]


def test_school_name_run_together_as_a_hashtag_is_recognised(detect: Detect) -> None:
    text = "Sports day done #WestmoorSchool"
    [signal] = detect(text)
    assert signal.kind == "school.name"
    assert signal.data["form"] == "hashtag"
    assert signal.evidence(text) == "WestmoorSchool"


def test_acronym_alias_counts_only_in_capitals(detect: Detect) -> None:
    assert said(detect("WPS staff do it better"), "WPS staff do it better") == ["WPS"]
    assert detect("my typing speed is 80 wps") == []


def test_school_name_inside_a_longer_word_is_not_the_school(detect: Detect) -> None:
    assert detect("Visiting Westmoor Schoolhouse Farm this weekend") == []


def test_apostrophe_variants_of_a_saints_name_are_recognised(
        doc: Callable[..., Document], school: School) -> None:
    saints = school.model_copy(update={"name": "St Aidan's C of E First School",
                                       "aliases": ("St Aidan's",)})
    detector = SchoolIdentityDetector(saints)
    for text, evidence in [("Lovely day at St Aidans", "St Aidans"),
                           ("Lovely day at St Aidan’s", "St Aidan’s"),
                           ("Lovely day at Saint Aidan's", "Saint Aidan's"),
                           ("Lovely day at st. aidan's", "st. aidan's")]:
        signals = detector.detect(doc(text))
        assert said(signals, text, "school.name") == [evidence], text


# -- handles and web address -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "evidence"), [
    ("Follow @WestmoorPS for updates", "@WestmoorPS"),
    ("Follow WestmoorPS for updates", "WestmoorPS"),
    ("Follow @westmoorprimary on Facebook", "@westmoorprimary"),
    ("Pics on facebook.com/WestmoorPrimary", "facebook.com/WestmoorPrimary"),
    ("Pics on https://www.facebook.com/WestmoorPrimary/", "facebook.com/WestmoorPrimary"),
])
def test_school_handles_are_recognised_with_or_without_at(detect: Detect, text: str,
                                                          evidence: str) -> None:
    [signal] = detect(text)
    assert signal.kind == "school.handle"
    assert signal.score == 1.0
    assert signal.evidence(text) == evidence


def test_website_domain_is_recognised(detect: Detect) -> None:
    text = "Term dates are on https://www.westmoor.northumberland.sch.uk/term-dates"
    [signal] = detect(text)
    assert signal.kind == "school.handle"
    assert signal.data["form"] == "website"
    assert signal.evidence(text) == "westmoor.northumberland.sch.uk"


def test_work_email_address_is_left_to_the_personal_data_detector(detect: Detect) -> None:
    assert detect("Email me on h.hughes@westmoor.northumberland.sch.uk") == []


def test_a_longer_handle_is_not_the_schools(detect: Detect) -> None:
    assert detect("Follow @WestmoorPSfan for gossip") == []


# -- indirect references ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "evidence", "form"), [
    ("My school is the best in the county", "My school", "school"),
    ("Our school choir smashed it", "Our school", "school"),
    ("Something is going on at the school", "the school", "school"),
    ("Awful day at work", "at work", "work"),
    ("Back to work tomorrow, not ready", "Back to work", "work"),
    ("Ugh. Work was awful today", "Work", "work"),
    ("Drinks after work anyone?", "after work", "work"),
    ("The head is on my case again", "The head", "head"),
    ("Told the headteacher where to go", "the headteacher", "head"),
    ("My head said no to the trip", "My head", "head"),
    ("SLT meeting ran over again", "SLT", "leadership"),
    ("Senior leadership have no clue", "Senior leadership", "leadership"),
    ("The governors are visiting on Friday", "The governors", "governors"),
    ("Parents' evening tonight, wish me luck", "Parents' evening", "event"),
    ("parents evening tonight, wish me luck", "parents evening", "event"),
    ("Cake in the staffroom!", "staffroom", "staffroom"),
    ("Ofsted visit next week, send wine", "Ofsted visit", "inspection"),
])
def test_indirect_references_to_the_school_are_recognised(detect: Detect, text: str,
                                                          evidence: str, form: str) -> None:
    [signal] = detect(text)
    assert signal.kind == "school.reference"
    assert 0.6 <= signal.score <= 0.8
    assert signal.data == {"matched": evidence.lower(), "form": form}
    assert signal.evidence(text) == evidence


@pytest.mark.parametrize("text", [
    "This new blender doesn't work",
    "Homework club was fun for my two",
    "Need to work out what to cook tonight",
    "Great work everyone at the fun run",
    "I banged my head on the cupboard",
    "My head is pounding after last night",
    "The head of the river was flooded",
    "Back in my school days we walked everywhere",
    "Stuck on the school run again",
    "When I was at school we had slates",
])
def test_near_misses_are_not_references_to_the_school(detect: Detect, text: str) -> None:
    assert detect(text) == []


def test_my_class_from_a_teacher_is_a_strong_reference(detect: Detect) -> None:
    [signal] = detect("My class were angels today", author="s-okafor")
    assert signal.data["form"] == "class"
    assert signal.score == pytest.approx(0.75)


def test_my_class_from_an_unknown_author_is_a_weaker_reference(detect: Detect) -> None:
    [signal] = detect("My class were angels today")
    assert signal.score == pytest.approx(0.6)


def test_my_kids_from_a_teacher_refers_to_their_class(detect: Detect) -> None:
    text = "My kids smashed their spelling test"
    [signal] = detect(text, author="s-okafor")
    assert signal.evidence(text) == "My kids"


@pytest.mark.parametrize("author", [None, "r-robson", "s-fenwick"])
def test_my_kids_from_anyone_but_a_teacher_are_their_own_children(detect: Detect,
                                                                  author: str | None) -> None:
    assert detect("My kids smashed their spelling test", author=author) == []


def test_name_handle_and_reference_in_one_post_each_give_a_signal(detect: Detect) -> None:
    text = "Back to work at Westmoor Primary tomorrow! Follow @WestmoorPS"
    assert [(s.kind, s.evidence(text)) for s in detect(text)] == [
        ("school.reference", "Back to work"),
        ("school.name", "Westmoor Primary"),
        ("school.handle", "@WestmoorPS"),
    ]


@pytest.mark.parametrize("text", [
    "Lovely walk along the coast this morning, the dog had a great time",
    "Anyone know a good plumber? Boiler has packed in again",
    "",
])
def test_posts_about_other_things_give_no_signals(detect: Detect, text: str) -> None:
    assert detect(text) == []


def test_the_bare_place_name_of_the_school_is_its_short_name(school: School) -> None:
    text = "Brilliant Christmas Fair at Westmoor today!"
    found = [s for s in SchoolIdentityDetector(school).detect(Document(post_from_dict(
        {"text": text}))) if s.kind == "school.name"]
    assert [(text[s.start:s.end], s.data["form"]) for s in found] == [("Westmoor", "short_name")]
