"""The cascade's gate: a linear model over words that settles the clear cases cheaply.

Posts the gate calls clearly clean skip the transformer; everything else goes through it. The
gate's thresholds are set on validation data so that it passes on almost every post that is
offensive, hateful or negative.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

from data import MISSING, Corpus
from shared import terms

GATE_HEADS = {"offensive": [("offensive", "offensive"), ("hatexplain", "toxic")],
              "hate": [("hate", "hate"), ("hatexplain", "hate")],
              "negative": [("negative", "negative")]}
RECALL = 0.97


def train_and_write(corpus: Corpus, path: Path) -> dict:
    vectorizer = TfidfVectorizer(analyzer=terms, min_df=3, sublinear_tf=True,
                                 max_features=30000)
    vectorizer.fit([ex.text for ex in corpus.train])
    vocabulary = vectorizer.vocabulary_
    out = {"idf": {}, "heads": {}}
    report = {}
    for term, column in vocabulary.items():
        out["idf"][term] = round(float(vectorizer.idf_[column]), 5)
    for head, validation in GATE_HEADS.items():
        rows = [ex for ex in corpus.train if ex.label(head) != MISSING]
        x = vectorizer.transform([ex.text for ex in rows])
        y = np.array([ex.label(head) for ex in rows])
        model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        model.fit(x, y)
        texts = [ex.text for name, label in validation for ex in corpus.validation[name]]
        labels = np.array([ex.label(label) for name, label in validation
                           for ex in corpus.validation[name]])
        probs = model.predict_proba(vectorizer.transform(texts))[:, 1]
        # The lowest threshold still clearing RECALL of the true positives: the gate's "unsure".
        positives = np.sort(probs[labels == 1])
        floor = float(positives[int((1 - RECALL) * len(positives))])
        passed = float(np.mean(probs >= floor))
        weights = {term: round(float(model.coef_[0][column]), 5)
                   for term, column in vocabulary.items() if abs(model.coef_[0][column]) > 1e-4}
        out["heads"][head] = {"weights": weights, "bias": float(model.intercept_[0]),
                              "floor": floor}
        report[head] = {"auc": round(float(roc_auc_score(labels, probs)), 4),
                        "macro_f1_at_0.5": round(float(f1_score(labels, probs >= 0.5,
                                                                average="macro")), 4),
                        "floor": round(floor, 4), "validation_passed_to_model": round(passed, 3)}
    path.write_text(json.dumps(out, separators=(",", ":")))
    return report
