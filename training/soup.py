"""Average the weights of runs that started from the same weights (a model soup), and ship the
soup only if it beats each run and is no worse than the model now shipped.

    training/.venv/bin/python training/train.py --out training/runs/a --weights-only
    training/.venv/bin/python training/train.py --out training/runs/b --order-seed 21 \\
        --weights-only
    training/.venv/bin/python training/soup.py training/runs/a training/runs/b

Runs made with the same ``--seed`` start from the same weights and differ only in the order of
their batches and their dropout (``--order-seed``). Fine-tuned from one starting point, such runs
usually stay in one basin of the loss, and the mean of their weights behaves like an ensemble of
them at the cost of one model (Wortsman et al. 2022, "Model soups"). Whether it does here is
measured, not assumed: every run alone and the soup are scored with train.py's selection score
on the validation sets, and the soup is written to the engine's folder (or ``--out``) only if it
scores best, and no lower than the shipped model's own selection score.

On a 2-core machine, two ``--weights-only`` runs side by side, each started with
``OMP_NUM_THREADS=1``, finish sooner than the same runs one after the other on two threads.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

import train
from data import load

# Settings that must agree for runs' weights to be averaged (everything but the batch order).
SAME = ("seed", "epochs", "batch_size", "lr", "max_length", "davidson_sample",
        "hatexplain_repeat", "data", "limit", "teacher", "distil_weight", "toxic_head")
# What a setting a run predates reads as: how train.py records it unset.
UNSET = {"toxic_head": "False"}


class SoupError(SystemExit):
    pass


def read_run(folder: Path) -> dict:
    run_file, weights = folder / "run.json", folder / "selected.pt"
    for needed in (run_file, weights):
        if not needed.exists():
            raise SoupError(f"{needed}: missing; make the run with train.py --weights-only "
                            f"--out {folder}")
    run: dict = json.loads(run_file.read_text())
    return run


def order_seed(run: dict) -> str:
    order: str = run["training"].get("order_seed", "None")
    return run["training"]["seed"] if order == "None" else order


def setting(run: dict, key: str) -> str:
    """A run's setting as train.py recorded it; one the run predates counts as unset."""
    value: str = run["training"].get(key, UNSET.get(key, "None"))
    return value


def check_compatible(runs: dict[Path, dict]) -> dict[str, str]:
    """The runs' shared settings; refuses runs that did not start from the same weights."""
    first_folder, first = next(iter(runs.items()))
    for folder, run in runs.items():
        differing = [key for key in SAME if setting(run, key) != setting(first, key)]
        if differing:
            raise SoupError(f"{folder}/run.json: not the same {', '.join(differing)} as "
                            f"{first_folder}/run.json; only runs that differ in --order-seed "
                            "can be averaged")
    return dict(first["training"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=Path, nargs="+", help="folders of train.py --weights-only")
    parser.add_argument("--out", type=Path, default=train.OUT)
    parser.add_argument("--shipped", type=Path, default=train.OUT / "validation.json",
                        help="the model the soup must beat (its validation.json)")
    args = parser.parse_args(argv)
    if len(args.runs) < 2:
        raise SoupError("a soup needs at least two runs")
    started = time.time()
    runs = {folder: read_run(folder) for folder in args.runs}
    settings = check_compatible(runs)
    corpus = load(Path(settings["data"]), davidson_sample=int(settings["davidson_sample"]),
                  seed=int(settings["seed"]),
                  hatexplain_repeat=int(settings["hatexplain_repeat"]))

    model, tokenizer = train.new_model(columns=train.columns_of(settings))
    max_length = int(settings["max_length"])

    states = {folder: torch.load(folder / "selected.pt") for folder in args.runs}
    candidates = {f"run {folder.name} (order seed {order_seed(run)})": states[folder]
                  for folder, run in runs.items()}
    soup_name = "soup of " + ", ".join(folder.name for folder in args.runs)
    candidates[soup_name] = train.average_states(list(states.values()))
    history, best = [], None
    for name, state in candidates.items():
        model.load_state_dict(state)
        report = train.evaluate(model, tokenizer, corpus, max_length)
        score = train.selection_score(report)
        history.append({"step": name, "selection": round(score, 4),
                        **{k: v for k, v in report.items() if not k.startswith("_")}})
        print(json.dumps(history[-1]), flush=True)
        if best is None or score > best[0]:
            best = (score, name, report, state)
    assert best is not None
    score, name, report, state = best
    shipped = (json.loads(args.shipped.read_text()).get("selection_score")
               if args.shipped.exists() else None)
    (args.runs[0].parent / "soup.json").write_text(json.dumps(
        {"shipped_selection_score": shipped, "candidates": history}, indent=2) + "\n")
    # A tie with the shipped model is that model made again: written, so that the README's
    # commands reproduce it.
    if name != soup_name or (shipped is not None and score < shipped):
        print(f"kept nothing: the best candidate is {name} ({score:.4f}); the shipped model "
              f"scores {shipped}")
        return
    print(f"shipping {name} ({score:.4f} against {shipped} shipped) to {args.out}")
    model.load_state_dict(state)
    first = next(iter(runs.values()))
    # The runs may have run side by side: the longest, not their sum, is how long it took.
    minutes = max(run["minutes"] for run in runs.values()) + (time.time() - started) / 60
    # Each run's own settings, less what only concerned that run.
    shared = {k: v for k, v in settings.items() if k not in ("order_seed", "weights_only", "out")}
    training: dict = {**shared, "soup": [
        {"run": str(folder), "order_seed": order_seed(run)} for folder, run in runs.items()]}
    train.ship(model, tokenizer, corpus, report, score, history, out=args.out,
               data=Path(settings["data"]), max_length=max_length, training=training,
               minutes=minutes, trained_on=first["machine"])


if __name__ == "__main__":
    main()
