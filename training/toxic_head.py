"""Does a toxic head of its own let the engine serve tweets and Gab posts better? A test.

    training/.venv/bin/python training/train.py --data ../shared/data --weights-only \\
        --toxic-head --out training/runs/tox13
    training/.venv/bin/python training/toxic_head.py training/runs/tox13

(``--teacher`` as well would distil the teacher into the offensive head; not yet tried.)

The engine makes one decision, "abusive", for tweets (OLID's idea of offensive, which counts
untargeted swearing) and for Gab and Twitter posts (HateXplain's toxic, which counts much less
of it as such). With one offensive head it reads one calibrated score at one threshold, the one
with the best mean of the two sets' macro-F1, and each set pays for the other's (about 2 points
each, see validation.json's ``shipped``). ``train.py --toxic-head`` learns OLID's idea in the
offensive head and every source's in a toxic head; this asks how well the
engine could then decide, on validation data only: the offensive column alone at one shared
threshold (as now), and "offensive or toxic" with the pair of thresholds that has the best mean.
Figures (fp32 weights, before quantisation) go to training/toxic_head.json, with the run's own
run.json (its settings and history) under ``run``. A toxic-head model is not shipped: the
engine does not read the column.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score

from data import load
from train import TOXIC_COLUMNS, columns_of, new_model, predict, shared_threshold, sigmoid

RESULTS = Path(__file__).resolve().parent / "toxic_head.json"
# The two sets the engine's one decision serves: (validation set, label).
SETS = (("offensive", "offensive"), ("hatexplain", "toxic"))
GRID = np.linspace(0.05, 0.95, 91)


def macro_f1(labels: np.ndarray, found: np.ndarray) -> float:
    return float(f1_score(labels, found, average="macro"))


def either_rule(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> dict:
    """The (offensive, toxic) thresholds for "offensive or toxic" with the best mean of the
    sets' macro-F1; ``parts`` are (labels, offensive probabilities, toxic probabilities)."""
    best = {"mean_macro_f1": -1.0}
    for low in GRID:
        for high in GRID:
            scores = [macro_f1(labels, (offensive >= low) | (toxic >= high))
                      for labels, offensive, toxic in parts]
            if np.mean(scores) > best["mean_macro_f1"]:
                best = {"mean_macro_f1": round(float(np.mean(scores)), 4),
                        "offensive_threshold": round(float(low), 3),
                        "toxic_threshold": round(float(high), 3),
                        **{f"{name}/{label}": round(score, 4)
                           for (name, label), score in zip(SETS, scores, strict=True)}}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a folder of train.py --weights-only --toxic-head")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    run = json.loads((args.run / "run.json").read_text())
    if columns_of(run["training"]) != TOXIC_COLUMNS:
        raise SystemExit(f"{args.run}/run.json: not a --toxic-head run")
    corpus = load(Path(run["training"]["data"]))
    model, tokenizer = new_model(columns=TOXIC_COLUMNS)
    model.load_state_dict(torch.load(args.run / "selected.pt"))
    parts, shared = [], []
    for name, label in SETS:
        examples = corpus.validation[name]
        logits = predict(model, tokenizer, [ex.text for ex in examples],
                         int(run["training"]["max_length"]))
        labels = np.array([ex.label(label) for ex in examples])
        offensive = sigmoid(logits[:, TOXIC_COLUMNS.index("offensive")])
        toxic = sigmoid(logits[:, TOXIC_COLUMNS.index("toxic")])
        parts.append((labels, offensive, toxic))
        shared.append((labels, offensive))
    threshold, mean = shared_threshold(shared)
    result = {
        "offensive_column_alone": {
            "threshold": round(threshold, 3), "mean_macro_f1": round(mean, 4),
            **{f"{name}/{label}": round(macro_f1(labels, probs >= threshold), 4)
               for (name, label), (labels, probs) in zip(SETS, shared, strict=True)}},
        "offensive_or_toxic": either_rule(parts),
        "run": run,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "run"}, indent=2))


if __name__ == "__main__":
    main()
