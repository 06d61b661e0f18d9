"""The official-account procedure (Hardmoor App. 1; Northumberland 7.2, App. 1 §11-15).

Westmoor's @WestmoorPrimary (id "facebook") may be posted on by Megan Doyle, Janet Clarke and
Helen Hughes and is approved by Helen Hughes or Ravi Patel; @WestmoorPS ("x") by Megan Doyle,
approved by Helen Hughes. Approved sites: the school's website, northumberland.gov.uk, gov.uk,
bbc.co.uk. Alfie Dixon, Isla Milburn, Poppy Hall and Zara Hussain have no photo consent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from postguard.engine.detectors.official import OfficialAccountDetector
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import OfficialAccount, School

# A post that passes every check, to vary one field at a time.
GOOD: dict[str, Any] = {"account": "official", "author": "s-doyle", "approved_by": "s-hughes"}


@pytest.fixture(scope="module")
def detector(school: School) -> OfficialAccountDetector:
    return OfficialAccountDetector(school)


@pytest.fixture(scope="module")
def signals(detector: OfficialAccountDetector,
            doc: Callable[..., Document]) -> Callable[..., list[Signal]]:
    """signals("text", field=value, ...) -> the detector's signals for a good official post."""

    def run(text: str = "Harvest Festival is on Friday at 2pm.", **fields: Any) -> list[Signal]:
        return detector.detect(doc(text, **{**GOOD, **fields}))

    return run


def kinds(found: list[Signal], kind: str | None = None) -> list[Signal]:
    return [s for s in found if kind is None or s.kind == kind]


def test_every_kind_the_detector_emits_is_in_the_vocabulary() -> None:
    assert set(OfficialAccountDetector.emits) <= set(SIGNAL_KINDS)
    assert all(kind.startswith("official.") for kind in OfficialAccountDetector.emits)


def test_approved_post_by_authorised_staff_raises_nothing(signals) -> None:
    assert signals() == []


def test_personal_account_posts_are_not_judged_as_official(detector, doc) -> None:
    post = doc("Great day! More at example.com. Email me at tom.f@gmail.com",
               account="personal", author="s-fenwick", images=[{"shows_children": True}])
    assert detector.detect(post) == []


# -- who posts --------------------------------------------------------------------------------


def test_post_by_staff_not_authorised_on_the_account_is_flagged(signals) -> None:
    [found] = kinds(signals(author="s-fenwick"), "official.unauthorised_poster")
    assert found.explanation == ("Tom Fenwick is not authorised to post on @WestmoorPrimary "
                                 "(authorised: Megan Doyle, Janet Clarke, Helen Hughes)")
    assert found.data["person_id"] == "s-fenwick"
    assert found.data["account"] == "facebook"
    assert found.start is None


def test_author_given_by_name_or_email_is_recognised(signals) -> None:
    assert kinds(signals(author="Megan Doyle"), "official.unauthorised_poster") == []
    assert kinds(signals(author="h.hughes@westmoor.northumberland.sch.uk"),
                 "official.unauthorised_poster") == []


def test_author_authorised_on_one_account_is_not_authorised_on_another(signals) -> None:
    # Janet Clarke may post on @WestmoorPrimary but not on @WestmoorPS.
    assert kinds(signals(author="s-clarke", account_id="facebook"),
                 "official.unauthorised_poster") == []
    [found] = kinds(signals(author="s-clarke", account_id="x"), "official.unauthorised_poster")
    assert "@WestmoorPS" in found.explanation and "(authorised: Megan Doyle)" in found.explanation


def test_account_may_be_named_by_its_handle(signals) -> None:
    found = signals(author="s-clarke", account_id="@WestmoorPS", approved_by="s-hughes")
    assert [s.data["account"] for s in found] == ["x"]


def test_author_not_on_the_staff_list_is_unauthorised(signals) -> None:
    [found] = kinds(signals(author="a.visitor"), "official.unauthorised_poster")
    assert "'a.visitor' is not on the school's staff list" in found.explanation
    assert found.data["person_id"] is None


def test_post_without_an_author_is_unauthorised(signals) -> None:
    [found] = kinds(signals(author=None), "official.unauthorised_poster")
    assert "does not say who wrote it" in found.explanation


def test_account_the_school_does_not_list_is_judged_against_all_its_accounts(signals) -> None:
    assert kinds(signals(account_id="instagram"), "official.unauthorised_poster") == []
    [found] = kinds(signals(account_id="instagram", author="s-fenwick"),
                    "official.unauthorised_poster")
    assert "'instagram'" in found.explanation and found.data["handle"] is None


def test_school_without_official_accounts_still_needs_the_head_teachers_approval(
        school: School, doc) -> None:
    bare = school.model_copy(update={"official_accounts": ()})
    detector = OfficialAccountDetector(bare)
    found = detector.detect(doc("Harvest Festival on Friday.", account="official",
                                author="s-fenwick"))
    assert [s.kind for s in found] == ["official.not_approved"]
    assert "Helen Hughes" in found[0].explanation


