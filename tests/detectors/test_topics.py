"""The topics detector: what a post is about, and the near misses that are about something else.

Each signal kind has at least one post that fires it and one near miss that must not. Posts are
written as Westmoor Primary's staff might write them (see tests/conftest.py for the personas).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from postguard.engine.detectors.topics import (
    EMITS,
    LexiconError,
    TopicsDetector,
    anchors_of,
    compile_lexicon,
    distinctive_words,
    load_lexicon,
    school_names,
)
from postguard.engine.registry import detectors
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import School

type Kinds = Callable[..., set[str]]
type Signals = Callable[..., list[Signal]]


@pytest.fixture(scope="module")
def detector(school: School) -> TopicsDetector:
    return TopicsDetector(school)


@pytest.fixture(scope="module")
def signals(detector: TopicsDetector, doc: Callable[..., Document]) -> Signals:
    def run(text: str, **fields: object) -> list[Signal]:
        return detector.detect(doc(text, **fields))

    return run


@pytest.fixture(scope="module")
def kinds(signals: Signals) -> Kinds:
    def run(text: str, **fields: object) -> set[str]:
        return {signal.kind for signal in signals(text, **fields)}

    return run


def evidence_of(signals: Signals, text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in signals(text) if s.kind == kind
            and s.start is not None and s.end is not None]


# --- the detector as a whole ---------------------------------------------------------------------

def test_topics_is_registered_and_emits_every_topic_and_safeguarding_kind() -> None:
    cls = detectors()["topics"]
    assert cls is TopicsDetector
    expected = {k for k in SIGNAL_KINDS if k.startswith(("topic.", "safeguarding."))}
    assert set(cls.emits) == expected


def test_every_kind_but_announced_events_has_patterns_in_the_lexicon() -> None:
    lexicon = load_lexicon()["kinds"]
    for kind in EMITS:
        if kind == "topic.event_announced":
            continue  # its patterns come from the school
        assert lexicon[kind]["patterns"], kind


def test_signals_slice_their_evidence_and_say_why(signals: Signals) -> None:
    text = ("In the staff meeting today SLT decided there will be redundancies. The school is a "
            "bad employer and the workload is insane. Views my own.")
    found = signals(text)
    assert {s.kind for s in found} >= {"topic.internal", "topic.criticism", "topic.grievance",
                                       "topic.disclaimer"}
    for signal in found:
        assert signal.detector == "topics"
        assert signal.start is not None and signal.end is not None
        evidence = text[signal.start:signal.end]
        assert evidence.strip() == evidence and evidence
        assert 0.5 <= signal.score <= 0.95
        assert signal.data["reason"]
        assert f"'{evidence}'" in signal.explanation


def test_staff_discipline_explanation_reads_for_a_head_teacher(signals: Signals) -> None:
    text = "Liam Brennan has been suspended pending an investigation, keep it to yourselves"
    [signal] = [s for s in signals(text) if s.kind == "topic.staff_discipline"]
    assert text[signal.start:signal.end] == "suspended pending an investigation"
    assert signal.explanation.startswith("'suspended pending an investigation' is about staff")
    assert "confidential" in signal.explanation
    assert signal.score >= 0.9


def test_an_innocent_post_gives_no_topic_signals(kinds: Kinds) -> None:
    assert kinds("Crisp autumn walk along the Wansbeck this morning. The colours are unreal.") \
        == set()


def test_empty_text_gives_no_signals(kinds: Kinds) -> None:
    assert kinds("") == set()


def test_evidence_never_starts_or_ends_with_spaces(signals: Signals) -> None:
    text = "Honestly   proud of our Year 6 today"
    [evidence] = evidence_of(signals, text, "topic.praise")
    assert evidence == "proud of our Year 6"


def test_a_match_inside_a_longer_word_does_not_count(kinds: Kinds) -> None:
    assert "topic.nightlife" not in kinds("Reading about the Chenhungover dynasty")


def test_offsets_hold_when_lower_casing_changes_the_texts_length(signals: Signals) -> None:
    text = "İstanbul trip cancelled. The school is a bad employer"
    assert len(text.lower()) != len(text)
    assert evidence_of(signals, text, "topic.criticism") == ["The school is a bad employer"]


def test_case_matters_only_where_the_lexicon_says_so(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("THE SCHOOL IS A BAD EMPLOYER")
    assert "topic.politics" in kinds("VOTE LABOUR")
    assert "topic.politics" not in kinds("she went into labour at midnight")


def test_typical_posts_are_checked_quickly(detector: TopicsDetector,
                                           doc: Callable[..., Document]) -> None:
    """A loose guard (the benchmark measures ~0.1 ms a post): 300 posts well under a second."""
    texts = [
        "So proud of our Year 6 today, they sang their hearts out at the Harvest Festival!",
        "Absolutely shattered after parents' evening, fifteen appointments back to back. "
        "Bring on the weekend and a glass of wine.",
        "Anyone got a good recipe for flapjack that doesn't crumble? Asking for the PTA bake "
        "sale on Friday. Also, has anyone seen my reading glasses?",
    ] * 100
    documents = [doc(text) for text in texts]
    started = time.perf_counter()
    for document in documents:
        detector.detect(document)
    assert time.perf_counter() - started < 1.5


def test_the_keyword_gate_never_hides_a_match(detector: TopicsDetector,
                                              doc: Callable[..., Document]) -> None:
    """Running every kind's alternation on every post finds nothing the gated run misses."""
    posts = [
        "Absolutely smashed after the staff do", "Vote Labour!", "Our MP is useless",
        "Don't tell your mum", "He told me he wants to die", "We at Westmoor are proud",
        "Apparently Mr B is off sick with stress", "© 2024 Jane Smith", "RT ≠ endorsement",
        "the inspectors told us we were good", "1488", "Where does Jayden live?",
        "pic from google", "Year 6 trip to Kielder", "She was drunk at parents' evening",
    ]
    for text in posts:
        document = doc(text)
        gated = {entry.id for entry in detector.candidates(document)}
        for kind in detector.kinds:
            for entry in kind.entries:
                if entry.pattern.search(text if entry.cased else text.lower()):
                    assert entry.id in gated, (text, entry.id)


