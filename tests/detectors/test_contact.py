"""The contact detector: who a friend request, message or comment goes to, and wording that draws a
child into private contact or arranges to meet or find one.

People from the demo school: Jayden Robson (p-robson, Year 6, nickname Jay), his mother Karen
Robson, ex-pupils Callum Reay (13), Josh Heslop (22) and Chloe Armstrong (born 10 January 2008),
the head Helen Hughes, governor Aisha Khan; "Grace" is both a teacher and a pupil.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from postguard.engine.detectors.contact import ContactDetector
from postguard.engine.registry import detectors
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import School

Detect = Callable[..., list[Signal]]
EVENING = "2026-11-17T19:30:00+00:00"


@pytest.fixture(scope="module")
def detector(school: School) -> ContactDetector:
    return ContactDetector(school)


@pytest.fixture
def detect(detector: ContactDetector, doc: Callable[..., Document]) -> Detect:
    def run(text: str = "", **fields: Any) -> list[Signal]:
        fields.setdefault("posted_at", EVENING)
        return detector.detect(doc(text, **fields))

    return run


def kinds(signals: list[Signal]) -> list[str]:
    return sorted(signal.kind for signal in signals)


def only(signals: list[Signal], kind: str, textual: bool | None = None) -> Signal:
    matching = [s for s in signals if s.kind == kind
                and (textual is None or (s.start is not None) == textual)]
    assert len(matching) == 1, signals
    return matching[0]


def test_detector_is_registered_under_its_name() -> None:
    assert detectors()["contact"] is ContactDetector


# Who the contact is with


def test_friend_request_to_current_pupil_is_contact_with_a_pupil(detect: Detect) -> None:
    signal = only(detect(action="friend_request", target="Jayden Robson"), "contact.pupil")
    assert signal.explanation == "friend request to Jayden Robson, a current pupil (Year 6)"
    assert signal.data == {"person_id": "p-robson", "kind": "pupil", "age": 11}
    assert (signal.start, signal.end, signal.score) == (None, None, 1.0)


def test_message_to_a_pupil_by_id_is_contact_with_a_pupil(detect: Detect) -> None:
    assert kinds(detect("Well done today", action="message", target="p-robson")) == \
        ["contact.pupil"]


def test_target_name_matches_whatever_its_case_and_spacing(detect: Detect) -> None:
    assert kinds(detect(action="friend_request", target="  JAYDEN   robson ")) == \
        ["contact.pupil"]


def test_reception_pupil_is_described_as_reception(detect: Detect) -> None:
    signal = only(detect(action="comment", target="Lena Kowalczyk"), "contact.pupil")
    assert signal.explanation == "comment to Lena Kowalczyk, a current pupil (Reception)"


def test_message_to_ex_pupil_aged_13_is_contact_with_a_minor(detect: Detect) -> None:
    signal = only(detect("hi", action="message", target="Callum Reay"), "contact.ex_pupil_minor")
    assert signal.data == {"person_id": "x-reay", "kind": "ex_pupil", "age": 13}
    assert signal.explanation == "message to Callum Reay, a former pupil, aged 13"


def test_friend_request_to_ex_pupil_aged_22_is_contact_with_an_adult(detect: Detect) -> None:
    signal = only(detect(action="friend_request", target="x-heslop"), "contact.ex_pupil_adult")
    assert signal.data["age"] == 22


def test_ex_pupil_the_day_before_turning_18_is_a_minor(detect: Detect) -> None:
    signals = detect(action="friend_request", target="Chloe Armstrong",
                     posted_at="2026-01-09T12:00:00+00:00")
    assert kinds(signals) == ["contact.ex_pupil_minor"]


def test_ex_pupil_turned_18_is_an_adult(detect: Detect) -> None:
    signals = detect(action="friend_request", target="Chloe Armstrong",
                     posted_at="2026-01-10T09:00:00+00:00")
    assert kinds(signals) == ["contact.ex_pupil_adult"]
    assert signals[0].data["age"] == 18


def test_ex_pupils_age_is_taken_on_the_school_calendar_date(detect: Detect) -> None:
    # 23:30 in New York on 9 January is already 04:30 on 10 January in the UK.
    signals = detect(action="friend_request", target="Chloe Armstrong",
                     posted_at="2026-01-09T23:30:00-05:00")
    assert kinds(signals) == ["contact.ex_pupil_adult"]


def test_ex_pupil_age_without_a_posting_time_is_taken_today(detect: Detect) -> None:
    # Callum Reay was born in 2013: a child until 2031, whenever these tests run before then.
    signals = detect(action="message", target="Callum Reay", posted_at=None)
    assert kinds(signals) == ["contact.ex_pupil_minor"]


def test_ex_pupil_with_no_date_of_birth_is_treated_as_a_minor(
        school: School, doc: Callable[..., Document]) -> None:
    # Rebuilt rather than model_copy'd: the copy would keep the school's cached lookup table.
    data = school.model_dump()
    data["people"]["ex_pupils"] = [
        {**person, "date_of_birth": None} for person in data["people"]["ex_pupils"]]
    detector = ContactDetector(School.model_validate(data))
    signals = detector.detect(doc("", action="friend_request", target="x-brown"))
    signal = only(signals, "contact.ex_pupil_minor")
    assert signal.score == pytest.approx(0.6)
    assert signal.data["age"] is None


def test_comment_to_a_parent_is_contact_with_a_parent(detect: Detect) -> None:
    signal = only(detect("Lovely photo!", action="comment", target="Karen Robson"),
                  "contact.parent")
    assert signal.explanation == "comment to Karen Robson, a parent of Jayden Robson"


def test_message_to_the_head_by_email_is_contact_with_a_colleague(detect: Detect) -> None:
    signal = only(detect("See you Monday", action="message",
                         target="h.hughes@westmoor.northumberland.sch.uk"), "contact.colleague")
    assert signal.explanation == "message to Helen Hughes, a colleague (head teacher)"


def test_friend_request_to_a_governor_is_contact_with_a_colleague(detect: Detect) -> None:
    signal = only(detect(action="friend_request", target="Aisha Khan"), "contact.colleague")
    assert signal.data["kind"] == "governor"


def test_friend_request_to_a_stranger_is_weak_unknown_contact(detect: Detect) -> None:
    signal = only(detect(action="friend_request", target="Dave Random"), "contact.unknown")
    assert signal.score == pytest.approx(0.5)
    assert signal.data == {"person_id": None, "kind": None, "age": None}


def test_message_to_a_stranger_is_not_contact(detect: Detect) -> None:
    assert detect("Is the bike still for sale?", action="message", target="Dave Random") == []


def test_post_addressed_to_a_pupil_is_contact_with_a_pupil(detect: Detect) -> None:
    signal = only(detect("Happy birthday!", action="post", target="Jayden Robson"),
                  "contact.pupil")
    assert signal.explanation.startswith("post addressed to Jayden Robson")


def test_post_without_a_target_is_not_contact(detect: Detect) -> None:
    assert detect("Lovely sunset over the Cheviots tonight", action="post") == []


def test_profile_edit_naming_a_target_is_not_contact(detect: Detect) -> None:
    assert detect("Teacher, runner, dog mum", action="profile", target="Jayden Robson") == []


# Wording that moves a child into private contact


def test_add_me_on_snapchat_to_a_pupil_is_contact_with_a_pupil(detect: Detect) -> None:
    text = "Great goal today! Add me on Snapchat x"
    signal = only(detect(text, action="message", target="Jayden Robson"), "contact.pupil",
                  textual=True)
    assert signal.evidence(text) == "Add me on Snapchat"
    assert signal.data["person_id"] == "p-robson"


def test_dm_me_in_a_post_naming_a_pupil_is_contact_with_a_pupil(detect: Detect) -> None:
    text = "Well done Jayden Robson! DM me if you want help with your homework"
    signal = only(detect(text), "contact.pupil", textual=True)
    assert signal.evidence(text) == "DM me"
    assert signal.score == pytest.approx(0.85)


def test_message_me_to_a_young_ex_pupil_is_contact_with_a_minor(detect: Detect) -> None:
    text = "message me whenever x"
    signal = only(detect(text, action="comment", target="Callum Reay"),
                  "contact.ex_pupil_minor", textual=True)
    assert signal.evidence(text) == "message me"


def test_add_me_on_snapchat_to_a_parent_is_not_contact_with_a_pupil(detect: Detect) -> None:
    signals = detect("add me on snapchat", action="message", target="Karen Robson")
    assert kinds(signals) == ["contact.parent"]


def test_message_me_in_a_post_naming_no_child_is_not_contact(detect: Detect) -> None:
    assert detect("Book club this Thursday, message me for the address") == []


def test_first_name_shared_by_a_teacher_does_not_identify_a_pupil(detect: Detect) -> None:
    assert detect("Grace, DM me the rota when you get a sec") == []


# Arranging to meet or locate a child


def test_meeting_a_pupil_at_the_park_is_meeting_a_child(detect: Detect) -> None:
    text = "Meet me at the park after school"
    signal = only(detect(text, action="message", target="Jayden Robson"), "contact.meet_child")
    assert signal.evidence(text) == "Meet me at the park after school"
    assert signal.explanation.startswith(
        "arranging to meet or locate Jayden Robson, a current pupil (Year 6)")


def test_offering_a_lift_to_a_young_ex_pupil_is_meeting_a_child(detect: Detect) -> None:
    text = "I'll pick you up from the Metro at 6"
    signal = only(detect(text, action="message", target="x-reay"), "contact.meet_child")
    assert signal.evidence(text) == "I'll pick you up"
    assert signal.data == {"person_id": "x-reay", "kind": "ex_pupil", "age": 13}


def test_asking_a_named_pupil_for_their_address_is_locating_a_child(detect: Detect) -> None:
    text = "Lena Kowalczyk what's your address? I have your reading book"
    signal = only(detect(text), "contact.meet_child")
    assert signal.evidence(text) == "what's your address"


def test_nickname_addressing_a_pupil_identifies_the_child(detect: Detect) -> None:
    text = "Jay, meet me by the gates"
    signal = only(detect(text), "contact.meet_child")
    assert signal.data["person_id"] == "p-robson"


def test_meeting_a_colleague_at_the_pub_is_not_meeting_a_child(detect: Detect) -> None:
    signals = detect("Meet me at the pub later", action="message", target="Tom Fenwick")
    assert kinds(signals) == ["contact.colleague"]


def test_offering_a_lift_to_an_adult_ex_pupil_is_not_meeting_a_child(detect: Detect) -> None:
    signals = detect("I'll pick you up at 7", action="message", target="Josh Heslop")
    assert kinds(signals) == ["contact.ex_pupil_adult"]


def test_staff_meeting_is_not_meeting_a_child(detect: Detect) -> None:
    assert detect("Staff meeting moved to Thursday, Jayden Robson's class is on the trip") == []