# -- approval ---------------------------------------------------------------------------------


def test_post_without_approval_is_flagged(signals) -> None:
    [found] = kinds(signals(approved_by=None), "official.not_approved")
    assert found.data["reason"] == "missing"
    assert found.explanation == ("no one approved this post before it went out on "
                                 "@WestmoorPrimary; it must be approved by Helen Hughes, "
                                 "Ravi Patel")


def test_approval_by_either_of_the_accounts_approvers_is_enough(signals) -> None:
    assert kinds(signals(approved_by="s-patel"), "official.not_approved") == []
    assert kinds(signals(approved_by="Ravi Patel"), "official.not_approved") == []


def test_approval_by_someone_who_is_not_an_approver_is_flagged(signals) -> None:
    [found] = kinds(signals(approved_by="s-okafor"), "official.not_approved")
    assert found.data["reason"] == "not_an_approver"
    assert found.data["person_id"] == "s-okafor"
    assert found.explanation.startswith("Grace Okafor approved the post but is not an approver")


def test_approver_of_one_account_cannot_approve_for_another(signals) -> None:
    # Ravi Patel approves for @WestmoorPrimary only.
    [found] = kinds(signals(account_id="x", approved_by="s-patel"), "official.not_approved")
    assert "(approvers: Helen Hughes)" in found.explanation


def test_author_approving_their_own_post_is_flagged_when_not_an_approver(signals) -> None:
    [found] = kinds(signals(approved_by="s-doyle"), "official.not_approved")
    assert found.data["reason"] == "self_approved"
    assert "Megan Doyle approved their own post" in found.explanation


def test_approver_may_approve_their_own_post(signals) -> None:
    assert signals(author="s-hughes", approved_by="s-hughes") == []


def test_approval_by_an_unknown_name_is_flagged(signals) -> None:
    [found] = kinds(signals(approved_by="the head"), "official.not_approved")
    assert found.data["reason"] == "unknown"
    assert "'the head'" in found.explanation


# -- links ------------------------------------------------------------------------------------


def test_link_to_an_unapproved_site_is_flagged_with_its_place_in_the_text(signals) -> None:
    text = "Our raffle prize comes from https://www.moorcafe.com/menu, thank you!"
    [found] = signals(text)
    assert found.kind == "official.unapproved_link"
    assert found.evidence(text) == "https://www.moorcafe.com/menu"
    assert found.data["host"] == "moorcafe.com"
    assert "approved: westmoor.northumberland.sch.uk" in found.explanation


def test_bare_domain_in_the_text_is_a_link(signals) -> None:
    text = "Menus at moorcafe.co.uk/menus."
    [found] = signals(text)
    assert found.evidence(text) == "moorcafe.co.uk/menus"
    assert found.data["host"] == "moorcafe.co.uk"


def test_link_to_subdomain_of_approved_site_is_allowed(signals) -> None:
    assert signals("Snow closures: https://news.bbc.co.uk/england/tyne") == []
    assert signals("Term dates at www.northumberland.gov.uk/schools.") == []


def test_link_to_the_schools_own_website_is_allowed(signals) -> None:
    assert signals("Newsletter: https://www.westmoor.northumberland.sch.uk/news/autumn") == []


def test_site_whose_name_only_ends_like_an_approved_one_is_not_approved(signals) -> None:
    found = signals("See notbbc.co.uk and https://bbc.co.uk.example.net/x")
    assert [s.data["host"] for s in found] == ["notbbc.co.uk", "bbc.co.uk.example.net"]


def test_attached_links_are_checked_too(signals) -> None:
    [found] = signals(links=["https://moorcafe.com/raffle", "https://www.gov.uk/school-term"])
    assert found.kind == "official.unapproved_link" and found.start is None
    assert found.data["url"] == "https://moorcafe.com/raffle"


def test_attached_link_that_is_also_in_the_text_is_flagged_once(signals) -> None:
    text = "Raffle details: moorcafe.com/raffle"
    found = signals(text, links=["https://moorcafe.com/raffle"])
    assert len(found) == 1 and found[0].evidence(text) == "moorcafe.com/raffle"


def test_schools_own_page_on_a_social_site_is_allowed_but_not_the_whole_site(signals) -> None:
    assert signals(links=["https://www.facebook.com/WestmoorPrimary/posts/123"]) == []
    [found] = signals(links=["https://www.facebook.com/SomeoneElse"])
    assert found.data["host"] == "facebook.com"


def test_sentence_punctuation_is_not_part_of_a_link(signals) -> None:
    text = "Details (see moorcafe.com)."
    [found] = signals(text)
    assert found.evidence(text) == "moorcafe.com"