def test_anchors_are_literal_words_a_match_must_contain() -> None:
    anchors = anchors_of(r"(?<!\w)suspended\s+pending\s+investigation(?!\w)")
    assert anchors is not None and len(anchors) == 1
    assert anchors <= {"suspended", "pending", "investigation"}
    assert anchors_of(r"(?:hen|stag)\s+do") == {"hen", "stag"}
    assert anchors_of(r"don['’]?t") == {"dont", "don't", "don’t"}
    assert anchors_of(r"\w+") is None


def test_a_lexicon_with_a_bad_pattern_is_rejected() -> None:
    data = {"kinds": {"topic.gossip": {"patterns": [{"regex": "(unclosed", "reason": "x"}]}}}
    with pytest.raises(LexiconError, match=r"topic\.gossip pattern 1"):
        compile_lexicon(data, {})


def test_a_lexicon_pattern_without_a_reason_is_rejected() -> None:
    data = {"kinds": {"topic.gossip": {"patterns": [{"phrase": "rumour has it"}]}}}
    with pytest.raises(LexiconError, match="reason"):
        compile_lexicon(data, {})


def test_a_lexicon_kind_outside_topics_is_rejected() -> None:
    data = {"kinds": {"person.pupil": {"patterns": [{"phrase": "x", "reason": "y"}]}}}
    with pytest.raises(LexiconError, match="not a topic"):
        compile_lexicon(data, {})


def test_a_school_with_no_events_aliases_or_people_still_works(doc: Callable[..., Document]
                                                               ) -> None:
    bare = School(name="Hillside Academy", policy={"pack": "northumberland"})
    detector = TopicsDetector(bare)
    found = {s.kind for s in detector.detect(doc("We at Hillside are proud to announce"))}
    assert "topic.speaking_for_school" in found
    assert "topic.event_announced" not in found


def test_the_school_is_known_by_its_bare_place_name(school: School) -> None:
    names = school_names(school)
    assert "Westmoor" in names and "Westmoor Primary School" in names


# --- confidential: staff discipline ------------------------------------------------------------

def test_suspended_pending_investigation_is_staff_discipline(kinds: Kinds) -> None:
    assert "topic.staff_discipline" in kinds("Mr B was suspended pending investigation today")


def test_off_sick_with_stress_is_staff_discipline(kinds: Kinds) -> None:
    assert "topic.staff_discipline" in kinds(
        "Poor Sarah's been off sick with stress since half term, no wonder with her class")


def test_capability_procedure_is_staff_discipline(kinds: Kinds) -> None:
    assert "topic.staff_discipline" in kinds(
        "Heard they're putting him on a capability procedure after that observation")


def test_disciplinary_hearing_is_staff_discipline(kinds: Kinds) -> None:
    assert "topic.staff_discipline" in kinds("Her disciplinary hearing is on Friday")


def test_being_off_sick_yourself_is_not_staff_discipline(kinds: Kinds) -> None:
    assert "topic.staff_discipline" not in kinds(
        "I've been off sick all week with flu, back on Monday hopefully")


def test_a_match_suspended_for_rain_is_not_staff_discipline(kinds: Kinds) -> None:
    assert "topic.staff_discipline" not in kinds("Our match was suspended because of the rain")


