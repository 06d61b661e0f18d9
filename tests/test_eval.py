"""``postguard eval``: accuracy on posts labelled by hand, and the metrics under it.

The metric tests use small examples worked out by hand. The command line tests run the real
checker on a few posts written for the demo school (Westmoor Primary), so they assert what eval
adds (pairing labels with findings, counting, reporting, refusing bad lines) rather than what
the detectors happen to find today.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from postguard.cli import app
from postguard.engine.checker import Checker, CheckResult
from postguard.engine.post import Post, post_from_dict
from postguard.errors import ErrorList
from postguard.evaluation import (
    Counts,
    Outcome,
    auc,
    category_scores,
    counts,
    evaluate,
    evaluate_file,
    f1,
    macro_f1,
    precision,
    recall,
)
from postguard.scan import Setup, load_setup
from postguard.school.loader import demo_school_dir

SCHOOL = str(demo_school_dir() / "school.yaml")

POSTS: list[tuple[str, list[str]]] = [
    ("Crisp autumn walk along the Coquet this morning, the colours are unreal.", []),
    ("Proud teacher moment: Jayden Robson from my class finally cracked his 7 times table "
     "today!", ["pupil_identification"]),
    ("Some parent at pick-up today was an absolute idiot. Told her where to shove her "
     "complaint.", ["abusive", "disrepute"]),
    ("If that dad shouts at me in the car park one more time I swear I'll knock him out.",
     ["abusive"]),
    ("Another letter to translate. These people should learn English if they want to live "
     "here.", ["discriminatory"]),
    ("Can't wait for the Harvest Festival! Tickets from the office, all money goes to the "
     "library fund.", []),
    ("Mia Thompson was a star in the Nativity play rehearsal, what a voice.",
     ["pupil_identification"]),
]

runner = CliRunner()


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def write_labelled(path: Path, lines: Sequence[dict[str, object] | str]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n"
                            for line in lines))
    return path


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    records: list[dict[str, object] | str] = [
        {"id": f"w{number}", "text": text, "labels": labels}
        for number, (text, labels) in enumerate(POSTS, 1)]
    return write_labelled(tmp_path / "labelled.jsonl", records)


# -- precision, recall, F1, macro-F1 -------------------------------------------------------------


def test_counts_tally_each_kind_of_agreement() -> None:
    truth = [True, True, True, False, False, False]
    found = [True, True, False, True, False, False]
    assert counts(truth, found) == Counts(tp=2, fp=1, fn=1, tn=2)


def test_precision_recall_and_f1_on_a_hand_worked_example() -> None:
    found = Counts(tp=3, fp=1, fn=2, tn=4)  # P 3/4, R 3/5, F1 2PR/(P+R) = 2/3
    assert precision(found) == pytest.approx(0.75)
    assert recall(found) == pytest.approx(0.6)
    assert f1(found) == pytest.approx(2 / 3)


def test_f1_is_zero_when_nothing_labelled_was_found() -> None:
    assert f1(Counts(tp=0, fp=2, fn=3, tn=5)) == 0.0


def test_a_category_with_no_positives_has_no_recall_and_scores_f1_0_for_false_alarms() -> None:
    found = counts([False, False, False], [True, False, False])
    assert (recall(found), precision(found), f1(found)) == (None, 0.0, 0.0)


def test_a_category_neither_labelled_nor_found_has_no_precision_recall_or_f1() -> None:
    found = counts([False, False], [False, False])
    assert (precision(found), recall(found), f1(found)) == (None, None, None)


def test_macro_f1_is_the_unweighted_mean_of_the_defined_f1s() -> None:
    assert macro_f1([1.0, 0.5, None, 0.0]) == pytest.approx(0.5)


def test_macro_f1_of_no_categories_is_undefined() -> None:
    assert macro_f1([]) is None


# -- AUC -----------------------------------------------------------------------------------------


def test_auc_is_1_when_every_positive_outscores_every_negative() -> None:
    assert auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75  # 0.35 < 0.4
    assert auc([0.1, 0.2, 0.7, 0.8], [False, False, True, True]) == 1.0


def test_auc_is_0_when_the_ranking_is_reversed() -> None:
    assert auc([0.9, 0.8, 0.2, 0.1], [False, False, True, True]) == 0.0


def test_auc_counts_a_tie_between_a_positive_and_a_negative_as_one_half() -> None:
    # Pairs (positive, negative): (0.5, 0.1) right, (0.5, 0.5) tie, (0.9, 0.1) and (0.9, 0.5)
    # right: 3.5 of 4.
    assert auc([0.1, 0.5, 0.5, 0.9], [False, True, False, True]) == pytest.approx(0.875)


def test_auc_of_identical_scores_is_one_half() -> None:
    assert auc([0.3] * 5, [True, False, True, False, False]) == pytest.approx(0.5)


def test_auc_equals_the_share_of_positive_negative_pairs_ordered_right() -> None:
    rng = random.Random(7)
    scores = [round(rng.random(), 1) for _ in range(60)]  # one decimal: many ties
    truth = [rng.random() < 0.4 for _ in range(60)]
    pairs = [(p, n) for p, n in itertools.product(range(60), repeat=2) if truth[p] and not truth[n]]
    share = sum(1.0 if scores[p] > scores[n] else 0.5 if scores[p] == scores[n] else 0.0
                for p, n in pairs) / len(pairs)
    assert auc(scores, truth) == pytest.approx(share)


def test_auc_is_undefined_without_a_positive_or_without_a_negative() -> None:
    assert auc([0.2, 0.9], [False, False]) is None
    assert auc([0.2, 0.9], [True, True]) is None


# -- which engine score measures which category --------------------------------------------------


def test_the_abusive_score_is_the_highest_of_offensive_targeted_insult_and_threat() -> None:
    scores = category_scores({"offensive": 0.2, "targeted_insult": 0.7, "threat": 0.4})
    assert scores["abusive"] == 0.7


def test_the_abusive_score_uses_whichever_of_its_sources_the_engine_gives() -> None:
    assert category_scores({"offensive": 0.3}) == {"abusive": 0.3}


def test_the_discriminatory_score_is_the_hate_score() -> None:
    assert category_scores({"hate": 0.6})["discriminatory"] == 0.6


def test_negative_tone_is_not_taken_as_a_score_for_disrepute() -> None:
    assert category_scores({"negative": 0.9}) == {}


# -- evaluate ------------------------------------------------------------------------------------


def outcome(labels: Sequence[str], found: Sequence[str], **scores: float) -> Outcome:
    return Outcome(frozenset(labels), frozenset(found), scores)


def test_evaluate_reports_every_category_labelled_or_found_in_the_contract_order() -> None:
    report = evaluate([outcome(["discriminatory"], ["disrepute"]), outcome(["abusive"], [])])
    assert [item.category for item in report.categories] == [
        "disrepute", "abusive", "discriminatory"]


def test_macro_f1_covers_only_the_categories_in_the_labels() -> None:
    report = evaluate([outcome(["abusive"], ["abusive", "disrepute"]), outcome([], [])])
    assert report.labelled == ("abusive",)
    assert report.macro_f1 == 1.0  # the false alarm for disrepute shows in its own row only


def test_evaluate_gives_auc_when_every_post_has_a_score_for_the_category() -> None:
    report = evaluate([outcome(["abusive"], [], abusive=0.9), outcome([], [], abusive=0.1)])
    assert report.categories[0].auc == 1.0


def test_evaluate_omits_auc_when_a_post_has_no_score_for_the_category() -> None:
    report = evaluate([outcome(["abusive"], [], abusive=0.9), outcome([], [])])
    assert report.categories[0].auc is None


def test_a_categorys_macro_f1_averages_its_f1_and_the_f1_of_the_posts_without_it() -> None:
    # 3 abusive posts, 2 found, 1 false alarm, 4 clean posts left clean: F1 4/6 and 8/10.
    report = evaluate([outcome(["abusive"], ["abusive"]), outcome(["abusive"], ["abusive"]),
                       outcome(["abusive"], []), outcome([], ["abusive"]),
                       *(outcome([], []) for _ in range(4))])
    abusive = report.categories[0]
    assert abusive.f1 == pytest.approx(4 / 6)
    assert abusive.clean_f1 == pytest.approx(8 / 10)
    assert abusive.macro_f1 == pytest.approx((4 / 6 + 8 / 10) / 2)


def test_a_false_alarm_in_a_category_nobody_labelled_counts_against_its_clean_f1() -> None:
    report = evaluate([outcome([], ["disrepute"]), outcome([], [])])
    disrepute = report.categories[0]
    assert (disrepute.f1, disrepute.clean_f1) == (0.0, pytest.approx(2 / 3))
    assert disrepute.macro_f1 == pytest.approx(1 / 3)


def test_flagged_vs_clean_counts_any_label_against_any_finding() -> None:
    report = evaluate([outcome(["abusive"], ["abusive"]), outcome(["abusive"], []),
                       outcome([], ["disrepute"]), outcome([], [])])
    assert report.flagged.counts == Counts(tp=1, fp=1, fn=1, tn=1)
    assert report.flagged.macro_f1 == pytest.approx(0.5)


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setup() -> Setup:
    return load_setup(SCHOOL)


def test_eval_json_counts_each_category_labelled_in_the_file(labelled: Path) -> None:
    result = invoke("eval", str(labelled), "--school", SCHOOL, "--json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["posts"] == len(POSTS)
    assert body["labelled_categories"] == ["pupil_identification", "disrepute", "abusive",
                                           "discriminatory"]
    support = {name: row["support"] for name, row in body["categories"].items()}
    assert (support["pupil_identification"], support["disrepute"], support["abusive"],
            support["discriminatory"]) == (2, 1, 2, 1)


def test_eval_counts_a_category_as_found_exactly_when_check_finds_it(
        labelled: Path, checker: Checker) -> None:
    result = invoke("eval", str(labelled), "--school", SCHOOL, "--json")
    checked: list[CheckResult] = [checker.check(post_from_dict({"text": text}))
                                  for text, _ in POSTS]
    for name, row in json.loads(result.stdout)["categories"].items():
        found = [any(item.category == name for item in outcome.findings) for outcome in checked]
        truth = [name in labels for _, labels in POSTS]
        assert row["true_positives"] == counts(truth, found).tp, name
        assert row["false_positives"] == counts(truth, found).fp, name


def test_eval_finds_every_named_pupil_in_the_demo_school(labelled: Path) -> None:
    body = json.loads(invoke("eval", str(labelled), "--school", SCHOOL, "--json").stdout)
    assert body["categories"]["pupil_identification"]["recall"] == 1.0


def test_eval_json_gives_each_categorys_two_class_macro_f1(labelled: Path) -> None:
    row = json.loads(invoke("eval", str(labelled), "--school", SCHOOL,
                            "--json").stdout)["categories"]["abusive"]
    assert row["macro_f1"] == pytest.approx((row["f1"] + row["clean_f1"]) / 2, abs=1e-4)


def test_eval_gives_the_abusive_auc_from_the_engine_scores(labelled: Path) -> None:
    body = json.loads(invoke("eval", str(labelled), "--school", SCHOOL, "--json").stdout)
    assert 0.0 <= body["categories"]["abusive"]["auc"] <= 1.0
    assert body["categories"]["pupil_identification"]["auc"] is None


def test_eval_prints_a_table_with_each_categorys_macro_f1_and_the_mean_f1(
        labelled: Path) -> None:
    result = invoke("eval", str(labelled), "--school", SCHOOL)
    assert result.exit_code == 0
    assert "pupil_identification" in result.stdout
    assert "macro-F1 per category: the mean of its F1 and the F1 of the posts without it" \
        in result.stdout
    assert "Mean F1 over the labelled categories (pupil_identification, disrepute, abusive, " \
           "discriminatory):" in result.stdout


def test_eval_with_two_workers_gives_the_same_figures(labelled: Path) -> None:
    one = json.loads(invoke("eval", str(labelled), "--school", SCHOOL, "--json").stdout)
    two = json.loads(invoke("eval", str(labelled), "--school", SCHOOL, "--json",
                            "--workers", "2").stdout)
    assert one == two


def test_eval_finds_pictures_next_to_the_labelled_file(tmp_path: Path) -> None:
    (tmp_path / "sports-day.jpg").write_bytes(b"\xff\xd8\xff")
    image = {"path": "sports-day.jpg", "shows_children": True, "consent": False}
    path = write_labelled(tmp_path / "labelled.jsonl", [
        {"text": "Sports day!", "images": [image], "labels": ["pupil_identification"]}])
    result = invoke("eval", str(path), "--school", SCHOOL, "--json")
    assert result.exit_code == 0, result.stderr


def test_eval_names_the_file_line_and_field_of_a_bad_line_and_exits_2(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "labelled.jsonl", [
        {"text": "Lovely walk today.", "labels": []},
        {"text": "Lovely walk today.", "labels": [], "posted_at": "yesterday"}])
    result = invoke("eval", str(path), "--school", SCHOOL)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: E304 {path}:2, field posted_at: bad time stamp")
    assert result.stdout == ""


def test_eval_names_an_unknown_category_in_the_labels(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "labelled.jsonl", [
        {"text": "You are a disgrace, Mr B.", "labels": ["bullying"]}])
    result = invoke("eval", str(path), "--school", SCHOOL)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: E310 {path}:1, field labels: unknown category 'bullying' in labels")


def test_eval_reports_every_bad_line_at_once(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "labelled.jsonl", [
        '{"text": "Harvest Festival today", "labels": []',
        {"text": "Christmas Fair on Saturday!"},
        {"text": "Nativity play tickets", "labels": "abusive"},
        {"text": "Fine", "labels": []}])
    lines = invoke("eval", str(path), "--school", SCHOOL).stderr.splitlines()
    starts = [f"error: E301 {path}:1: not valid JSON", f"error: E303 {path}:2, field labels:",
              f"error: E307 {path}:3, field labels:"]
    assert len(lines) == len(starts)
    assert all(line.startswith(start) for line, start in zip(lines, starts, strict=True))


def test_eval_of_a_file_with_no_posts_says_so(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "labelled.jsonl", [""])
    result = invoke("eval", str(path), "--school", SCHOOL)
    assert result.exit_code == 2
    assert "E407" in result.stderr and "has no posts" in result.stderr


class FragileChecker(Checker):
    """Fails on any post containing 'boom', as a detector bug would."""

    def check_many(self, posts: Sequence[Post]) -> list[CheckResult]:
        if any("boom" in post.text for post in posts):
            raise RuntimeError("detector fell over")
        return super().check_many(posts)


def test_a_post_that_breaks_the_engine_is_named_and_stops_the_evaluation(
        setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Setup, "checker",
                        lambda self: FragileChecker(self.school, pack=self.pack))
    path = write_labelled(tmp_path / "labelled.jsonl", [
        {"text": "fine", "labels": []}, {"text": "boom", "labels": ["abusive"]}])
    with pytest.raises(ErrorList) as raised:
        evaluate_file(path, setup)
    assert [error.code.name for error in raised.value.errors] == ["E309"]
    assert raised.value.errors[0].location.line == 2
