"""Would a word-and-character model trained on the gold labels add to the transformer?

    training/.venv/bin/python training/stack_lexical.py [MODEL_DIR]

Ensembles of a fine-tuned transformer with a tf-idf logistic regression sometimes gain a point
on shared tasks, and such a model costs microseconds. This measures it for the shipped model:
per head judged on two sources (``offensive``: TweetEval offensive and HateXplain toxic vs
normal; ``hate``: TweetEval hate and HateXplain hate), a logistic regression over word 1-2-grams
and character 2-5-grams is fitted to the same training table as the transformer, and its logit
is added, with weight ``a``, to the shipped model's calibrated logit. For each weight it reports
the best shared threshold's mean macro-F1 (how the engine decides), each set's macro-F1 there,
and each set's own best macro-F1 and AUC. Validation figures only, written to
training/stack_lexical.json. The gate's own tf-idf models are distilled from the transformer's
decisions; these learn from the labels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

from calibrate import SOURCES, logits_of
from data import MISSING, Example, load
from train import best_threshold, shared_threshold, sigmoid

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from postguard.engine.models import classifier  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "stack_lexical.json"
WEIGHTS = (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
STRENGTHS = (1.0, 4.0)  # the regression's C


class Lexical:
    def __init__(self, texts: list[str]) -> None:
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                     max_features=200_000)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                     sublinear_tf=True, max_features=300_000)
        self.words.fit(texts)
        self.chars.fit(texts)

    def features(self, texts: list[str]) -> csr_matrix:
        return hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()


def main(directory: Path = classifier.MODEL_DIR,
         data: Path = ROOT.parent / "shared" / "data") -> dict:
    corpus = load(data)
    config = json.loads((directory / "config.json").read_text())
    model = classifier.LanguageModel(directory, threads=2)
    logits = logits_of(model, corpus)
    results: dict = {"model": config["training"], "weights": list(WEIGHTS), "heads": {}}
    for head in ("offensive", "hate"):
        calibration = config["calibration"][head]
        column = config["columns"].index(head)
        learn: list[Example] = [ex for ex in corpus.train if ex.label(head) != MISSING]
        lexical = Lexical([ex.text for ex in learn])
        x_learn = lexical.features([ex.text for ex in learn])
        y_learn = np.array([ex.label(head) for ex in learn])
        sets = []
        for name, label in SOURCES[head]:
            examples = corpus.validation[name]
            calibrated = (logits[name][:, column] / calibration["temperature"]
                          - calibration["shift"])
            sets.append((f"{name}/{label}", np.array([ex.label(label) for ex in examples]),
                         calibrated, lexical.features([ex.text for ex in examples])))
        results["heads"][head] = {}
        for strength in STRENGTHS:
            regression = LogisticRegression(C=strength, max_iter=2000).fit(x_learn, y_learn)
            lexical_logits = [regression.decision_function(x) for _, _, _, x in sets]
            rows = []
            for weight in WEIGHTS:
                parts = [(truth, sigmoid(calibrated + weight * extra))
                         for (_, truth, calibrated, _), extra in zip(sets, lexical_logits,
                                                                     strict=True)]
                threshold, mean_f1 = shared_threshold(parts)
                row: dict = {"weight": weight, "shared_threshold": round(threshold, 2),
                             "mean_macro_f1_at_shared": round(mean_f1, 4)}
                for (name, _, _, _), (truth, probs) in zip(sets, parts, strict=True):
                    row[name] = {
                        "macro_f1_at_shared": round(macro_f1_at(truth, probs, threshold), 4),
                        "macro_f1_at_own_best": round(best_threshold(truth, probs)[1], 4),
                        "auc": round(float(roc_auc_score(truth, probs)), 4)}
                rows.append(row)
                print(head, f"C={strength}", json.dumps(row), flush=True)
            results["heads"][head][f"C={strength}"] = rows
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    return results


def macro_f1_at(truth: np.ndarray, probs: np.ndarray, threshold: float) -> float:
    return float(f1_score(truth, probs >= threshold, average="macro"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else classifier.MODEL_DIR)