# --- confidential: inspection --------------------------------------------------------------------

def test_our_ofsted_result_is_inspection(kinds: Kinds) -> None:
    assert "topic.inspection" in kinds(
        "Can't believe our Ofsted result, we got 'requires improvement' after all that work")


def test_we_got_requires_improvement_is_inspection(signals: Signals) -> None:
    text = "Gutted. We got requires improvement."
    assert evidence_of(signals, text, "topic.inspection") == ["got requires improvement"]


def test_the_inspectors_told_us_is_inspection(kinds: Kinds) -> None:
    assert "topic.inspection" in kinds(
        "The inspectors told us we'd be good in every area but we can't say anything yet")


def test_sats_results_are_inspection(kinds: Kinds) -> None:
    assert "topic.inspection" in kinds("Our SATs results are in and we smashed it!")


def test_an_ofsted_style_mock_inspection_is_not_inspection(kinds: Kinds) -> None:
    assert "topic.inspection" not in kinds(
        "Ofsted-style mock inspection with the trust today, absolutely exhausting")


def test_getting_good_news_is_not_an_inspection_grade(kinds: Kinds) -> None:
    assert "topic.inspection" not in kinds("Got good news today, my sister is engaged!")


# --- confidential: safeguarding cases -----------------------------------------------------------

def test_a_cp_case_is_a_safeguarding_case(kinds: Kinds) -> None:
    assert "topic.safeguarding_case" in kinds(
        "Another CP case this week, social services are involved with two of my families now")


def test_ringing_the_lado_is_a_safeguarding_case(kinds: Kinds) -> None:
    assert "topic.safeguarding_case" in kinds("Had to ring the LADO this afternoon")


def test_referred_to_social_care_is_a_safeguarding_case(kinds: Kinds) -> None:
    assert "topic.safeguarding_case" in kinds(
        "Referred him to social care this morning after what he told me")


def test_child_protection_training_is_not_a_safeguarding_case(kinds: Kinds) -> None:
    assert "topic.safeguarding_case" not in kinds(
        "Great child protection training from the county today, a really useful refresher")


# --- confidential: special educational needs ---------------------------------------------------

def test_a_pupils_ehcp_is_sen(kinds: Kinds) -> None:
    assert "topic.sen" in kinds(
        "One of my Year 3s finally got his EHCP through after two years of fighting")


def test_a_named_pupil_with_adhd_is_sen(signals: Signals) -> None:
    text = "Jayden has ADHD and has been all over the place this week"
    assert evidence_of(signals, text, "topic.sen") == ["has ADHD"]


def test_on_the_sen_register_is_sen(kinds: Kinds) -> None:
    assert "topic.sen" in kinds("He's on the SEN register now so hopefully he'll get support")


def test_my_own_sons_adhd_is_not_a_pupils_sen(kinds: Kinds) -> None:
    assert "topic.sen" not in kinds("My son has ADHD and his teachers have been brilliant")


def test_a_book_about_autism_is_not_sen(kinds: Kinds) -> None:
    assert "topic.sen" not in kinds("Reading a fascinating book about autism this summer")


# --- confidential: exclusion --------------------------------------------------------------------

def test_permanently_excluded_is_exclusion(kinds: Kinds) -> None:
    assert "topic.exclusion" in kinds("Year 10 lad permanently excluded today, awful business")


def test_suspended_for_fighting_is_exclusion(kinds: Kinds) -> None:
    found = kinds("Two of my class were suspended for fighting at lunch")
    assert "topic.exclusion" in found
    assert "topic.staff_discipline" not in found


def test_a_pupil_who_got_excluded_is_exclusion(kinds: Kinds) -> None:
    assert "topic.exclusion" in kinds("That Year 6 boy got excluded again today")


def test_excluded_from_the_team_photo_is_not_exclusion(kinds: Kinds) -> None:
    assert "topic.exclusion" not in kinds("Gutted to be excluded from the team photo again 😂")


def test_social_exclusion_is_not_a_pupil_exclusion(kinds: Kinds) -> None:
    assert "topic.exclusion" not in kinds(
        "Fascinating talk on social exclusion and children's reading")


# --- confidential: internal business ---------------------------------------------------------

def test_news_from_the_staff_meeting_is_internal(kinds: Kinds) -> None:
    assert "topic.internal" in kinds(
        "In the staff meeting today we heard there'll be redundancies among the TAs")


def test_an_slt_decision_is_internal(kinds: Kinds) -> None:
    assert "topic.internal" in kinds("SLT have decided to scrap afternoon break from January")


