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


def teacher_decisions(model: classifier.LanguageModel, texts: list[str]) -> dict[str, np.ndarray]:
    """Per gate head, 1 where the transformer reaches 0.5 (abuse: offensive or hate)."""
    abuse, negative = [], []
    for start in range(0, len(texts), 256):
        rows = model._run([classifier.clean(t) for t in texts[start:start + 256]])
        for row in rows:
            scores = model._from_logits(row)
            abuse.append(int(max(scores.offensive, scores.hate) >= 0.5))
            negative.append(int(scores.negative >= 0.5))
        print(f"teacher {start + len(rows)}/{len(texts)}", flush=True)
    return {"abuse": np.array(abuse), "negative": np.array(negative)}


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
    positives = np.sort(probs["abuse"][y_valid["abuse"] == 1])
    floor = float(positives[int((1 - RECALL) * len(positives))])
    passed = probs["abuse"] >= floor
    settled = ~passed
    report = {
        "abuse": {
            "teacher_positive_share": round(float(y_valid["abuse"].mean()), 3),
            "auc_against_teacher": round(float(roc_auc_score(y_valid["abuse"], probs["abuse"])),
                                         4),
            "floor": round(floor, 4),
            "recall_of_teacher_positives": RECALL,
            "validation_passed_to_model": round(float(passed.mean()), 3),
        },
        "negative": {
            "teacher_positive_share": round(float(y_valid["negative"].mean()), 3),
            "auc_against_teacher": round(float(roc_auc_score(y_valid["negative"],
                                                             probs["negative"])), 4),
            # Where it matters: on the posts the gate settles, how often it agrees.
            "agreement_on_settled_posts": round(float(np.mean(
                (probs["negative"][settled] >= 0.5) == (y_valid["negative"][settled] == 1))), 4),
        },
    }
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
    (out / "gate.json").write_text(json.dumps(spec, separators=(",", ":")))
    validation = json.loads((out / "validation.json").read_text())
    validation["gate"] = report
    (out / "validation.json").write_text(json.dumps(validation, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main(out=Path(sys.argv[1]) if len(sys.argv) > 1 else classifier.MODEL_DIR)
