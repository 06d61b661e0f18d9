"""What the trained classifiers add to the language detector (the default when they ship)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postguard.engine.detectors.language import LanguageDetector, TrainedScorer
from postguard.engine.models.classifier import (
    EARLY_EXIT,
    GATE,
    WHOLE_MODEL,
    HeadScores,
    model_available,
)
from postguard.engine.signals import Signal
from postguard.engine.text import Document
from postguard.school.model import School

pytestmark = pytest.mark.skipif(not model_available(), reason="no trained model shipped")
HEADS = {"offensive", "hate", "targeted_insult", "negative", "threat"}


@pytest.fixture(scope="module")
def detector(school: School) -> LanguageDetector:
    return LanguageDetector(school)


@pytest.fixture
def run(detector: LanguageDetector,
        doc: Callable[..., Document]) -> Callable[[str], tuple[list[Signal], Document]]:
    def go(text: str) -> tuple[list[Signal], Document]:
        document = doc(text)
        return detector.detect(document), document

    return go


def kinds(signals: list[Signal]) -> set[str]:
    return {signal.kind for signal in signals}


def test_the_trained_classifiers_are_the_default_scorer(detector: LanguageDetector) -> None:
    assert isinstance(detector.scorer, TrainedScorer)


def test_every_head_has_a_probability_in_scores(run: Callable) -> None:
    _, document = run("Lovely afternoon at the park")
    assert set(document.scores) >= HEADS
    assert all(0.0 <= document.scores[head] <= 1.0 for head in HEADS)


def test_hatred_of_a_group_without_any_listed_word_is_discriminatory(run: Callable) -> None:
    signals, document = run("These migrants are vermin invading our country")
    assert document.scores["hate"] >= 0.5
    assert "language.discriminatory" in kinds(signals)


def test_welcoming_refugee_families_is_not_discriminatory(run: Callable) -> None:
    signals, document = run("Welcome to all the refugee families joining our community")
    assert document.scores["hate"] < 0.5
    assert "language.discriminatory" not in kinds(signals)


def test_an_insult_aimed_at_someone_is_an_insult(run: Callable) -> None:
    signals, document = run("@user shut up you pathetic little troll, nobody asked you")
    assert document.scores["targeted_insult"] >= 0.5
    assert kinds(signals) & {"language.insult", "language.harassment", "language.offensive"}


def test_swearing_about_a_goal_is_still_not_aimed_at_anyone(run: Callable) -> None:
    signals, _ = run("What a fucking goal!! Get in Newcastle, best game all season")
    assert not kinds(signals) & {"language.insult", "language.harassment",
                                 "language.offensive", "language.discriminatory"}


def test_a_sad_post_is_negative_in_tone_and_nothing_worse(run: Callable) -> None:
    signals, document = run("Feeling lonely tonight, missing my mum so much")
    assert document.scores["negative"] >= 0.5
    assert kinds(signals) & {"language.negative"}
    assert not kinds(signals) & {"language.insult", "language.offensive"}


def test_a_threat_scores_from_the_threat_lexicon(run: Callable) -> None:
    signals, document = run("If that dad shouts at me again I swear I'll knock him out")
    assert "language.threat" in kinds(signals)
    assert document.scores["threat"] >= 0.5


@pytest.mark.parametrize(("stage", "judge"), [
    (GATE, "quick tone model (the cascade's gate)"),
    (EARLY_EXIT, "tone model's first layers (the cascade's early exit)"),
    (WHOLE_MODEL, "The tone model scores"),
])
def test_tone_says_which_stage_of_the_cascade_read_it(
        detector: LanguageDetector, doc: Callable[..., Document],
        monkeypatch: pytest.MonkeyPatch, stage: str, judge: str) -> None:
    settled = HeadScores(offensive=0.05, hate=0.05, targeted_insult=0.05, negative=0.8,
                         target=None, stage=stage)
    monkeypatch.setattr(detector.scorer, "heads_many", lambda texts: [settled for _ in texts])
    signals = detector.detect(doc("Long week. Everything that could go wrong went wrong."))
    negative = [signal for signal in signals if signal.kind == "language.negative"]
    assert negative and judge in negative[0].explanation