def test_an_internal_email_about_budget_cuts_is_internal(kinds: Kinds) -> None:
    assert "topic.internal" in kinds("Internal email says budget cuts are coming, brilliant")


def test_drinks_after_the_staff_do_are_not_internal(kinds: Kinds) -> None:
    found = kinds("Absolutely smashed after the staff do, can't remember getting home")
    assert "topic.internal" not in found
    assert "topic.nightlife" in found


# --- disrepute: criticism ------------------------------------------------------------------------

def test_the_school_is_a_bad_employer_is_criticism(signals: Signals) -> None:
    text = "The school is a bad employer"
    assert evidence_of(signals, text, "topic.criticism") == ["The school is a bad employer"]


def test_had_a_bad_day_at_work_is_not_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" not in kinds("Had a bad day at work. Home, cup of tea, early night.")


def test_slt_havent_a_clue_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("SLT haven't a clue what goes on in classrooms")


def test_worst_head_ive_ever_worked_for_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Worst head I've ever worked for, counting down to July")


def test_this_place_is_a_joke_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Three cover lessons in one day. This place is a joke.")


def test_the_parents_here_are_feral_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Honestly the parents here are feral")


def test_naming_the_school_as_a_joke_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Westmoor is an absolute shambles this term")


def test_a_rude_parent_at_pick_up_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds(
        "Friends only: that parent in reception this morning was so rude again, what a day.")


def test_a_joke_of_a_referee_is_not_criticism_of_the_school(kinds: Kinds) -> None:
    assert "topic.criticism" not in kinds("What a joke that referee was today, Newcastle robbed")


# --- disrepute: praise ---------------------------------------------------------------------------

def test_so_proud_of_our_year_6_is_praise(kinds: Kinds) -> None:
    assert "topic.praise" in kinds("So proud of our Year 6 today, they sang their hearts out")


def test_a_brilliant_christmas_fair_is_praise(kinds: Kinds) -> None:
    assert "topic.praise" in kinds("Brilliant Christmas Fair today, thanks to all who came")


def test_pride_in_your_own_son_is_not_praise_of_the_school(kinds: Kinds) -> None:
    assert "topic.praise" not in kinds("So proud of my son passing his driving test!")


def test_a_great_penalty_is_not_praise_of_the_school(kinds: Kinds) -> None:
    assert "topic.praise" not in kinds("Great penalty from Isak, what a finish")


# --- disrepute: gossip ---------------------------------------------------------------------------

def test_apparently_about_a_colleague_is_gossip(kinds: Kinds) -> None:
    assert "topic.gossip" in kinds("Apparently Mr B is leaving at Christmas")


def test_rumour_has_it_is_gossip(kinds: Kinds) -> None:
    assert "topic.gossip" in kinds("Rumour has it Mr B and one of the TAs are seeing each other")


def test_guess_whos_having_an_affair_is_gossip(kinds: Kinds) -> None:
    assert "topic.gossip" in kinds("Guess who's having an affair 👀")


def test_i_heard_that_is_gossip(kinds: Kinds) -> None:
    assert "topic.gossip" in kinds("I heard that the deputy is going for a headship")


def test_apparently_about_the_weather_is_not_gossip(kinds: Kinds) -> None:
    assert "topic.gossip" not in kinds("Apparently it's going to snow tomorrow!")


def test_hearing_a_podcast_is_not_gossip(kinds: Kinds) -> None:
    assert "topic.gossip" not in kinds("Heard a great podcast on the way to work")


# --- defamation: allegations ---------------------------------------------------------------------

def test_stealing_from_the_school_is_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" in kinds("Tom is stealing from the school, everyone knows it")


def test_fiddling_the_pta_funds_is_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" in kinds(
        "Everyone knows Bob Charlton has been fiddling the PTA funds for years")


def test_drunk_at_parents_evening_is_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" in kinds("She was drunk at parents' evening, disgraceful")


def test_fiddling_expenses_is_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" in kinds("He fiddles his expenses every single month")


def test_calling_the_head_a_liar_is_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" in kinds("Our head is a liar and a fraud")


def test_fiddling_with_the_smartboard_is_not_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" not in kinds("I've been fiddling with the new smartboard all day")


def test_a_cat_that_is_a_thief_is_not_an_allegation(kinds: Kinds) -> None:
    assert "topic.allegation" not in kinds("My cat is a thief, stole my sandwich again")


# --- work identity: views, disclaimers, speaking for the school ----------------------------

def test_as_a_teacher_i_think_is_a_work_view(kinds: Kinds) -> None:
    assert "topic.work_view" in kinds("As a teacher, I think SATs do more harm than good")


