"""The personal-data detector: phones, emails, postcodes, addresses, dates of birth, NI and pupil
numbers, an empty home and security-question material, each with near misses that must not fire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from postguard.engine.detectors import personal_data
from postguard.engine.detectors.personal_data import PersonalDataDetector
from postguard.engine.registry import detectors
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import School

Detect = Callable[..., list[Signal]]


@pytest.fixture(scope="module")
def detector(school: School) -> PersonalDataDetector:
    return PersonalDataDetector(school)


@pytest.fixture
def detect(detector: PersonalDataDetector, doc: Callable[..., Document]) -> Detect:
    def run(text: str, **fields: Any) -> list[Signal]:
        return detector.detect(doc(text, **fields))

    return run


def found(signals: list[Signal], text: str, kind: str) -> list[str | None]:
    """The evidence of every signal of one kind, in order."""
    return [s.evidence(text) for s in signals if s.kind == kind]


def only(signals: list[Signal], kind: str) -> Signal:
    matching = [s for s in signals if s.kind == kind]
    assert len(matching) == 1, signals
    return matching[0]


def test_detector_is_registered_under_its_name() -> None:
    assert detectors()["personal_data"] is PersonalDataDetector


# Phone numbers


def test_personal_mobile_number_is_a_phone_number(detect: Detect) -> None:
    text = "Lost my phone, text me on 07911 123456 instead x"
    signal = only(detect(text), "pii.phone")
    assert signal.evidence(text) == "07911 123456"
    assert signal.data == {"value": "07911 123456", "normalised": "+447911123456"}
    assert signal.score >= 0.9


def test_international_format_is_the_same_phone_number(detect: Detect) -> None:
    text = "WhatsApp me: +44 7911 123456"
    assert only(detect(text), "pii.phone").data["normalised"] == "+447911123456"


def test_landline_with_area_code_is_a_phone_number(detect: Detect) -> None:
    text = "Tickets from the box office, 0191 496 0000, while they last"
    assert found(detect(text), text, "pii.phone") == ["0191 496 0000"]


def test_number_without_trunk_prefix_is_only_weakly_a_phone_number(detect: Detect) -> None:
    # "(773) 583-9191" fits a UK mobile range once a 0 is added, but reads as an American number.
    signal = only(detect("Please call (773) 583-9191 to book"), "pii.phone")
    assert signal.score < 0.7


def test_school_office_number_is_a_work_phone(detect: Detect) -> None:
    text = "Any problems ring me at school on 01670 512 345"
    signals = detect(text)
    assert found(signals, text, "pii.work_phone") == ["01670 512 345"]
    assert found(signals, text, "pii.phone") == []


def test_school_number_written_without_spaces_is_still_a_work_phone(detect: Detect) -> None:
    text = "Call 01670512345 for the club"
    assert found(detect(text), text, "pii.work_phone") == ["01670512345"]


def test_school_mobile_in_an_unallocated_range_is_a_work_phone(detect: Detect) -> None:
    # 07700 900xxx is reserved for drama; phonenumbers calls it invalid, the school uses it.
    text = "Trip updates on 07700 900 123"
    assert found(detect(text), text, "pii.work_phone") == ["07700 900 123"]


def test_well_formed_but_unallocated_mobile_is_a_weaker_phone_number(detect: Detect) -> None:
    text = "my new number 07700 900 456"
    signal = only(detect(text), "pii.phone")
    assert signal.evidence(text) == "07700 900 456"
    assert 0.6 <= signal.score < 0.9


def test_football_scores_are_not_phone_numbers(detect: Detect) -> None:
    assert detect("Under 11s won 3-1, then 2-0, then drew 4-4 1234 fans watched") == []


def test_order_number_is_not_a_phone_number(detect: Detect) -> None:
    text = "Order number 01234 567890 still hasn't arrived, ref: 01670 100200"
    assert found(detect(text), text, "pii.phone") == []


def test_long_number_that_is_no_uk_phone_is_ignored(detect: Detect) -> None:
    assert detect("Raised 1,250,000 pennies over 123456789 days") == []


def test_text_with_few_digits_never_runs_the_phone_matcher(
        detect: Detect, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the phone matcher ran on a text with too few digits")

    monkeypatch.setattr(personal_data, "PhoneNumberMatcher", refuse)
    assert detect("Year 6 scored 45 points in the 2026 quiz, 3rd place") == []


# Email addresses


def test_personal_address_is_an_email(detect: Detect) -> None:
    text = "Email me at Jane.Smith@gmail.com for the recipe"
    signal = only(detect(text), "pii.email")
    assert signal.evidence(text) == "Jane.Smith@gmail.com"
    assert signal.data == {"value": "Jane.Smith@gmail.com", "normalised": "jane.smith@gmail.com"}


def test_school_domain_address_is_a_work_email(detect: Detect) -> None:
    text = "Contact g.okafor@westmoor.northumberland.sch.uk."
    signals = detect(text)
    assert found(signals, text, "pii.work_email") == ["g.okafor@westmoor.northumberland.sch.uk"]
    assert found(signals, text, "pii.email") == []


def test_address_at_a_school_subdomain_is_a_work_email(detect: Detect) -> None:
    text = "office@mail.westmoor.northumberland.sch.uk"
    assert found(detect(text), text, "pii.work_email") == [text]


def test_lookalike_domain_is_a_personal_email(detect: Detect) -> None:
    text = "me@notwestmoor.northumberland.sch.uk"
    assert found(detect(text), text, "pii.email") == [text]


def test_the_words_work_email_are_not_an_email(detect: Detect) -> None:
    assert detect("I'll work email me later, then send it on") == []


def test_social_media_handle_is_not_an_email(detect: Detect) -> None:
    assert detect("Follow @WestmoorPrimary for updates") == []


# Postcodes and addresses


def test_full_postcode_is_a_postcode(detect: Detect) -> None:
    text = "New house keys! NE61 2XY here we come"
    signal = only(detect(text), "pii.postcode")
    assert signal.evidence(text) == "NE61 2XY"
    assert signal.data["normalised"] == "NE61 2XY"


def test_london_postcode_with_letter_in_district_is_a_postcode(detect: Detect) -> None:
    text = "Outside the palace, SW1A 1AA."
    assert found(detect(text), text, "pii.postcode") == ["SW1A 1AA"]


def test_lower_case_postcode_without_space_is_a_postcode(detect: Detect) -> None:
    text = "sat nav says ne612xy"
    signal = only(detect(text), "pii.postcode")
    assert signal.evidence(text) == "ne612xy"
    assert signal.data["normalised"] == "NE61 2XY"


def test_schools_own_postcode_is_marked_as_the_schools(detect: Detect) -> None:
    assert only(detect("Fair at NE61 2XY on Saturday"), "pii.postcode").data["school"] is True


def test_postcode_inside_a_longer_code_is_not_a_postcode(detect: Detect) -> None:
    assert found(detect("Part no. XNE61 2XYZ"), "", "pii.postcode") == []


def test_ordinal_after_a_road_number_is_not_a_postcode(detect: Detect) -> None:
    assert detect("Stuck on the m1 2nd time this week") == []


def test_product_code_outside_uk_postcode_areas_is_not_a_postcode(detect: Detect) -> None:
    assert detect("Bargain PS5 2TB bundle") == []


def test_house_number_and_street_is_an_address(detect: Detect) -> None:
    text = "Party at ours, 12 Moor Road, from 8!"
    signal = only(detect(text), "pii.address")
    assert signal.evidence(text) == "12 Moor Road"


def test_flat_number_is_part_of_the_address(detect: Detect) -> None:
    text = "Moved in to Flat 3, 45 High Street today"
    signal = only(detect(text), "pii.address")
    assert signal.evidence(text) == "Flat 3, 45 High Street"
    assert signal.score >= 0.9


def test_address_before_a_postcode_is_more_certain(detect: Detect) -> None:
    text = "Send cards to 7 St Aidan's Close, Morpeth NE61 1AB"
    signals = detect(text)
    address = only(signals, "pii.address")
    assert address.evidence(text) == "7 St Aidan's Close"
    assert address.score >= 0.9
    assert found(signals, text, "pii.postcode") == ["NE61 1AB"]


def test_number_before_ordinary_words_is_not_an_address(detect: Detect) -> None:
    assert detect("We scored 2 goals down the lane end and 3 in the park") == []


# Dates of birth


def test_born_on_a_full_date_is_a_date_of_birth(detect: Detect) -> None:
    text = "I was born on 3 March 1985, so it's a big one"
    signal = only(detect(text), "pii.date_of_birth")
    assert signal.evidence(text) == "born on 3 March 1985"
    assert signal.data == {"value": "3 March 1985", "normalised": "1985-03-03"}


def test_labelled_numeric_date_is_a_date_of_birth(detect: Detect) -> None:
    text = "Name: Grace, DOB: 03/03/1985"
    signal = only(detect(text), "pii.date_of_birth")
    assert signal.evidence(text) == "DOB: 03/03/1985"
    assert signal.score == 1.0


def test_birthday_with_the_year_is_a_date_of_birth(detect: Detect) -> None:
    text = "my birthday is 3rd March 1985 if anyone's asking"
    signal = only(detect(text), "pii.date_of_birth")
    assert signal.evidence(text) == "birthday is 3rd March 1985"
    assert signal.data["normalised"] == "1985-03-03"


def test_labelled_month_and_year_is_a_date_of_birth(detect: Detect) -> None:
    text = "date of birth: March 1985"
    assert only(detect(text), "pii.date_of_birth").data["normalised"] == "1985-03"


def test_birthday_without_a_year_is_not_a_date_of_birth(detect: Detect) -> None:
    assert detect("My birthday is on the 3rd of March! Cake in the staffroom") == []


def test_birth_year_alone_is_not_a_date_of_birth(detect: Detect) -> None:
    assert found(detect("b. 1985, born in 1985, class of 2003"), "", "pii.date_of_birth") == []


def test_impossible_date_is_not_a_date_of_birth(detect: Detect) -> None:
    assert found(detect("DOB 31/02/1985"), "", "pii.date_of_birth") == []


# National Insurance and pupil numbers


def test_spaced_national_insurance_number_is_an_ni_number(detect: Detect) -> None:
    text = "Payroll wants my NI number AB 12 34 56 C again"
    signal = only(detect(text), "pii.ni_number")
    assert signal.evidence(text) == "AB 12 34 56 C"
    assert signal.data["normalised"] == "AB123456C"


def test_unspaced_national_insurance_number_is_an_ni_number(detect: Detect) -> None:
    text = "NINO JG103759A"
    assert found(detect(text), text, "pii.ni_number") == ["JG103759A"]


def test_prefixes_hmrc_never_issues_are_not_ni_numbers(detect: Detect) -> None:
    # Q never starts a number, O is never second, and GB and ZZ are not allocated.
    assert detect("codes QQ123456C, AO123456B, GB123456A, ZZ 12 34 56 D") == []


def test_unique_pupil_number_with_correct_check_letter_is_a_upn(detect: Detect) -> None:
    text = "His UPN is B801200005001 if you need it"
    signal = only(detect(text), "pii.upn")
    assert signal.evidence(text) == "B801200005001"


def test_upn_with_wrong_check_letter_is_not_a_upn(detect: Detect) -> None:
    assert found(detect("A801200005001"), "", "pii.upn") == []


# The home left empty


def test_house_empty_for_two_weeks_is_home_empty(detect: Detect) -> None:
    text = "House empty for two weeks, bliss"
    signal = only(detect(text), "pii.home_empty")
    assert signal.evidence(text) == "House empty"
    assert signal.score >= 0.9


def test_away_until_a_date_is_home_empty(detect: Detect) -> None:
    text = "we're away until the 20th, see you all after"
    assert found(detect(text), text, "pii.home_empty") == ["we're away until the 20th"]


def test_holiday_abroad_with_nobody_home_is_home_empty(detect: Detect) -> None:
    text = "Off to Spain for a fortnight, nobody home!"
    assert found(detect(text), text, "pii.home_empty") == [
        "nobody home", "Off to Spain for a fortnight"]


def test_away_from_desk_or_an_away_game_is_not_home_empty(detect: Detect) -> None:
    assert detect("I'm away from my desk. Away game on Saturday. No one in the class listened.") \
        == []


def test_empty_house_as_a_feeling_is_only_weakly_home_empty(detect: Detect) -> None:
    signal = only(detect("The house is empty without him"), "pii.home_empty")
    assert signal.score == pytest.approx(0.6)


# Security-question material


def test_mothers_maiden_name_is_security_material(detect: Detect) -> None:
    text = "Fun fact: my mother's maiden name is Dobson"
    signal = only(detect(text), "pii.security_answer")
    assert signal.evidence(text) == "my mother's maiden name is Dobson"
    assert signal.data["normalised"] == "Dobson"


def test_first_pets_name_is_security_material(detect: Detect) -> None:
    text = "My first pet was called Biscuit and I still miss him"
    signal = only(detect(text), "pii.security_answer")
    assert signal.evidence(text) == "My first pet was called Biscuit"


def test_place_of_birth_is_security_material(detect: Detect) -> None:
    text = "Proud to say I was born in Hexham"
    assert found(detect(text), text, "pii.security_answer") == ["I was born in Hexham"]


def test_street_grown_up_on_is_security_material(detect: Detect) -> None:
    text = "the street I grew up on was Moor Road"
    assert found(detect(text), text, "pii.security_answer") == [text]


def test_birth_month_and_pets_without_names_are_not_security_material(detect: Detect) -> None:
    assert detect("I was born in May. My first pet died last year. First day back!") == []


def test_ordinary_post_has_no_personal_data(detect: Detect) -> None:
    text = ("What a week! Year 6 smashed their SATs practice and the choir sang beautifully at "
            "the Harvest Festival. Off for a long walk on the beach now. Have a lovely weekend!")
    assert detect(text) == []


def test_every_span_slices_its_value(detect: Detect) -> None:
    text = ("Ring 07911 123456 or email jo@example.com, 12 Moor Road NE61 2XY, DOB: 03/03/1985, "
            "NI AB 12 34 56 C, UPN B801200005001")
    signals = detect(text)
    assert {s.kind for s in signals} >= {
        "pii.phone", "pii.email", "pii.address", "pii.postcode", "pii.date_of_birth",
        "pii.ni_number", "pii.upn"}
    for signal in signals:
        assert signal.start is not None and signal.end is not None
        assert signal.data["value"] in text[signal.start:signal.end]
        assert 0.6 <= signal.score <= 1.0
