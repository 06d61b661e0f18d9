"""Teach the cascade's gate to recognise the posts the transformer would pass as clean.

    training/.venv/bin/python training/distil_gate.py [MODEL_DIR]   (train.py runs it too)

A gate fitted to the human labels was too unsure to settle many posts (96% went on to
the transformer). This one learns the shipped transformer's own decisions on the training
texts, with two heads:

- ``abuse``: does the transformer put offensive or hate at 0.5 or more? Its floor is set on the
  validation texts so that the gate passes on 98% of the posts the transformer flags; posts
  below the floor skip the transformer.
- ``negative``: does the tone head reach 0.5? It has no floor: it stands in for the tone head on
  the posts the gate settles, so tone alone never costs a transformer call (the engine also
  reads tone with VADER). An earlier gate with one head for any of the three sent 45% of the
  benchmark's posts to the transformer, most of them for tone alone or for nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from data import Corpus, load
from shared import terms

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from postguard.engine.models import classifier  # noqa: E402

RECALL = 0.98


def decisions(scores: classifier.HeadScores) -> dict[str, int]:
    """What a cascade stage learns from the whole model: does it put offensive or hate at 0.5
    or more (abuse), and tone at 0.5 or more (negative)?"""
    return {"abuse": int(max(scores.offensive, scores.hate) >= 0.5),
            "negative": int(scores.negative >= 0.5)}


def floor_for_recall(probabilities: np.ndarray, teacher: np.ndarray, recall: float) -> float:
    """The lowest score that still keeps ``recall`` of the teacher's positives at or above it."""
    positives = np.sort(probabilities[teacher == 1])
    return float(positives[int((1 - recall) * len(positives))])


def stage_report(probabilities: dict[str, np.ndarray], teacher: dict[str, np.ndarray],
                 floor: float, recall: float) -> dict:
    """How well a stage's heads follow the teacher on validation posts, and how many it settles
    (those with ``abuse`` below the floor)."""
    settled = probabilities["abuse"] < floor
    report: dict = {"validation_posts": len(settled)}
    for head in ("abuse", "negative"):
        report[head] = {
            "teacher_positive_share": round(float(teacher[head].mean()), 3),
            "auc_against_teacher": round(float(roc_auc_score(teacher[head],
                                                             probabilities[head])), 4),
        }
    report["abuse"].update({"floor": round(floor, 4), "recall_of_teacher_positives": recall,
                            "settled": round(float(settled.mean()), 3)})
    # Where tone matters: on the posts the stage settles, how often it agrees with the teacher.
    report["negative"]["agreement_on_settled_posts"] = round(float(np.mean(
        (probabilities["negative"][settled] >= 0.5) == (teacher["negative"][settled] == 1))), 4)
    return report


def write_stage(out: Path, file_name: str, spec: dict, report_key: str, report: dict) -> None:
    """A cascade stage's spec beside the model, and its figures in validation.json."""
    (out / file_name).write_text(json.dumps(spec, separators=(",", ":")))
    validation = json.loads((out / "validation.json").read_text())
    validation[report_key] = report
    (out / "validation.json").write_text(json.dumps(validation, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def teacher_decisions(model: classifier.LanguageModel, texts: list[str]) -> dict[str, np.ndarray]:
    """Per gate head, 1 where the transformer reaches 0.5 (see ``decisions``)."""
    found: dict[str, list[int]] = {"abuse": [], "negative": []}
    for start in range(0, len(texts), 256):
        rows = model._run([classifier.clean(t) for t in texts[start:start + 256]])
        for row in rows:
            for head, decision in decisions(model._from_logits(row)).items():
                found[head].append(decision)
        print(f"teacher {start + len(rows)}/{len(texts)}", flush=True)
    return {head: np.array(values) for head, values in found.items()}


def fit_head(x_train, y_train: np.ndarray) -> LogisticRegression:
    head = LogisticRegression(C=8.0, max_iter=3000)
    head.fit(x_train, y_train)
    return head


def main(data: Path = ROOT.parent / "shared" / "data", out: Path = classifier.MODEL_DIR,
         corpus: Corpus | None = None) -> dict:
    corpus = corpus or load(data)
    model = classifier.LanguageModel(out)
    train_texts = list(dict.fromkeys(ex.text for ex in corpus.train))  # repeats count once
    valid_texts = [ex.text for examples in corpus.validation.values() for ex in examples]
    y_train = teacher_decisions(model, train_texts)
    y_valid = teacher_decisions(model, valid_texts)

    vectorizer = TfidfVectorizer(analyzer=terms, min_df=2, sublinear_tf=True,
                                 max_features=60000)
    x_train = vectorizer.fit_transform(train_texts)
    x_valid = vectorizer.transform(valid_texts)
    heads = {name: fit_head(x_train, y_train[name]) for name in ("abuse", "negative")}
    probs = {name: head.predict_proba(x_valid)[:, 1] for name, head in heads.items()}
    floor = floor_for_recall(probs["abuse"], y_valid["abuse"], RECALL)
    report = stage_report(probs, y_valid, floor, RECALL)
    vocabulary = vectorizer.vocabulary_

    def spec_of(head: LogisticRegression, floor: float | None) -> dict:
        weights = {term: round(float(head.coef_[0][column]), 5)
                   for term, column in vocabulary.items() if abs(head.coef_[0][column]) > 1e-4}
        return {"weights": weights, "bias": float(head.intercept_[0]), "floor": floor}

    # Every term keeps its idf, weighted or not: the vector's length depends on all of them.
    spec = {"idf": {term: round(float(vectorizer.idf_[column]), 5)
                    for term, column in vocabulary.items()},
            "heads": {"abuse": spec_of(heads["abuse"], floor),
                      "negative": spec_of(heads["negative"], None)}}
    write_stage(out, "gate.json", spec, "gate", report)
    return report


if __name__ == "__main__":
    main(out=Path(sys.argv[1]) if len(sys.argv) > 1 else classifier.MODEL_DIR)
