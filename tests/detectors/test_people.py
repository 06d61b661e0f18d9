"""The people detector: pupils, parents, staff and governors named or described in a post.

People from the demo school: Jayden Robson (p-robson, Year 6, nickname Jay) and his mother Karen
Robson (r-robson); Grace Okafor (s-okafor, teacher) and Grace Liddle (p-grace, Year 5 pupil) share
a first name that is also an everyday word; Mark Dixon (r-dixon) is a parent; Jack Carr (p-carr)
and Poppy Hall (p-hall) are pupils; Liam Brennan (s-brennan, "Mr B") and Katarzyna Nowak
(s-nowak, "Kasia") teach; Callum Reay (x-reay) is an ex-pupil; Aisha Khan (g-khan) a governor;
Helen Hughes (s-hughes) is the head and Ravi Patel (s-patel) the deputy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from postguard.engine.detectors import DETECTOR_MODULES
from postguard.engine.detectors.people import PeopleDetector
from postguard.engine.registry import detectors
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import School

Detect = Callable[..., list[Signal]]


@pytest.fixture(scope="module")
def detector(school: School) -> PeopleDetector:
    return PeopleDetector(school)


@pytest.fixture
def detect(detector: PeopleDetector, doc: Callable[..., Document]) -> Detect:
    def run(text: str, **fields: Any) -> list[Signal]:
        signals = detector.detect(doc(text, **fields))
        for signal in signals:
            assert signal.kind in detector.emits and signal.kind in SIGNAL_KINDS
        return signals

    return run


def named(signals: list[Signal], person_id: str) -> list[Signal]:
    return [s for s in signals if s.data.get("person_id") == person_id]


def only(signals: list[Signal], person_id: str) -> Signal:
    found = named(signals, person_id)
    assert len(found) == 1, signals
    return found[0]


def of_kind(signals: list[Signal], kind: str) -> list[Signal]:
    return [s for s in signals if s.kind == kind]


def evidence(signal: Signal, text: str) -> str | None:
    return signal.evidence(text)


# -- registration ----------------------------------------------------------------------------


def test_detector_is_registered_under_its_name() -> None:
    assert "people" in DETECTOR_MODULES
    assert detectors()["people"] is PeopleDetector


# -- names on the roster ---------------------------------------------------------------------


def test_full_name_of_a_pupil_is_recognised_with_full_confidence(detect: Detect) -> None:
    text = "Massive well done to Jayden Robson for his football trophy!"
    signal = only(detect(text), "p-robson")
    assert signal.kind == "person.pupil"
    assert signal.score == 1.0
    assert signal.data["match"] == "full"
    assert evidence(signal, text) == "Jayden Robson"


def test_first_name_alone_of_a_pupil_is_recognised(detect: Detect) -> None:
    text = "So proud of Jayden today, he finally nailed his times tables"
    signal = only(detect(text), "p-robson")
    assert signal.kind == "person.pupil"
    assert signal.data == {"person_id": "p-robson", "name": "Jayden Robson", "match": "first"}
    assert signal.score == pytest.approx(0.8)
    assert evidence(signal, text) == "Jayden"


def test_explanation_says_who_the_person_is_in_school_terms(detect: Detect) -> None:
    signal = only(detect("So proud of Jayden today"), "p-robson")
    assert signal.explanation == "'Jayden' is the first name of Jayden Robson, a Year 6 pupil"


def test_staff_surname_with_a_title_is_recognised(detect: Detect) -> None:
    text = "Mrs Okafor and Miss Nowak ran the best trip ever"
    signals = detect(text)
    okafor, nowak = only(signals, "s-okafor"), only(signals, "s-nowak")
    assert okafor.kind == nowak.kind == "person.staff"
    assert okafor.data["match"] == "surname_title"
    assert okafor.score == pytest.approx(0.95)
    assert evidence(okafor, text) == "Mrs Okafor"
    assert evidence(nowak, text) == "Miss Nowak"


def test_title_with_a_full_stop_is_recognised(detect: Detect) -> None:
    text = "Thanks to Mr. Brennan for covering my duty"
    assert evidence(only(detect(text), "s-brennan"), text) == "Mr. Brennan"


def test_parent_named_with_a_title_is_a_parent(detect: Detect) -> None:
    text = "Had Mr Dixon in again about the reading books"
    signal = only(detect(text), "r-dixon")
    assert signal.kind == "person.parent"
    assert "the parent of Alfie Dixon" in signal.explanation


def test_pupils_are_not_matched_by_title_and_surname(detect: Detect) -> None:
    signals = detect("Mrs Robson was lovely at the gate")
    assert [s.data["person_id"] for s in signals] == ["r-robson"]


@pytest.mark.parametrize(("text", "person_id", "said"), [
    ("Mr B is the best teacher in the world", "s-brennan", "Mr B"),
    ("Kasia brought in cake for the staff", "s-nowak", "Kasia"),
    ("Honestly Jay is a legend", "p-robson", "Jay"),
])
def test_roster_nicknames_are_recognised(detect: Detect, text: str, person_id: str,
                                         said: str) -> None:
    signal = only(detect(text), person_id)
    assert signal.data["match"] == "nickname"
    assert signal.score == pytest.approx(0.85)
    assert evidence(signal, text) == said


def test_nickname_with_the_surname_counts_as_a_full_name(detect: Detect) -> None:
    text = "Stevie Milburn still owes me a pint"
    signal = only(detect(text), "r-milburn")
    assert signal.data["match"] == "full"
    assert evidence(signal, text) == "Stevie Milburn"


def test_nickname_that_is_a_prefix_of_a_longer_name_gives_way_to_it(detect: Detect) -> None:
    text = "Mr Brennan is off today"
    signal = only(detect(text), "s-brennan")
    assert signal.data["match"] == "surname_title"
    assert evidence(signal, text) == "Mr Brennan"


@pytest.mark.parametrize("text", ["Jayden's reading has come on so much",
                                  "Jayden’s reading has come on so much"])
def test_possessive_name_is_recognised_and_the_span_stops_at_the_name(detect: Detect,
                                                                       text: str) -> None:
    assert evidence(only(detect(text), "p-robson"), text) == "Jayden"


@pytest.mark.parametrize(("text", "said"), [
    ("JAYDEN WAS AMAZING IN ASSEMBLY", "JAYDEN"),
    ("omg jayden robson is a star", "jayden robson"),
    ("jayden was brilliant in assembly", "jayden"),
])
def test_names_are_recognised_in_any_case(detect: Detect, text: str, said: str) -> None:
    assert evidence(only(detect(text), "p-robson"), text) == said


def test_misspelt_full_name_is_recognised_as_fuzzy(detect: Detect) -> None:
    text = "Jaydon Robson has been brilliant this week"
    signal = only(detect(text), "p-robson")
    assert signal.data["match"] == "fuzzy"
    assert 0.6 <= signal.score <= 0.75
    assert evidence(signal, text) == "Jaydon Robson"
    assert "misspelling of Jayden Robson" in signal.explanation


def test_misspelt_surname_after_a_correct_first_name_is_one_fuzzy_match(detect: Detect) -> None:
    text = "Jayden Robsen scored twice on Saturday"
    signals = detect(text)
    assert len(signals) == 1
    assert signals[0].data["match"] == "fuzzy"
    assert evidence(signals[0], text) == "Jayden Robsen"


def test_misspelt_staff_surname_with_a_title_is_recognised(detect: Detect) -> None:
    text = "Mrs Okafur is off sick again, third time this term"
    signal = only(detect(text), "s-okafor")
    assert signal.kind == "person.staff"
    assert signal.data["match"] == "fuzzy"
    assert evidence(signal, text) == "Mrs Okafur"


def test_rare_surname_alone_is_recognised(detect: Detect) -> None:
    text = "Okafor is on my case again"
    signal = only(detect(text), "s-okafor")
    assert signal.data["match"] == "surname"
    assert evidence(signal, text) == "Okafor"


def test_ex_pupil_and_governor_get_their_own_kinds(detect: Detect) -> None:
    signals = detect("Bumped into Callum Reay and Aisha Khan in town")
    assert only(signals, "x-reay").kind == "person.ex_pupil"
    assert only(signals, "g-khan").kind == "person.governor"


def test_a_name_mentioned_twice_gives_a_signal_for_each_mention(detect: Detect) -> None:
    text = "Jayden scored, then Jayden scored again"
    signals = named(detect(text), "p-robson")
    assert [(s.start, s.end) for s in signals] == [(0, 6), (20, 26)]


# -- names that are everyday words -----------------------------------------------------------


def test_common_word_grace_at_sentence_start_is_not_a_name(detect: Detect) -> None:
    assert detect("Grace is underrated. We always said grace before tea") == []


def test_common_word_grace_in_lower_case_is_not_a_name(detect: Detect) -> None:
    assert detect("we said grace before our Sunday dinner") == []


def test_common_word_mark_as_a_verb_is_not_a_name(detect: Detect) -> None:
    assert detect("Need to mark the books tonight before Friday") == []


def test_common_word_name_capitalised_mid_sentence_is_a_name(detect: Detect) -> None:
    text = "Well done Jack, brilliant writing today"
    signal = only(detect(text), "p-carr")
    assert signal.kind == "person.pupil"
    assert evidence(signal, text) == "Jack"


def test_common_word_name_as_part_of_a_full_name_is_a_name(detect: Detect) -> None:
    text = "Mark Dixon came in shouting again"
    signal = only(detect(text), "r-dixon")
    assert signal.data["match"] == "full"
    assert evidence(signal, text) == "Mark Dixon"


def test_sentence_start_common_name_counts_once_the_post_names_the_person(
        detect: Detect) -> None:
    text = "Grace Liddle was brilliant. Grace read her poem to the whole school"
    signals = named(detect(text), "p-grace")
    assert [evidence(s, text) for s in signals] == ["Grace Liddle", "Grace"]
    assert named(detect(text), "s-okafor") == []


def test_word_like_name_in_lower_case_is_not_a_name_when_the_post_uses_capitals(
        detect: Detect) -> None:
    assert detect("Wearing my poppy with pride this weekend") == []


def test_word_like_name_in_lower_case_is_a_name_when_the_post_has_no_capitals(
        detect: Detect) -> None:
    text = "so proud of poppy today she read to the whole class"
    assert evidence(only(detect(text), "p-hall"), text) == "poppy"


def test_short_nickname_in_lower_case_is_not_a_name(detect: Detect) -> None:
    assert named(detect("Only 300 cal and the jay in the garden is back"), "p-robson") == []


def test_shouted_post_does_not_make_common_words_names(detect: Detect) -> None:
    assert detect("NEED TO MARK THE BOOKS AND SAY GRACE") == []


# -- shared names ----------------------------------------------------------------------------


def test_first_name_shared_by_two_people_gives_one_weaker_signal_each(detect: Detect) -> None:
    text = "Thanks Grace for the flowers"
    signals = detect(text)
    assert {s.data["person_id"]: s.kind for s in signals} == {
        "s-okafor": "person.staff", "p-grace": "person.pupil"}
    for signal in signals:
        assert signal.score == pytest.approx(0.6)
        assert sorted(signal.data["candidates"]) == ["p-grace", "s-okafor"]
        assert evidence(signal, text) == "Grace"
    assert "it could also be" in signals[0].explanation


def test_shared_first_name_is_settled_by_a_full_name_in_the_same_post(detect: Detect) -> None:
    text = "Grace Okafor is leaving :( Thanks Grace for everything"
    signals = detect(text)
    assert {s.data["person_id"] for s in signals} == {"s-okafor"}
    assert [s.score for s in signals] == [1.0, pytest.approx(0.8)]


# -- relations -------------------------------------------------------------------------------


def test_pupils_mum_names_the_parent_on_the_roster(detect: Detect) -> None:
    text = "Jayden’s mum kicked off at the gate again"
    signal = only(detect(text), "r-robson")
    assert signal.kind == "person.parent"
    assert signal.data["match"] == "relation"
    assert signal.data["related_to"] == "p-robson"
    assert evidence(signal, text) == "Jayden’s mum"


# -- names of people not on the roster -------------------------------------------------------


def test_title_and_unknown_surname_is_a_weak_unknown_name(detect: Detect) -> None:
    text = "Mr Jenkins from the council came round"
    [signal] = detect(text)
    assert signal.kind == "person.unknown_name"
    assert 0.3 <= signal.score <= 0.4
    assert evidence(signal, text) == "Mr Jenkins"


def test_known_given_name_and_surname_off_the_roster_is_a_weak_unknown_name(
        detect: Detect) -> None:
    text = "Cracking gig last night, Dave Jenkins was on fire"
    [signal] = detect(text)
    assert signal.kind == "person.unknown_name"
    assert evidence(signal, text) == "Dave Jenkins"


def test_unknown_name_sharing_a_roster_surname_says_so(detect: Detect) -> None:
    [signal] = detect("Saw Dave Robson down the pub")
    assert signal.kind == "person.unknown_name"
    assert set(signal.data["shares_surname_with"]) == {"p-robson", "r-robson"}


def test_roster_first_name_with_a_different_surname_is_someone_else(detect: Detect) -> None:
    text = "Lovely to see Jayden Pemberton-Okoro at the match"
    signals = detect(text)
    assert named(signals, "p-robson") == []
    assert [s.kind for s in signals] == ["person.unknown_name"]


def test_famous_name_sharing_a_pupils_first_name_is_not_the_pupil(detect: Detect) -> None:
    text = "Watching Harry Potter with the kids tonight"
    [signal] = detect(text)
    assert signal.kind == "person.unknown_name"
    assert evidence(signal, text) == "Harry Potter"


def test_capitalised_praise_after_a_first_name_is_not_a_surname(detect: Detect) -> None:
    text = "Well done Jayden Brilliant work"
    assert evidence(only(detect(text), "p-robson"), text) == "Jayden"


@pytest.mark.parametrize("text", [
    "Will Power is what you need on a Monday",
    "The Rose Garden at Alnwick is beautiful",
    "Happy Christmas from the Northumberland Coast",
    "Kielder Water was freezing",
])
def test_capitalised_phrases_that_are_not_names_are_not_unknown_names(detect: Detect,
                                                                      text: str) -> None:
    assert of_kind(detect(text), "person.unknown_name") == []


# -- people described without a name ---------------------------------------------------------


@pytest.mark.parametrize(("text", "said"), [
    ("A Year 6 boy threw a chair across the room", "A Year 6 boy"),
    ("Had a girl in Year 3 in tears all afternoon", "a girl in Year 3"),
    ("One of my class was sick on the carpet", "One of my class"),
    ("one of my pupils said the funniest thing", "one of my pupils"),
    ("There is a child in my class who never stops talking", "a child in my class"),
    ("A pupil told me I look tired", "A pupil"),
])
def test_unnamed_pupils_are_recognised(detect: Detect, text: str, said: str) -> None:
    [signal] = of_kind(detect(text), "person.unnamed_pupil")
    assert evidence(signal, text) == said


@pytest.mark.parametrize(("text", "said"), [
    ("A certain parent has complained AGAIN", "A certain parent"),
    ("One mum told me I was too strict", "One mum told me"),
    ("Another mum is running the cake stall", "Another mum"),
    ("A dad at the gate swore at me", "A dad at the gate"),
    ("Today a parent complained that we give too much homework", "a parent complained"),
])
def test_unnamed_parents_are_recognised(detect: Detect, text: str, said: str) -> None:
    [signal] = of_kind(detect(text), "person.unnamed_parent")
    assert evidence(signal, text) == said


@pytest.mark.parametrize(("text", "said"), [
    ("My line manager has no idea what she is doing", "My line manager"),
    ("Honestly my boss is a nightmare", "my boss"),
    ("Guess who the deputy head blamed", "the deputy head"),
    ("Had a colleague cry in the toilets today", "a colleague"),
])
def test_unnamed_colleagues_are_recognised(detect: Detect, text: str, said: str) -> None:
    [signal] = of_kind(detect(text), "person.unnamed_colleague")
    assert evidence(signal, text) == said


def test_a_job_that_one_person_holds_lists_them_as_the_candidate(detect: Detect) -> None:
    [signal] = detect("The deputy head has lost the plot")
    assert signal.data["candidates"] == ["s-patel"]


@pytest.mark.parametrize("text", [
    "I'm a dad of two and proud of it",
    "As a mum I worry about screen time",
    "When I was a pupil there it was a lovely school",
    "Any student teacher will tell you it is hard",
    "One parent families deserve more support",
])
def test_posters_describing_themselves_are_not_unnamed_people(detect: Detect,
                                                                text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize("text", [
    "I banged my head on the door frame",
    "He hit the head of the nail first time",
])
def test_a_head_that_is_a_body_part_is_not_a_colleague(detect: Detect, text: str) -> None:
    assert of_kind(detect(text), "person.unnamed_colleague") == []


def test_one_of_my_kids_from_a_teacher_is_a_pupil(detect: Detect) -> None:
    [signal] = detect("One of my kids was sick today", author="s-okafor")
    assert signal.kind == "person.unnamed_pupil"
    assert signal.score == pytest.approx(0.8)


def test_one_of_my_kids_from_a_parent_is_their_own_child(detect: Detect) -> None:
    assert detect("One of my kids was sick today", author="r-robson") == []


def test_one_of_my_kids_from_an_unknown_author_is_a_weaker_signal(detect: Detect) -> None:
    [signal] = detect("One of my kids was sick today")
    assert signal.score < 0.6


# -- ordinary posts ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Lovely walk along the coast this morning, the dog had a great time",
    "Anyone know a good plumber? Boiler has packed in again",
    "May the force be with you all this week",
    "",
])
def test_posts_about_nobody_give_no_signals(detect: Detect, text: str) -> None:
    assert detect(text) == []