def test_sats_doing_harm_is_a_work_view(kinds: Kinds) -> None:
    assert "topic.work_view" in kinds(
        "Honestly think SATs do more harm than good for ten-year-olds")


def test_education_in_this_country_is_broken_is_a_work_view(kinds: Kinds) -> None:
    assert "topic.work_view" in kinds(
        "Yet another pointless marking policy. Education in this country is broken.")


def test_reform_of_the_curriculum_is_a_work_view(kinds: Kinds) -> None:
    assert "topic.work_view" in kinds("Reform of the curriculum is long overdue")


def test_pineapple_on_pizza_is_not_a_work_view(kinds: Kinds) -> None:
    assert "topic.work_view" not in kinds(
        "Honestly think pineapple does more harm than good on a pizza")


def test_views_my_own_is_a_disclaimer(kinds: Kinds) -> None:
    assert "topic.disclaimer" in kinds("Year 6 teacher. Views my own.", action="profile")


def test_all_views_are_mine_is_a_disclaimer(kinds: Kinds) -> None:
    assert "topic.disclaimer" in kinds("All views are mine and not my employer's")


def test_opinions_are_my_own_is_a_disclaimer(kinds: Kinds) -> None:
    assert "topic.disclaimer" in kinds("Opinions are my own")


def test_my_own_classroom_is_not_a_disclaimer(kinds: Kinds) -> None:
    assert "topic.disclaimer" not in kinds("Finally got my own classroom! My views on it: love it")


def test_on_behalf_of_the_school_is_speaking_for_the_school(kinds: Kinds) -> None:
    assert "topic.speaking_for_school" in kinds(
        "On behalf of the school, thank you to all our families for your support")


def test_we_at_westmoor_is_speaking_for_the_school(kinds: Kinds) -> None:
    assert "topic.speaking_for_school" in kinds("We at Westmoor are thrilled with our new library")


def test_the_school_has_decided_is_speaking_for_the_school(kinds: Kinds) -> None:
    assert "topic.speaking_for_school" in kinds("The school has decided to close early on Friday")


def test_an_official_statement_is_speaking_for_the_school(kinds: Kinds) -> None:
    assert "topic.speaking_for_school" in kinds(
        "Official statement from Westmoor Primary about yesterday's incident")


def test_announcing_your_engagement_is_not_speaking_for_the_school(kinds: Kinds) -> None:
    assert "topic.speaking_for_school" not in kinds("We're delighted to announce our engagement!")


# --- photos at work --------------------------------------------------------------------------

def test_a_pic_from_sports_day_is_a_work_photo(kinds: Kinds) -> None:
    assert "topic.work_photo" in kinds("Pic from sports day, what a scorcher ☀️")


def test_a_photo_of_my_class_is_a_work_photo(kinds: Kinds) -> None:
    assert "topic.work_photo" in kinds("Photo of my class with their Viking shields")


def test_snapped_at_work_is_a_work_photo(kinds: Kinds) -> None:
    assert "topic.work_photo" in kinds("Snapped at work today 📸")


def test_a_selfie_in_the_staffroom_is_a_work_photo(kinds: Kinds) -> None:
    assert "topic.work_photo" in kinds("Selfie in the staffroom before parents' evening")


def test_a_photo_of_my_dinner_is_not_a_work_photo(kinds: Kinds) -> None:
    assert "topic.work_photo" not in kinds("Photo of my dinner, proper Sunday roast")


# --- nightlife -------------------------------------------------------------------------------

def test_a_hen_do_is_nightlife(kinds: Kinds) -> None:
    assert "topic.nightlife" in kinds("Off to Newcastle for Sarah's hen do this weekend!")


def test_absolutely_wasted_is_nightlife(kinds: Kinds) -> None:
    assert "topic.nightlife" in kinds("Absolutely wasted last night, never again")


def test_hungover_is_nightlife(kinds: Kinds) -> None:
    assert "topic.nightlife" in kinds("So hungover, why did I do shots")


def test_on_the_lash_is_nightlife(kinds: Kinds) -> None:
    assert "topic.nightlife" in kinds("On the lash with the girls tonight 🍸")


def test_smashing_a_10k_is_not_nightlife(kinds: Kinds) -> None:
    assert "topic.nightlife" not in kinds("Absolutely smashed my 10k run this morning")


def test_wasting_an_evening_on_marking_is_not_nightlife(kinds: Kinds) -> None:
    assert "topic.nightlife" not in kinds(
        "Wasted my whole evening on marking. Completely wasted it.")


# --- copyright -------------------------------------------------------------------------------

def test_a_pic_from_google_is_copied_content(kinds: Kinds) -> None:
    assert "topic.copied_content" in kinds("Pic from Google but it sums up Monday perfectly")


