"""Teach the cascade's gate to recognise the posts the transformer would pass as clean.

    training/.venv/bin/python training/distil_gate.py      (train.py runs it at the end too)

A gate fitted to the human labels was too unsure to settle many posts (96% went on to
the transformer). This one learns the shipped transformer's own decision (does any head reach
0.5?) on the training texts, and its floor is set on the validation texts so that it passes on
98% of the posts the transformer flags. Posts below the floor skip the transformer.
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


def teacher_decisions(model: classifier.LanguageModel, texts: list[str]) -> np.ndarray:
    """1 where the transformer puts any head at or above 0.5."""
    decisions = []
    for start in range(0, len(texts), 256):
        rows = model._run([classifier.clean(t) for t in texts[start:start + 256]])
        for row in rows:
            scores = model._from_logits(row)
            decisions.append(int(max(scores.offensive, scores.hate, scores.negative) >= 0.5))
        print(f"teacher {start + len(rows)}/{len(texts)}", flush=True)
    return np.array(decisions)


def main(data: Path = ROOT.parent / "shared" / "data", out: Path = classifier.MODEL_DIR,
         corpus: Corpus | None = None) -> dict:
    corpus = corpus or load(data)
    model = classifier.LanguageModel(out)
    train_texts = [ex.text for ex in corpus.train]
    valid_texts = [ex.text for examples in corpus.validation.values() for ex in examples]
    y_train = teacher_decisions(model, train_texts)
    y_valid = teacher_decisions(model, valid_texts)

    vectorizer = TfidfVectorizer(analyzer=terms, min_df=2, sublinear_tf=True,
                                 max_features=60000)
    x_train = vectorizer.fit_transform(train_texts)
    gate = LogisticRegression(C=8.0, max_iter=3000)
    gate.fit(x_train, y_train)
    probs = gate.predict_proba(vectorizer.transform(valid_texts))[:, 1]
    positives = np.sort(probs[y_valid == 1])
    floor = float(positives[int((1 - RECALL) * len(positives))])
    report = {
        "teacher_positive_share": round(float(y_valid.mean()), 3),
        "auc_against_teacher": round(float(roc_auc_score(y_valid, probs)), 4),
        "floor": round(floor, 4),
        "recall_of_teacher_positives": RECALL,
        "validation_passed_to_model": round(float(np.mean(probs >= floor)), 3),
    }
    vocabulary = vectorizer.vocabulary_
    weights = {term: round(float(gate.coef_[0][column]), 5) for term, column in vocabulary.items()
               if abs(gate.coef_[0][column]) > 1e-4}
    # Every term keeps its idf, weighted or not: the vector's length depends on all of them.
    spec = {"idf": {term: round(float(vectorizer.idf_[column]), 5)
                    for term, column in vocabulary.items()},
            "heads": {"any": {"weights": weights, "bias": float(gate.intercept_[0]),
                              "floor": floor}}}
    (out / "gate.json").write_text(json.dumps(spec, separators=(",", ":")))
    validation = json.loads((out / "validation.json").read_text())
    validation["gate"] = {"any": report}
    (out / "validation.json").write_text(json.dumps(validation, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