def test_words_with_dots_that_are_not_addresses_are_not_links(signals) -> None:
    assert signals("Read report.pdf, e.g. page 2. Doors open 10.30am. Great day.Thanks all") == []


def test_domain_of_an_email_address_is_not_a_link(signals) -> None:
    assert kinds(signals("Email office@westmoor.northumberland.sch.uk or ask.me@moor.com"),
                 "official.unapproved_link") == []


# -- email ------------------------------------------------------------------------------------


def test_personal_email_address_on_an_official_post_is_flagged(signals) -> None:
    text = "Questions? Email megan.doyle85@gmail.com"
    [found] = signals(text)
    assert found.kind == "official.personal_email"
    assert found.evidence(text) == "megan.doyle85@gmail.com"
    assert found.data["host"] == "gmail.com"
    assert "only the school's addresses (at westmoor.northumberland.sch.uk)" in found.explanation


def test_school_email_address_is_allowed(signals) -> None:
    assert signals("Questions? Email office@westmoor.northumberland.sch.uk") == []
    assert signals("Or trips@admin.westmoor.northumberland.sch.uk") == []


def test_personal_email_in_a_mailto_link_is_flagged(signals) -> None:
    [found] = signals(links=["mailto:megan@hotmail.co.uk?subject=Fair"])
    assert found.kind == "official.personal_email" and found.data["email"] == "megan@hotmail.co.uk"


def test_handle_is_not_an_email_address(signals) -> None:
    assert signals("Follow @WestmoorPS for updates") == []


# -- photos -----------------------------------------------------------------------------------


def test_photo_of_children_without_consent_is_flagged(signals) -> None:
    [found] = signals(images=[{"shows_children": True, "description": "sports day"}])
    assert found.kind == "official.photo_without_consent"
    assert found.explanation.startswith(
        "picture 1 is declared to show children but no written consent is recorded for it")
    assert found.data["index"] == 0 and found.start is None


def test_photo_of_children_with_consent_declared_false_says_so(signals) -> None:
    [found] = signals(images=[{"shows_children": True, "consent": False}])
    assert "consent is declared as not given" in found.explanation


def test_photo_of_children_with_written_consent_is_allowed(signals) -> None:
    assert signals(images=[{"shows_children": True, "consent": True}]) == []


def test_photo_described_as_showing_pupils_without_consent_is_flagged(signals) -> None:
    [found] = signals(images=[{"description": "Year 6 pupils at Kielder"}])
    assert found.kind == "official.photo_without_consent" and found.score < 1.0


def test_photo_declared_not_to_show_children_is_allowed(signals) -> None:
    assert signals(images=[{"shows_children": False, "description": "the new library"}]) == []


def test_picture_with_a_pupil_named_who_has_no_photo_consent_is_flagged(signals) -> None:
    text = "Well done Alfie Dixon, our reader of the week!"
    [found] = signals(text, images=[{"shows_children": True, "consent": True}])
    assert found.evidence(text) == "Alfie Dixon"
    assert found.data["person_id"] == "p-dixon" and found.score == 1.0
    assert "Alfie Dixon, who has no photo consent on record" in found.explanation


def test_pupil_without_consent_named_by_first_name_is_flagged(signals) -> None:
    text = "Well done to Poppy for her reading!"
    [found] = signals(text, images=[{"consent": True}])
    assert found.evidence(text) == "Poppy" and found.data["person_id"] == "p-hall"
    assert "who may be Poppy Hall" in found.explanation


def test_pupil_with_photo_consent_named_with_a_picture_is_allowed(signals) -> None:
    assert signals("Well done Mia Thompson and Jayden!", images=[{"consent": True}]) == []


def test_pupil_without_consent_named_without_a_picture_is_not_a_photo_matter(signals) -> None:
    assert signals("Well done Alfie Dixon!") == []


def test_pupil_named_with_a_picture_declared_not_to_show_children_is_allowed(signals) -> None:
    assert signals("Alfie Dixon's painting won!", images=[{"shows_children": False}]) == []


def test_lower_case_word_that_is_a_pupils_first_name_is_not_a_name(signals) -> None:
    assert signals("Our poppy display for Remembrance.", images=[{"consent": True}]) == []


def test_pupil_named_twice_is_flagged_once(signals) -> None:
    text = "Alfie Dixon won! Alfie's mum was so proud."
    found = signals(text, images=[{"consent": True}])
    assert len(found) == 1


def test_account_that_lists_no_authorised_posters_lets_no_one_post(school: School, doc) -> None:
    extra = OfficialAccount(id="yt", platform="youtube", handle="@WestmoorTV")
    detector = OfficialAccountDetector(school.model_copy(
        update={"official_accounts": (*school.official_accounts, extra)}))
    [found] = kinds(detector.detect(doc("hello", **GOOD, account_id="yt")),
                    "official.unauthorised_poster")
    assert "(authorised: no one)" in found.explanation
