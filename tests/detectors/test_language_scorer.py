"""The fast offensive-language scorer reproduces alt-profanity-check's own predict_prob."""

from __future__ import annotations

import random

import pytest

from postguard.engine.detectors.language import (
    ExplainingScorer,
    ProfanityCheckScorer,
    Scorer,
    profanity_check_model,
)

CURATED = [
    "",
    " ",
    "!!!",
    "a",
    "the and of to",  # stop words only: no known word at all
    "What a fucking goal!",
    "So fucking proud of my class today",
    "You are a complete idiot",
    "YOU ARE A COMPLETE IDIOT",
    "you're a useless idiot idiot idiot idiot",
    "Lovely to see so many families at the Harvest Festival today.",
    "Reminder: non-uniform day on Friday, £1 donation for Children in Need.",
    "@dave_p is a pathetic excuse for a teacher",
    "A pupil called another child a 'retard' today. Not acceptable.",
    "I'll kill you",
    "We'll destroy them on Saturday",
    "café naïve façade déjà vu",
    "Ünïcödé wörds and émojis 😀😡🎉",
    "12345 67890 2026",
    "snake_case_words and under_scores",
    "don't can't won't shouldn't it's",
    "hyphen-ated well-known ex-pupil",
    "sh*t f**k c**t",
    "line one\nline two\tand a tab",
    "Year 6 absolutely killed it at the choir competition tonight " * 10,
]


def varied_texts(count: int) -> list[str]:
    """Texts mixing known words (the most and least offensive ones as well), stop words,
    unknown words, numbers, punctuation and case, of very different lengths."""
    terms = profanity_check_model().terms
    by_weight = sorted(terms, key=lambda w: sum(terms[w][1]))
    strongest = by_weight[-300:]
    mildest = by_weight[:300]
    vocabulary = sorted(terms)
    noise = ["the", "and", "you", "is", "a", "of", "xqzv", "blorp", "2026", "!!", "?",
             "@user", "#proud", "😀", "Mrs", "O'Brien", "—", "..."]
    rng = random.Random(1121)
    texts = []
    for _ in range(count):
        words = []
        for _ in range(rng.choice([1, 2, 3, 5, 8, 13, 21, 40])):
            pool = rng.choice([strongest, mildest, vocabulary, vocabulary, noise])
            word = rng.choice(pool)
            words.append(word.upper() if rng.random() < 0.1 else word)
        texts.append(rng.choice([" ", " ", ", ", "  "]).join(words))
    return texts


def test_fast_scorer_equals_profanity_check_predict_prob() -> None:
    from profanity_check import predict_prob

    texts = CURATED + varied_texts(400)
    expected = predict_prob(texts)
    scorer = ProfanityCheckScorer()
    assert len(texts) >= 400
    for text, want, got in zip(texts, expected, scorer.score_many(texts), strict=True):
        assert got == pytest.approx(float(want), abs=1e-6), text


def test_fast_scorer_gives_the_same_score_alone_and_in_a_batch() -> None:
    scorer = ProfanityCheckScorer()
    texts = CURATED[:10]
    assert scorer.score_many(texts) == [scorer.score(text) for text in texts]


def test_scores_are_probabilities() -> None:
    scores = ProfanityCheckScorer().score_many(CURATED)
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_top_terms_name_the_words_that_push_the_score_up() -> None:
    terms = ProfanityCheckScorer().top_terms("Lovely day, you complete idiot", limit=2)
    assert terms[0] == "idiot"
    assert "lovely" not in terms


def test_profanity_check_scorer_meets_the_scorer_protocols() -> None:
    scorer = ProfanityCheckScorer()
    assert isinstance(scorer, ExplainingScorer)
    check: Scorer = scorer
    assert check.name.startswith("alt-profanity-check")