def test_found_this_online_is_copied_content(kinds: Kinds) -> None:
    assert "topic.copied_content" in kinds("Found this online, so true!")


def test_not_my_photo_is_copied_content(kinds: Kinds) -> None:
    assert "topic.copied_content" in kinds("Not my photo, but look at this sunset")


def test_love_this_cartoon_had_to_share_is_copied_content(kinds: Kinds) -> None:
    assert "topic.copied_content" in kinds("Love this cartoon, had to share it!")


def test_an_old_photo_of_my_own_is_not_copied_content(kinds: Kinds) -> None:
    assert "topic.copied_content" not in kinds(
        "Found this old photo of me and my brother from 1992")


def test_a_photo_credit_is_attribution(kinds: Kinds) -> None:
    assert "topic.attribution" in kinds("Photo credit: @NorthumberlandParks")


def test_shared_with_permission_is_attribution(kinds: Kinds) -> None:
    assert "topic.attribution" in kinds("Lovely poem, shared with permission from the author")


def test_via_a_handle_is_attribution(kinds: Kinds) -> None:
    assert "topic.attribution" in kinds("Brilliant reading list via @TeacherToolkit")


def test_a_copyright_sign_is_attribution(kinds: Kinds) -> None:
    assert "topic.attribution" in kinds("Illustration © Jane Smith 2024")


def test_credit_where_its_due_is_not_attribution(kinds: Kinds) -> None:
    assert "topic.attribution" not in kinds("Credit where it's due, the kids were brilliant")


# --- announced events and groups ----------------------------------------------------------

def test_the_christmas_fair_is_an_announced_event(signals: Signals) -> None:
    text = "Can't wait for the christmas fair on Saturday!"
    [signal] = [s for s in signals(text) if s.kind == "topic.event_announced"]
    assert text[signal.start:signal.end] == "christmas fair"
    assert "Christmas Fair" in signal.data["reason"]


def test_kielder_stands_for_the_announced_year_6_trip(kinds: Kinds) -> None:
    assert "topic.event_announced" in kinds("Year 6 had a brilliant time at Kielder!")


def test_only_distinctive_words_of_an_event_stand_for_it() -> None:
    assert distinctive_words("Year 6 trip to Kielder") == ["Kielder"]
    assert distinctive_words("Christmas Fair") == []


def test_a_nativity_at_church_is_not_the_announced_event(kinds: Kinds) -> None:
    assert "topic.event_announced" not in kinds("Watching my niece in the nativity at church")


def test_a_private_linkedin_group_is_a_private_group(kinds: Kinds) -> None:
    assert "topic.private_group" in kinds(
        "In our private LinkedIn group for primary heads: this phonics scheme is rubbish")


def test_a_closed_group_is_a_private_group(kinds: Kinds) -> None:
    assert "topic.private_group" in kinds(
        "Posting this in the closed group for Northumberland SENCOs")


def test_a_members_only_forum_is_a_private_group(kinds: Kinds) -> None:
    assert "topic.private_group" in kinds(
        "There's a members-only forum for school business managers")


def test_private_piano_lessons_are_not_a_private_group(kinds: Kinds) -> None:
    assert "topic.private_group" not in kinds("Private piano lessons available, DM me")


def test_joining_britain_first_is_an_extremist_group(kinds: Kinds) -> None:
    assert "topic.extremist_group" in kinds("Just joined Britain First, about time")


def test_an_edl_march_is_an_extremist_group(kinds: Kinds) -> None:
    assert "topic.extremist_group" in kinds("Great turnout at the EDL march in town today")


def test_a_counter_protest_against_britain_first_is_not_joining_it(kinds: Kinds) -> None:
    assert "topic.extremist_group" not in kinds(
        "Proud to have joined the counter-protest against Britain First today")


def test_personal_views_and_life_are_a_personal_matter(kinds: Kinds) -> None:
    assert "topic.personal_matter" in kinds("My weekend was spent painting the spare room")
    assert "topic.personal_matter" in kinds("In my opinion pineapple belongs on pizza")
    assert "topic.personal_matter" in kinds("My husband surprised me with flowers")


def test_my_class_is_not_a_personal_matter(kinds: Kinds) -> None:
    assert "topic.personal_matter" not in kinds("My class were brilliant in assembly today")


# --- grievance and whistleblowing -------------------------------------------------------------

def test_pay_and_workload_are_a_grievance(kinds: Kinds) -> None:
    assert "topic.grievance" in kinds("Still no pay rise and the workload is insane")


def test_taking_out_a_grievance_is_a_grievance(kinds: Kinds) -> None:
    assert "topic.grievance" in kinds("I'm taking out a grievance against my line manager")


