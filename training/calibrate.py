"""Calibrate the shipped (int8) model's heads on the validation sets, and measure it there.

    training/.venv/bin/python training/calibrate.py [MODEL_DIR]   (train.py runs it too)

Calibration is fitted to the quantised model's own logits, not to the trained weights before
export: quantisation moves logits a little, and the engine sees the quantised ones. Per head: a
temperature (least log loss), then a shift so that 0.5 is the threshold with the best macro-F1.
A head judged on two sources is calibrated on both at once, so that one threshold serves tweets
and Gab posts alike: ``offensive`` on TweetEval offensive and HateXplain toxic vs normal,
``hate`` on TweetEval hate and HateXplain hate; the threshold is the one with the best mean of
the sets' own macro-F1. The figures each set then gets at 0.5 are
written to validation.json under ``shipped``.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from data import Corpus, load
from train import best_threshold, fit_temperature, shared_threshold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from postguard.engine.models import classifier  # noqa: E402

# head -> the (validation set, label) pairs it is calibrated on
SOURCES = {
    "offensive": (("offensive", "offensive"), ("hatexplain", "toxic")),
    "hate": (("hate", "hate"), ("hatexplain", "hate")),
    "negative": (("negative", "negative"),),
}


def logits_of(model: classifier.LanguageModel, corpus: Corpus) -> dict[str, np.ndarray]:
    """The quantised model's raw logits for every validation post, one post per call as the
    engine runs it."""
    return {name: np.array([model._run([classifier.clean(ex.text)])[0] for ex in examples])
            for name, examples in corpus.validation.items()}


def main(directory: Path = classifier.MODEL_DIR, corpus: Corpus | None = None,
         data: Path = ROOT.parent / "shared" / "data") -> dict:
    corpus = corpus or load(data)
    config_file = directory / "config.json"
    config = json.loads(config_file.read_text())
    model = classifier.LanguageModel(directory, threads=2)
    logits = logits_of(model, corpus)
    columns = config["columns"]
    calibration = dict(config["calibration"])
    shipped: dict[str, dict] = {}
    for head, parts in SOURCES.items():
        column = columns.index(head)
        truths = {name: np.array([ex.label(label) for ex in corpus.validation[name]])
                  for name, label in parts}
        raws = {name: logits[name][:, column] for name, _ in parts}
        temperature = fit_temperature(np.concatenate(list(truths.values())),
                                      np.concatenate(list(raws.values())))
        threshold, f1 = shared_threshold(
            [(truths[name], 1 / (1 + np.exp(-raws[name] / temperature))) for name, _ in parts])
        shift = math.log(threshold / (1 - threshold))
        calibration[head] = {"temperature": temperature, "shift": shift,
                             "validation_macro_f1": round(f1, 4)}
        for name, label in parts:
            truth = truths[name]
            probs = 1 / (1 + np.exp(-(raws[name] / temperature - shift)))
            _, own_f1 = best_threshold(truth, probs)
            shipped[f"{name}/{label}"] = {
                "macro_f1_at_0.5": round(float(f1_score(truth, probs >= 0.5, average="macro")),
                                         4),
                "macro_f1_at_own_best": round(own_f1, 4),
                "auc": round(float(roc_auc_score(truth, probs)), 4), "n": len(truth),
            }
    # The targeted head is judged on OLID level B, which has no validation split: kept raw.
    calibration["targeted"] = {"temperature": 1.0, "shift": 0.0, "validation_macro_f1": None}
    config["calibration"] = calibration
    config_file.write_text(json.dumps(config, indent=2) + "\n")
    validation_file = directory / "validation.json"
    validation = json.loads(validation_file.read_text())
    validation["shipped"] = shipped
    validation_file.write_text(json.dumps(validation, indent=2) + "\n")
    print(json.dumps(shipped, indent=2))
    return shipped


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else classifier.MODEL_DIR)
