"""The trained language classifiers: the cascade's arithmetic, and the shipped model itself.

The shipped model is checked on tests/data/language_sample.jsonl: forty posts written for this
project (not taken from any data set), labelled by hand for offensive, hate and negative.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from postguard.engine.models import classifier
from postguard.engine.models.classifier import (
    EARLY_EXIT,
    GATE,
    WHOLE_MODEL,
    EarlyExit,
    Gate,
    HeadScores,
    LanguageModel,
    model_available,
)
from postguard.engine.models.features import clean, terms

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "language_sample.jsonl"
needs_model = pytest.mark.skipif(not model_available(), reason="no trained model shipped")
# Written for this project: the gate distrusts "killing", the encoder's lower layers see sore feet.
EARLY_EXIT_EXAMPLE = "My feet are killing me after the sponsored walk"


def tiny_gate(floor: float = 0.3) -> Gate:
    heads = {"abuse": {"weights": {"idiot": 3.0, "you idiot": 1.0}, "bias": -1.0, "floor": floor},
             "negative": {"weights": {"awful": 4.0}, "bias": -1.0, "floor": None}}
    return Gate({"idf": {"idiot": 2.0, "you": 1.0, "you idiot": 3.0, "awful": 2.0},
                 "heads": heads})


def test_text_is_cleaned_as_in_training() -> None:
    assert clean("@Bob look https://x.co/a &amp; URL") == "@user look &"


def test_a_run_of_reply_handles_counts_as_one_mention() -> None:
    # OLID replies open with up to a dozen handles, which would push the words past the
    # model's window; a handle later in the post is kept.
    assert clean("@Ann @Bob  @USER <user> you liar, ask @Cy") == "@user you liar, ask @user"


def test_html_references_are_unescaped_as_in_the_source_tweets() -> None:
    assert clean("Fish &amp; chips &#8220;tonight&#8221;") == "Fish & chips \u201ctonight\u201d"


def test_an_emoji_reaches_the_model_as_its_name_in_words() -> None:
    # The encoder's vocabulary has no emoji: without this, both were one unknown token.
    assert clean("Well done Year 6 \U0001F44F") == "Well done Year 6 clapping hands sign"
    assert clean("you disgrace \U0001F595") == (
        "you disgrace reversed hand with middle finger extended")


def test_a_run_of_one_emoji_counts_once_and_skin_tones_and_flags_are_simplified() -> None:
    assert clean("\U0001F602\U0001F602 \U0001F602 so funny") == "face with tears of joy so funny"
    assert clean("thank you \U0001F64F\U0001F3FD") == "thank you person with folded hands"
    assert clean("go \U0001F1EC\U0001F1E7 go") == "go flag go"


def test_accented_letters_are_not_emoji() -> None:
    assert clean("Caf\u00e9 na\u0131\u0308ve") == "Caf\u00e9 na\u0131\u0308ve"


def test_terms_are_words_and_word_pairs() -> None:
    assert terms("You idiot!") == ["you", "idiot", "you idiot"]


def test_gate_probability_is_logistic_regression_over_normalised_tf_idf() -> None:
    gate = tiny_gate()
    vector = {"you": 1.0, "idiot": 2.0, "you idiot": 3.0}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    expected = 1 / (1 + math.exp(-(-1.0 + (3.0 * 2.0 + 1.0 * 3.0) / norm)))
    assert gate.probabilities("you idiot")["abuse"] == pytest.approx(expected)


def test_gate_settles_a_post_only_when_the_abuse_head_is_below_its_floor() -> None:
    gate = tiny_gate(floor=0.3)
    assert gate.settles(gate.probabilities("lovely walk today"))
    assert not gate.settles(gate.probabilities("you idiot"))


def test_negative_tone_alone_does_not_send_a_post_to_the_transformer() -> None:
    gate = tiny_gate(floor=0.3)
    assert gate.probabilities("awful day")["negative"] > 0.5
    assert gate.settles(gate.probabilities("awful day"))


def test_a_settled_post_takes_its_tone_from_the_gates_negative_head() -> None:
    settled = tiny_gate(floor=0.3).settled_scores("awful day")
    assert settled is not None and settled.stage == GATE
    assert settled.negative > 0.5
    assert settled.offensive == settled.hate == settled.targeted_insult < 0.3


@needs_model
def test_calibration_puts_each_heads_threshold_at_one_half() -> None:
    model = LanguageModel()
    for head, calibration in model.calibration.items():
        threshold = 1 / (1 + math.exp(-calibration["shift"]))
        logit_at_threshold = math.log(threshold / (1 - threshold)) * calibration["temperature"]
        assert model._calibrated(head, logit_at_threshold) == pytest.approx(0.5)


@needs_model
def test_a_targeted_insult_needs_the_post_to_be_both_offensive_and_targeted() -> None:
    model = LanguageModel()
    row = [0.0] * len(model.columns)
    row[model.columns.index("offensive")] = 8.0  # clearly offensive
    row[model.columns.index("targeted")] = -8.0  # clearly not aimed at anyone
    scores = model._from_logits(row)
    assert scores.offensive > 0.9 and scores.targeted_insult < 0.1 and scores.target is None


def tiny_exit(floor: float = 0.3) -> EarlyExit:
    # Two features of the pooled lower layers: the first reads abuse, the second tone.
    heads = {"abuse": {"weights": [4.0, 0.0], "bias": -2.0, "floor": floor},
             "negative": {"weights": [0.0, 4.0], "bias": -2.0, "floor": None}}
    return EarlyExit({"heads": heads})


def test_the_early_exit_stops_a_post_only_when_its_abuse_head_is_below_the_floor() -> None:
    early_exit = tiny_exit(floor=0.3)
    assert early_exit.settled_scores(np.array([0.0, 0.0], dtype=np.float32)) is not None
    assert early_exit.settled_scores(np.array([1.0, 0.0], dtype=np.float32)) is None


def test_a_post_stopped_early_takes_its_tone_from_the_exits_negative_head() -> None:
    settled = tiny_exit(floor=0.3).settled_scores(np.array([0.0, 1.0], dtype=np.float32))
    assert settled is not None and settled.stage == EARLY_EXIT
    assert settled.negative == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert settled.offensive == settled.hate == settled.targeted_insult < 0.3


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> tuple[LanguageModel, list[str], list[str]]:
    """The shipped model, with the texts that reached the lower layers and the upper layers."""
    model = LanguageModel()
    lower_seen: list[str] = []
    upper_seen: list[str] = []
    lower_half, upper_half = model._lower_half, model._upper_half

    def lower_spy(text: str) -> tuple[dict[str, object], object]:
        lower_seen.append(text)
        return lower_half(text)

    def upper_spy(lower: dict[str, object], mask: object) -> list[float]:
        upper_seen.append(lower_seen[-1])
        return upper_half(lower, mask)

    monkeypatch.setattr(model, "_lower_half", lower_spy)
    monkeypatch.setattr(model, "_upper_half", upper_spy)
    return model, lower_seen, upper_seen


@needs_model
def test_the_gate_keeps_a_clearly_clean_post_out_of_the_transformer(
        stages: tuple[LanguageModel, list[str], list[str]]) -> None:
    model, lower_seen, _ = stages
    (scores,) = model.score_many(["Congratulations to our Year 5 choir on a wonderful concert"])
    assert scores.stage == GATE and lower_seen == []


@needs_model
def test_an_insult_goes_through_the_whole_transformer(
        stages: tuple[LanguageModel, list[str], list[str]]) -> None:
    model, _, upper_seen = stages
    (scores,) = model.score_many(["@user you are a useless idiot"])
    assert scores.stage == WHOLE_MODEL and upper_seen == ["@user you are a useless idiot"]
    assert scores.offensive >= 0.5


@needs_model
def test_a_post_the_gate_distrusts_but_the_lower_layers_find_clean_stops_early(
        stages: tuple[LanguageModel, list[str], list[str]]) -> None:
    model, lower_seen, upper_seen = stages
    text = EARLY_EXIT_EXAMPLE
    (scores,) = model.score_many([text])
    assert lower_seen == [text] and upper_seen == []
    assert scores.stage == EARLY_EXIT and scores.offensive < 0.5


@needs_model
def test_the_two_halves_give_the_whole_models_logits_for_every_stage_of_a_post() -> None:
    model = LanguageModel()
    text = clean(EARLY_EXIT_EXAMPLE)
    pooled, logits = model.run_halves(text)
    assert logits == model._run([text])[0]
    assert pooled.shape == (len(model.early_exit.weights["abuse"]),)  # type: ignore[union-attr]


def _sample() -> list[dict[str, object]]:
    return [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]


def _macro_f1(labels: list[int], predicted: list[int]) -> float:
    scores = []
    for positive in (0, 1):
        tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y == p == positive)
        fp = sum(1 for y, p in zip(labels, predicted, strict=True) if p == positive != y)
        fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y == positive != p)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 2


@pytest.fixture(scope="module")
def sample_scores() -> list[tuple[dict[str, object], HeadScores]]:
    rows = _sample()
    return list(zip(rows, LanguageModel().score_many([str(r["text"]) for r in rows]),
                    strict=True))


@needs_model
@pytest.mark.parametrize(("head", "at_least"), [("offensive", 0.8), ("hate", 0.7),
                                                 ("negative", 0.7)])
def test_the_shipped_model_separates_the_projects_labelled_sample(
        sample_scores: list[tuple[dict[str, object], HeadScores]], head: str,
        at_least: float) -> None:
    labels = [int(row[head]) for row, _ in sample_scores]  # type: ignore[call-overload]
    predicted = [int(getattr(scores, head) >= 0.5) for _, scores in sample_scores]
    assert _macro_f1(labels, predicted) >= at_least


def test_installing_postguard_never_installs_torch() -> None:
    pins = (ROOT / "requirements.lock").read_text() + (ROOT / "pyproject.toml").read_text()
    assert not re.search(r"^\s*\"?torch\b", pins, re.MULTILINE | re.IGNORECASE)


@needs_model
def test_the_shipped_model_fits_in_the_repository() -> None:
    size = sum(f.stat().st_size for f in classifier.MODEL_DIR.iterdir() if f.is_file())
    assert size <= 40 * 1024 * 1024


def training_card() -> Any:
    spec = importlib.util.spec_from_file_location("postguard_training_card",
                                                  ROOT / "training" / "card.py")
    assert spec is not None and spec.loader is not None
    card = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(card)
    return card


@needs_model
def test_the_model_card_shows_the_shipped_models_own_figures() -> None:
    # The card is rendered from config.json and validation.json (training/card.py): a model
    # retrained or a cascade stage refitted without rewriting its card would fail here.
    shipped = (classifier.MODEL_DIR / "MODEL_CARD.md").read_text()
    assert training_card().render(classifier.MODEL_DIR) == shipped


def test_the_model_card_gives_one_command_for_a_single_run() -> None:
    commands, soup = training_card()._commands({"seed": "13"})
    assert commands == "training/.venv/bin/python training/train.py --data ../shared/data"
    assert soup == ""


def test_the_model_card_gives_the_teacher_commands_for_a_distilled_model() -> None:
    commands, _ = training_card()._commands(
        {"seed": "13", "teacher": "training/runs/teacher/train_logits.json",
         "distil_weight": "None"})
    lines = commands.splitlines()
    assert lines[2].endswith("training/teacher.py --data ../shared/data --only mpnet")
    assert lines[3].endswith("training/teacher.py --data ../shared/data --logits")
    assert lines[-1].endswith("train.py --data ../shared/data "
                              "--teacher training/runs/teacher/train_logits.json")


def test_the_model_card_gives_the_runs_and_the_soup_command_for_a_soup() -> None:
    commands, soup = training_card()._commands({"seed": "13", "soup": [
        {"run": "training/runs/a", "order_seed": "13"},
        {"run": "training/runs/b", "order_seed": "21"}]})
    lines = commands.splitlines()
    assert lines[1].endswith("--weights-only --out training/runs/a &")
    assert lines[2].endswith("--weights-only --out training/runs/b --order-seed 21 &")
    assert lines[-1] == ("training/.venv/bin/python training/soup.py training/runs/a "
                         "training/runs/b")
    assert "order seeds 13, 21" in soup
