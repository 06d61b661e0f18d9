"""The language detector: swearing, insults, harassment, threats, slurs, discrimination, lewdness,
slang and negative tone, judged in context.

Offensive words appear below as plain test data, kept to the few each behaviour needs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import pytest

from postguard.engine.detectors.language import (
    CHARACTERISTICS,
    NEGATIVE_CLAUSE_THRESHOLD,
    NEGATIVE_THRESHOLD,
    LanguageDetector,
    Pattern,
    ProfanityCheckScorer,
    lexicons,
    tone,
)
from postguard.engine.registry import detectors
from postguard.engine.signals import SIGNAL_KINDS, Signal
from postguard.engine.text import Document
from postguard.school.model import School

Detect = Callable[..., list[Signal]]
ABUSE = {"language.offensive", "language.insult", "language.harassment", "language.threat",
         "language.slur", "language.discriminatory"}


@pytest.fixture(scope="module")
def detector(school: School) -> LanguageDetector:
    # These tests pin the first-version scorer so that they describe the lexicons and the
    # context rules exactly; tests/detectors/test_language_with_classifiers.py covers what the
    # trained classifiers add.
    return LanguageDetector(school, scorer=ProfanityCheckScorer())


@pytest.fixture
def detect(detector: LanguageDetector, doc: Callable[..., Document]) -> Detect:
    def run(text: str, **fields: object) -> list[Signal]:
        return detector.detect(doc(text, **fields))

    return run


def kinds(signals: Sequence[Signal]) -> set[str]:
    return {signal.kind for signal in signals}


def only(signals: Sequence[Signal], kind: str) -> Signal:
    found = [signal for signal in signals if signal.kind == kind]
    assert len(found) == 1, [(s.kind, s.start, s.end) for s in signals]
    return found[0]


def evidence(signal: Signal, text: str) -> str | None:
    return signal.evidence(text)


# --- registration and contract ---------------------------------------------------------------

def test_language_detector_is_registered() -> None:
    assert detectors()["language"] is LanguageDetector


def test_every_declared_kind_is_a_language_signal() -> None:
    assert set(LanguageDetector.emits) == {k for k in SIGNAL_KINDS if k.startswith("language.")}


SAMPLES = [
    "What a fucking goal!",
    "Honestly you're a useless idiot and everyone knows it",
    "A pupil called another child a 'retard' today. Not acceptable.",
    "Go back to your own country",
    "Say that again and I'll kill you",
    "Send nudes lol",
    "Had an awful day, everything went wrong and I'm exhausted and miserable.",
    "You are a f***ing idiot",
    "What an idiot Mrs Jones is",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_every_signal_has_a_span_a_score_and_a_readable_explanation(
        detect: Detect, text: str) -> None:
    signals = detect(text)
    assert signals
    for signal in signals:
        assert signal.kind in LanguageDetector.emits
        assert signal.start is not None and signal.end is not None
        assert 0 <= signal.start < signal.end <= len(text)
        assert text[signal.start:signal.end].strip() == text[signal.start:signal.end]
        assert 0 < signal.score <= 1
        assert len(signal.explanation) > 15


def test_offensive_score_is_reported_for_every_post(
        detector: LanguageDetector, doc: Callable[..., Document]) -> None:
    clean = doc("Lovely to see so many families at the Harvest Festival today.")
    rude = doc("You are a complete idiot")
    detector.detect_many([clean, rude])
    assert 0 <= clean.scores["offensive"] < 0.5
    assert rude.scores["offensive"] > 0.9


def test_a_warm_post_about_school_raises_no_signal(detect: Detect) -> None:
    assert detect("Well done to Year 6 on a brilliant Harvest Festival, thank you to all the "
                  "families who came along.") == []


def test_batched_detection_gives_the_same_signals_as_one_at_a_time(
        detector: LanguageDetector, doc: Callable[..., Document]) -> None:
    batch = detector.detect_many([doc(text) for text in SAMPLES])
    assert batch == [detector.detect(doc(text)) for text in SAMPLES]


# --- swearing is not abuse by itself -----------------------------------------------------------

def test_swearing_about_a_football_goal_is_profanity_not_abuse(detect: Detect) -> None:
    text = "What a fucking goal!! Get in Newcastle, best game all season"
    signals = detect(text)
    assert evidence(only(signals, "language.profanity"), text) == "fucking"
    assert not kinds(signals) & ABUSE


def test_swearing_with_pride_in_a_class_is_profanity_not_abuse(detect: Detect) -> None:
    signals = detect("So fucking proud of my class today")
    assert "language.profanity" in kinds(signals)
    assert not kinds(signals) & ABUSE


def test_swearing_while_praising_the_people_addressed_is_not_offensive(detect: Detect) -> None:
    signals = detect("You absolute legends, so fucking proud of you all")
    assert "language.profanity" in kinds(signals)
    assert "language.offensive" not in kinds(signals)


def test_mild_bad_language_scores_lower_than_strong_swearing(detect: Detect) -> None:
    mild = only(detect("Staff night out and I'm absolutely pissed"), "language.profanity")
    strong = only(detect("Absolutely fucking freezing on duty"), "language.profanity")
    assert mild.score < strong.score
    assert mild.data["grade"] == "mild"


def test_starred_out_swearing_is_profanity(detect: Detect) -> None:
    text = "What a load of sh*t"
    signal = only(detect(text), "language.profanity")
    assert evidence(signal, text) == "sh*t"
    assert signal.data["term"] == "shit"


def test_dick_whittington_at_the_panto_is_not_profanity(detect: Detect) -> None:
    signals = detect("Year 4 are rehearsing Dick Whittington for the Christmas panto")
    assert signals == []


def test_blue_tits_in_the_nature_garden_are_neither_profane_nor_lewd(detect: Detect) -> None:
    assert detect("Watching blue tits in the nature garden with Reception") == []


# --- the model score needs a target ----------------------------------------------------------

def test_model_offensive_needs_someone_to_aim_at(detect: Detect) -> None:
    text = "Honestly the head is a useless cow and everyone knows it"
    signal = only(detect(text), "language.offensive")
    assert signal.score >= 0.5
    assert signal.data["target"] == "the head"
    assert "aimed at someone" in signal.explanation


def test_tagging_the_schools_own_account_is_not_aiming_at_someone(detect: Detect) -> None:
    signals = detect("What a fucking goal @WestmoorPrimary")
    assert "language.offensive" not in kinds(signals)


def test_a_high_model_score_without_a_target_is_not_offensive(detect: Detect) -> None:
    signals = detect("omg what a day lmao")
    assert "language.offensive" not in kinds(signals)


def test_calling_yourself_an_idiot_is_not_an_insult(detect: Detect) -> None:
    signals = detect("What an idiot I am, left my lanyard at home again")
    assert not kinds(signals) & ABUSE


# --- insults and harassment ----------------------------------------------------------------

def test_an_insult_to_the_person_addressed_is_insult_and_harassment(detect: Detect) -> None:
    text = "Honestly you're a useless idiot and everyone knows it"
    signals = detect(text)
    assert evidence(only(signals, "language.harassment"), text) == "you're a useless idiot"
    assert "language.insult" in kinds(signals)


def test_an_insult_to_an_at_mentioned_person_is_harassment(detect: Detect) -> None:
    text = "@dave_p is a pathetic excuse for a teacher"
    signal = only(detect(text), "language.harassment")
    assert evidence(signal, text) == text


def test_what_an_idiot_mrs_x_is_insults_a_named_person(detect: Detect) -> None:
    text = "What an idiot Mrs Jones is"
    signal = only(detect(text), "language.harassment")
    assert evidence(signal, text) == text
    assert "named person" in signal.explanation


def test_an_insult_to_a_roster_name_at_the_start_of_a_sentence_is_harassment(
        detect: Detect) -> None:
    text = "Ravi is such a dickhead in meetings"
    assert evidence(only(detect(text), "language.harassment"), text) == "Ravi is such a dickhead"


def test_a_capitalised_word_at_the_start_of_a_sentence_is_not_taken_for_a_name(
        detect: Detect) -> None:
    assert not kinds(detect("Marking is a joke this term")) & ABUSE


def test_calling_the_person_addressed_a_muppet_is_harassment(detect: Detect) -> None:
    signals = detect("You muppet, you left the register in the staffroom again")
    assert {"language.insult", "language.harassment"} <= kinds(signals)


def test_an_insult_about_he_or_she_is_an_insult_but_not_harassment(detect: Detect) -> None:
    signals = detect("She is an absolute cow")
    assert "language.insult" in kinds(signals)
    assert "language.harassment" not in kinds(signals)


def test_an_insult_to_a_group_of_parents_is_an_insult(detect: Detect) -> None:
    text = "The parents at this school are a bunch of idiots"
    signal = only(detect(text), "language.insult")
    assert "group" in signal.explanation


def test_people_like_you_shouldnt_be_near_children_is_harassment(detect: Detect) -> None:
    text = "People like you shouldn't be let near children"
    signal = only(detect(text), "language.harassment")
    assert evidence(signal, text) == text


def test_nobody_likes_you_is_harassment_but_nobody_likes_mondays_is_not(
        detect: Detect) -> None:
    assert "language.harassment" in kinds(detect("Nobody likes you, just leave"))
    assert "language.harassment" not in kinds(detect("Nobody likes Mondays"))


def test_praising_a_named_colleague_is_not_an_insult(detect: Detect) -> None:
    assert not kinds(detect("Mrs Hughes is a fantastic head and we will miss her")) & ABUSE


# --- threats -----------------------------------------------------------------------------------

def test_a_threat_to_kill_the_person_addressed_is_a_threat(detect: Detect) -> None:
    text = "Say that again and I'll kill you"
    assert evidence(only(detect(text), "language.threat"), text) == "I'll kill you"


def test_watch_your_back_is_a_threat(detect: Detect) -> None:
    assert "language.threat" in kinds(detect("Better watch your back"))


def test_someone_should_smash_his_face_in_is_a_threat(detect: Detect) -> None:
    assert "language.threat" in kinds(detect("Someone should smash his face in"))


def test_saying_a_parent_deserves_a_good_slap_is_a_threat(detect: Detect) -> None:
    text = "That parent deserves a good slap"
    assert evidence(only(detect(text), "language.threat"), text) == "deserves a good slap"


def test_football_banter_about_destroying_the_other_team_is_not_a_threat(
        detect: Detect) -> None:
    assert "language.threat" not in kinds(detect("We'll destroy them on Saturday"))
    assert "language.threat" not in kinds(
        detect("We're going to batter them in the cup final on Saturday, come on lads!"))


def test_the_same_words_without_a_match_are_a_threat(detect: Detect) -> None:
    assert "language.threat" in kinds(detect("We're going to batter them when they get home"))


def test_killing_it_and_murdering_a_coffee_are_not_threats(detect: Detect) -> None:
    for text in ("Year 6 absolutely killed it at the choir competition tonight",
                 "I could murder a cup of tea right now",
                 "My feet are killing me after sports day"):
        assert not kinds(detect(text)) & ABUSE, text


def test_praise_that_killed_it_is_not_negative_tone(detect: Detect) -> None:
    assert "language.negative" not in kinds(
        detect("Year 6 absolutely killed it at the choir competition tonight"))


# --- slurs, and quoting them to condemn them -------------------------------------------------

def test_a_slur_is_reported_with_its_protected_characteristic(detect: Detect) -> None:
    text = "that's so retarded"
    signal = only(detect(text), "language.slur")
    assert evidence(signal, text) == "retarded"
    assert signal.data["characteristic"] == "disability"
    assert signal.explanation == "'retarded' is a slur about disability"


def test_quoting_a_slur_to_condemn_it_is_not_discrimination(detect: Detect) -> None:
    text = "A pupil called another child a 'retard' today. Not acceptable."
    signals = detect(text)
    quoted = only(signals, "language.quoted_to_condemn")
    assert evidence(quoted, text) == "retard"
    assert quoted.data["characteristic"] == "disability"
    assert not kinds(signals) & ABUSE


def test_reporting_someone_for_using_the_word_is_quoting_to_condemn(detect: Detect) -> None:
    text = "He was reported for using the word paki in class"
    signals = detect(text)
    assert evidence(only(signals, "language.quoted_to_condemn"), text) == "paki"
    assert "language.slur" not in kinds(signals)


def test_saying_a_word_has_no_place_in_school_is_quoting_to_condemn(detect: Detect) -> None:
    signals = detect("The word faggot has no place in our school")
    assert kinds(signals) & ABUSE == set()
    assert "language.quoted_to_condemn" in kinds(signals)


def test_a_slur_in_scare_quotes_without_condemnation_is_still_a_slur(detect: Detect) -> None:
    signals = detect("He is such a 'retard'")
    assert "language.slur" in kinds(signals)
    assert "language.quoted_to_condemn" not in kinds(signals)


def test_quoted_swearing_reported_with_disapproval_is_quoting_to_condemn(
        detect: Detect) -> None:
    text = "A Year 9 boy told me to 'fuck off' today. Not acceptable."
    signals = detect(text)
    assert evidence(only(signals, "language.quoted_to_condemn"), text) == "fuck off"
    assert "language.profanity" not in kinds(signals)


def test_quoting_a_racist_phrase_to_condemn_it_is_not_discrimination(detect: Detect) -> None:
    text = ("A man shouted 'go back to your own country' at one of our parents. "
            "Disgraceful, and reported to the police.")
    signals = detect(text)
    quoted = only(signals, "language.quoted_to_condemn")
    assert evidence(quoted, text) == "go back to your own country"
    assert quoted.data["characteristic"] == "race"
    assert "language.discriminatory" not in kinds(signals)


def test_a_threat_in_reported_speech_without_quotes_is_still_a_threat(detect: Detect) -> None:
    signals = detect("I said I'll kill you and I meant it, go on, report me")
    assert "language.threat" in kinds(signals)
    assert "language.quoted_to_condemn" not in kinds(signals)


def test_a_slur_used_as_an_insult_is_slur_insult_and_harassment(detect: Detect) -> None:
    assert {"language.slur", "language.insult", "language.harassment"} <= kinds(
        detect("Don't be such a spaz, you're a spaz"))


def test_a_fag_break_is_not_a_slur(detect: Detect) -> None:
    assert "language.slur" not in kinds(detect("Desperate for a fag break after period 3"))


# --- derogatory content about protected groups without a slur ----------------------------------

@pytest.mark.parametrize(("text", "characteristic"), [
    ("Go back to your own country", "race"),
    ("Women can't teach maths, simple as", "sex"),
    ("She's too old to be teaching", "age"),
    ("Gay men shouldn't be allowed near children", "sexual_orientation"),
    ("Muslims are all terrorists", "religion_or_belief"),
    ("Trans women are just men in dresses", "gender_reassignment"),
    ("Yet another one going on maternity, great", "pregnancy_or_maternity"),
])
def test_a_derogatory_claim_about_a_protected_group_is_discriminatory(
        detect: Detect, text: str, characteristic: str) -> None:
    signal = only(detect(text), "language.discriminatory")
    assert signal.data["characteristic"] == characteristic
    assert CHARACTERISTICS[characteristic] in signal.explanation


def test_girls_who_cant_wait_for_the_disco_are_not_discriminated_against(
        detect: Detect) -> None:
    assert not kinds(detect("The girls can't wait for the disco!")) & ABUSE


def test_celebrating_pride_month_is_not_discriminatory(detect: Detect) -> None:
    assert not kinds(detect("We are proud to celebrate Pride month; our gay and lesbian staff "
                            "network meets on Tuesday")) & ABUSE


# --- lewd --------------------------------------------------------------------------------------

def test_asking_for_nudes_is_lewd(detect: Detect) -> None:
    text = "Send nudes lol"
    assert evidence(only(detect(text), "language.lewd"), text) == "Send nudes"


def test_teaching_about_online_dangers_is_not_lewd(detect: Detect) -> None:
    signals = detect("Our e-safety assembly covered the dangers of sexting for Year 6")
    assert "language.lewd" not in kinds(signals)


def test_sex_education_is_not_lewd(detect: Detect) -> None:
    assert "language.lewd" not in kinds(
        detect("RSE evening for parents: what we teach about puberty and sex education"))


# --- slang -------------------------------------------------------------------------------------

def test_text_speak_is_slang(detect: Detect) -> None:
    text = "omg gr8 day at the fair lol"
    assert [evidence(s, text) for s in detect(text) if s.kind == "language.slang"] == [
        "omg", "gr8", "lol"]


def test_english_lit_is_not_slang(detect: Detect) -> None:
    assert detect("Year 11 English lit revision after school on Tuesday") == []


def test_ur_is_slang_in_lower_case_but_the_city_of_ur_is_history(detect: Detect) -> None:
    assert "language.slang" in kinds(detect("ur amazing Year 6"))
    assert detect("Year 5 learnt about the ancient city of Ur today") == []


# --- negative tone -----------------------------------------------------------------------------

def test_a_bad_day_is_negative_tone_not_abuse(detect: Detect) -> None:
    text = "Lovely lunch. Had an awful day, everything went wrong and I'm exhausted."
    signals = detect(text)
    signal = only(signals, "language.negative")
    assert evidence(signal, text) == (
        "Had an awful day, everything went wrong and I'm exhausted")
    assert signal.data["compound"] <= NEGATIVE_THRESHOLD
    assert "not abuse" in signal.explanation
    assert not kinds(signals) & ABUSE


def test_a_mixed_post_is_negative_when_one_part_is_clearly_negative(detect: Detect) -> None:
    text = "My line manager was in a foul mood all day, glad to be home"
    signal = only(detect(text), "language.negative")
    assert evidence(signal, text) == text


def test_a_single_warning_in_a_helpful_post_is_not_negative_tone(detect: Detect) -> None:
    assert detect("Please don't park on the zigzag lines outside school, it is dangerous for "
                  "children. Thank you for your help!") == []


def test_a_little_tiredness_is_not_negative_tone(detect: Detect) -> None:
    assert detect("A bit tired after sports day but so worth it") == []


def test_a_name_that_vader_reads_as_a_rude_word_is_not_negative_tone(detect: Detect) -> None:
    assert "language.negative" not in kinds(detect("Loved the panto, Dick Whittington was a hit"))


def _generated_texts(count: int) -> list[str]:
    analyzer = tone().analyzer
    words = sorted(w for w in analyzer.lexicon if w.isalpha())
    fillers = ["the", "a", "day", "school", "but", "not", "so", "this", "very", "no",
               "never", "really", "kind", "of", "least", "Year", "6", "yeah", "right", "!"]
    rng = random.Random(20261121)
    texts = []
    for _ in range(count):
        parts = [rng.choice(words if rng.random() < 0.4 else fillers)
                 for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.2:
            parts = [p.upper() for p in parts]
        text = " ".join(parts) + rng.choice(["", "!", "!!!", "??", " :(", " 😠", "."])
        texts.append(text)
    return texts


def test_vader_prefilter_never_skips_a_post_or_clause_vader_finds_negative() -> None:
    judge = tone()
    for text in _generated_texts(1000):
        prepared = judge.prepare(text)
        bounds = judge.analyse(prepared)
        if judge.compound(prepared) <= NEGATIVE_THRESHOLD:
            assert bounds.whole_may_be_negative(), text
        candidates = bounds.clauses_that_may_be_negative()
        for start, end, _ in bounds.clauses:
            if judge.compound(prepared[start:end]) <= NEGATIVE_CLAUSE_THRESHOLD:
                assert (start, end) in candidates, prepared[start:end]


# --- the scorer is replaceable -----------------------------------------------------------------

class FixedScorer:
    name = "fixed"

    def __init__(self, value: float) -> None:
        self.value = value

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.value for _ in texts]


def test_a_replacement_scorer_supplies_the_offensive_score(
        school: School, doc: Callable[..., Document]) -> None:
    detector = LanguageDetector(school, scorer=FixedScorer(0.93))
    post = doc("You are dreadful and you know it")
    signals = detector.detect(post)
    assert post.scores["offensive"] == 0.93
    signal = only(signals, "language.offensive")
    assert signal.data["model"] == "fixed"
    assert signal.data["terms"] == []


# --- the lexicons test themselves ------------------------------------------------------------

def _unique_patterns() -> list[Pattern]:
    seen: dict[tuple[str, str], Pattern] = {}
    for pattern in lexicons().patterns:
        seen.setdefault((pattern.source, pattern.example), pattern)
    return list(seen.values())


@pytest.mark.parametrize("pattern", _unique_patterns(),
                         ids=lambda p: f"{p.source}:{p.example[:30]}")
def test_each_lexicon_pattern_fires_on_its_example_and_not_on_its_near_misses(
        detect: Detect, pattern: Pattern) -> None:
    wanted = {f"language.{kind}" for kind in pattern.kinds}
    assert pattern.example, "every pattern needs an example"
    assert wanted <= kinds(detect(pattern.example))
    for near_miss in pattern.near_misses:
        assert not wanted & kinds(detect(near_miss)), near_miss