def test_management_not_listening_is_a_grievance(kinds: Kinds) -> None:
    assert "topic.grievance" in kinds("Management don't listen to a word we say")


def test_underpaid_and_overworked_is_a_grievance(kinds: Kinds) -> None:
    assert "topic.grievance" in kinds("Underpaid and overworked, as usual")


def test_pay_day_is_not_a_grievance(kinds: Kinds) -> None:
    assert "topic.grievance" not in kinds("Pay day tomorrow, takeaway is on me!")


def test_whistleblowing_in_public_is_whistleblowing(kinds: Kinds) -> None:
    assert "topic.whistleblowing" in kinds("Time to whistleblow on what really goes on here")


def test_a_cover_up_the_public_deserve_to_know_about_is_whistleblowing(kinds: Kinds) -> None:
    assert "topic.whistleblowing" in kinds("It's a cover-up and the public deserve to know")


def test_theyre_hiding_the_figures_is_whistleblowing(kinds: Kinds) -> None:
    assert "topic.whistleblowing" in kinds("They're hiding the real attendance figures")


def test_going_public_about_the_school_is_whistleblowing(kinds: Kinds) -> None:
    found = kinds("Going public: my school is fiddling its attendance figures and the head "
                  "knows all about it.")
    assert {"topic.whistleblowing", "topic.allegation"} <= found


def test_a_referee_blowing_the_whistle_is_not_whistleblowing(kinds: Kinds) -> None:
    assert "topic.whistleblowing" not in kinds(
        "The ref was blowing the whistle for everything at the Year 5 match")


# --- politics -----------------------------------------------------------------------------

def test_vote_labour_is_party_politics(kinds: Kinds) -> None:
    assert "topic.politics" in kinds("Vote Labour on Thursday!")


def test_the_tories_are_party_politics(kinds: Kinds) -> None:
    assert "topic.politics" in kinds("The Tories have wrecked our schools")


def test_canvassing_for_the_green_party_is_party_politics(kinds: Kinds) -> None:
    assert "topic.politics" in kinds("Out canvassing for the Green Party in Morpeth tonight")


def test_a_reform_uk_candidate_is_party_politics(kinds: Kinds) -> None:
    assert "topic.politics" in kinds("Reform UK candidate came to the door tonight")


def test_a_polite_political_opinion_is_still_politics(kinds: Kinds) -> None:
    assert "topic.politics" in kinds(
        "I respect everyone's choice, but I'll be voting Lib Dem at the general election")


def test_labour_ward_is_not_party_politics(kinds: Kinds) -> None:
    assert "topic.politics" not in kinds(
        "Twelve hours on the labour ward with my sister. Labour ward staff are heroes!")


def test_green_party_hats_are_not_party_politics(kinds: Kinds) -> None:
    assert "topic.politics" not in kinds("Green party hats for the class Christmas party 🎉")


def test_reform_of_the_curriculum_is_not_reform_uk(kinds: Kinds) -> None:
    assert "topic.politics" not in kinds("Reform of the curriculum is long overdue")


def test_a_school_council_vote_is_not_politics(kinds: Kinds) -> None:
    found = kinds("The school council voted for a new playground, so proud of them")
    assert "topic.politics" not in found
    assert "topic.administration" not in found


def test_a_conservative_estimate_is_not_politics(kinds: Kinds) -> None:
    assert "topic.politics" not in kinds("Conservative estimate: 300 books marked this week")


def test_this_government_is_the_sitting_administration(kinds: Kinds) -> None:
    assert "topic.administration" in kinds("This government has abandoned schools")


def test_the_chancellors_budget_is_the_sitting_administration(kinds: Kinds) -> None:
    assert "topic.administration" in kinds("The Chancellor's budget did nothing for teachers")


def test_the_education_secretary_is_the_sitting_administration(kinds: Kinds) -> None:
    assert "topic.administration" in kinds("The Education Secretary clearly has no idea")


def test_the_council_leader_is_the_sitting_administration(kinds: Kinds) -> None:
    assert "topic.administration" in kinds("The council leader should be ashamed of these cuts")


def test_a_filing_cabinet_is_not_the_administration(kinds: Kinds) -> None:
    assert "topic.administration" not in kinds("Sorted out the filing cabinet in my classroom")


# --- safeguarding ---------------------------------------------------------------------------

def test_bruises_and_scared_to_go_home_is_a_child_at_risk(signals: Signals) -> None:
    text = "Came in with bruises again and said he's scared to go home"
    assert evidence_of(signals, text, "safeguarding.child_at_risk") == [
        "Came in with bruises", "scared to go home"]


def test_not_eaten_since_friday_is_a_child_at_risk(kinds: Kinds) -> None:
    assert "safeguarding.child_at_risk" in kinds(
        "He hasn't eaten since Friday, got him toast from the staffroom")


def test_dad_hits_her_is_a_child_at_risk(kinds: Kinds) -> None:
    assert "safeguarding.child_at_risk" in kinds("She told me her dad hits her when he's drunk")


def test_a_neglected_garden_is_not_a_child_at_risk(kinds: Kinds) -> None:
    assert "safeguarding.child_at_risk" not in kinds("I've neglected my garden all summer")


def test_coming_in_with_a_christmas_jumper_is_not_a_child_at_risk(kinds: Kinds) -> None:
    assert "safeguarding.child_at_risk" not in kinds("Came in with a Christmas jumper on today")


def test_cutting_herself_is_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" in kinds("One of my Year 9s has been cutting herself")


def test_wanting_to_die_is_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" in kinds("He told me he wants to die")


def test_suicidal_is_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" in kinds("Feeling suicidal again tonight")


def test_i_could_kill_for_a_coffee_is_not_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" not in kinds("I could kill for a coffee right now")


def test_this_heat_is_killing_me_is_not_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" not in kinds("This heat is killing me")


def test_dying_of_embarrassment_is_not_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" not in kinds("I want to die of embarrassment, I called him dad")


def test_career_suicide_is_not_self_harm(kinds: Kinds) -> None:
    assert "safeguarding.self_harm" not in kinds("Turning down that headship was career suicide")


def test_where_does_a_pupil_live_is_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" in kinds("Where does Jayden Robson live?")


def test_what_time_does_she_finish_school_is_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" in kinds("What time does Mia finish school?")


def test_which_school_a_child_goes_to_is_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" in kinds("Anyone know which school Alfie Dixon goes to?")


def test_looking_for_my_grandson_is_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" in kinds("Looking for my grandson, he's at Westmoor")


def test_someone_asking_where_a_pupil_lives_is_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" in kinds(
        "Someone in the village group keeps asking where Jayden Robson lives and what time he "
        "walks home.")


def test_where_does_the_time_go_is_not_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" not in kinds("Where does the time go? Half term already")


def test_looking_for_my_sons_pe_kit_is_not_seeking_a_child(kinds: Kinds) -> None:
    assert "safeguarding.seeking_child" not in kinds("Looking for my son's PE kit, seen it?")


def test_our_little_secret_is_grooming(kinds: Kinds) -> None:
    assert "safeguarding.grooming" in kinds("This is our little secret ok?", action="message")


def test_dont_tell_your_mum_is_grooming(kinds: Kinds) -> None:
    assert "safeguarding.grooming" in kinds(
        "Don't tell your mum, but I've got a little present for you. Meet me by the back gate "
        "after school tomorrow?", action="message")


def test_gifts_and_meeting_alone_are_grooming(kinds: Kinds) -> None:
    assert "safeguarding.grooming" in kinds("I'll buy you anything you want if you meet me alone")


def test_secret_santa_is_not_grooming(kinds: Kinds) -> None:
    assert "safeguarding.grooming" not in kinds("Our secret santa budget is £10 this year")


def test_a_secret_ingredient_is_not_grooming(kinds: Kinds) -> None:
    assert "safeguarding.grooming" not in kinds("Our little secret ingredient is cinnamon")


# --- mentions that are not disclosures, and criticism of named people ---------------------------


def test_a_long_staff_meeting_is_not_internal_business(signals: Signals) -> None:
    found = [s for s in signals("Long staff meeting tonight, glad it's over")
             if s.kind == "topic.internal"]
    assert all(s.score < 0.5 for s in found)


def test_what_the_head_announced_in_a_staff_meeting_is_internal_business(kinds: Kinds) -> None:
    assert "topic.internal" in kinds(
        "In the staff meeting today the head told us there will be redundancies")


def test_an_inspection_report_already_on_the_website_is_not_confidential(kinds: Kinds) -> None:
    assert "topic.inspection" not in kinds(
        "Our Ofsted report is now on the school website, proud of everyone.")


def test_what_ofsted_told_us_before_the_report_is_confidential(kinds: Kinds) -> None:
    assert "topic.inspection" in kinds("Ofsted told us we're Good, report out next month")


def test_calling_a_named_parent_the_most_annoying_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Karen Robson is the most annoying parent ever")


def test_calling_a_named_pupil_a_nightmare_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Jayden Robson was a nightmare in class today")


def test_deriding_the_heads_new_policy_is_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" in kinds("Anyone else think the head's new uniform policy is bonkers?")


def test_praising_a_named_pupil_is_not_criticism(kinds: Kinds) -> None:
    assert "topic.criticism" not in kinds("Jayden Robson was a superstar in class today")
