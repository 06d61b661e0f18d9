"""How well PostGuard finds abusive and discriminatory posts, next to alt-profanity-check.

    make bench-accuracy
    python benchmarks/bench_accuracy.py [--data ../shared/data] [--workers 1] [--limit N]
                                        [--classifiers on|off] [--json FIGURES.json]

Measured on the VALIDATION splits of the public labelled data beside the project (see
../shared/data/README.md); the test splits are held elsewhere and are never read here:

- TweetEval offensive, val: offensive -> labels ["abusive"], else [];
- TweetEval hate, val: hate -> ["discriminatory"], else [];
- HateXplain, val: the majority of the annotators' labels; hatespeech -> ["abusive",
  "discriminatory"], offensive -> ["abusive"], normal -> []; the text is ``post_tokens`` joined
  by spaces. A post with no majority would be left out (the split has none).

Each set is written as a labelled JSON Lines file in a temporary folder and given to the real
command, ``postguard eval FILE --school DEMO --json`` (a subprocess), with the demo school and its
pack. alt-profanity-check's ``predict_prob`` is run on the same texts: a probability of 0.5 or more
counts as both abusive and discriminatory, and the probability is its score for both.

On HateXplain, whose labels cover both language categories, "toxic vs normal" is also given: any
label against any finding (PostGuard) or a probability of 0.5 or more (alt-profanity-check).

The posts are text only, with no author, time or account: rules about pupils, the school, working
time or official accounts cannot fire, so this measures the language categories. Texts keep their
user placeholders (``@user`` in TweetEval, ``<user>`` in HateXplain).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postguard.engine.checker import Checker
from postguard.engine.post import Post
from postguard.evaluation import SCORE_SOURCES, Outcome, Report, evaluate, precision, recall
from postguard.school.loader import demo_school_dir, load_demo_school

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
BASELINE_THRESHOLD = 0.5
HATEXPLAIN_LABELS = {0: ["abusive", "discriminatory"], 1: [], 2: ["abusive"]}  # hate, normal, off.


@dataclass
class DataSet:
    name: str
    records: list[dict[str, Any]]  # id, text, labels
    left_out: int = 0  # posts with no majority label
    toxic_vs_normal: bool = False  # labels cover both language categories: report any vs none


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]  # the files end with a newline


def tweeteval(data: Path, task: str, category: str) -> DataSet:
    folder = data / "tweeteval" / task
    texts = _lines(folder / "val_text.txt")
    labels = [int(value) for value in _lines(folder / "val_labels.txt")]
    if len(texts) != len(labels):
        raise SystemExit(f"{folder}: {len(texts)} texts but {len(labels)} labels")
    records = [{"id": f"{task}-{number}", "text": text.strip(),
                "labels": [category] if label == 1 else []}
               for number, (text, label) in enumerate(zip(texts, labels, strict=True), 1)]
    return DataSet(f"TweetEval {task} (val)", records)


def held_out_half(identifier: str) -> bool:
    """training/data.py trains on half of HateXplain's validation split (hashed by id); only the
    other half, which the classifiers never saw, is fit to measure them on."""
    return hashlib.sha256(identifier.encode()).digest()[0] % 2 == 1


def hatexplain(data: Path) -> DataSet:
    records = []
    left_out = 0
    with (data / "hatexplain" / "val.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not held_out_half(row["id"]):
                continue
            votes = Counter(ast.literal_eval(row["annotators"])["label"])
            (label, count), = votes.most_common(1)
            if count * 2 <= sum(votes.values()):
                left_out += 1
                continue
            text = " ".join(ast.literal_eval(row["post_tokens"]))
            records.append({"id": row["id"], "text": text, "labels": HATEXPLAIN_LABELS[label]})
    return DataSet("HateXplain (val, held-out half)", records, left_out, toxic_vs_normal=True)


def postguard_command() -> list[str]:
    installed = Path(sys.executable).with_name("postguard")
    if installed.exists():
        return [str(installed)]
    return [sys.executable, "-c", "import sys; from postguard.cli import main; main(sys.argv[1:])"]


def run_eval(path: Path, workers: int) -> dict[str, Any]:
    command = [*postguard_command(), "eval", str(path), "--school",
               str(demo_school_dir() / "school.yaml"), "--json", "--quiet",
               "--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"postguard eval failed (exit {done.returncode}):\n{done.stderr}")
    body: dict[str, Any] = json.loads(done.stdout)
    return body


def baseline(records: Sequence[dict[str, Any]]) -> Report:
    from profanity_check import predict_prob

    probabilities = predict_prob([record["text"] for record in records])
    outcomes = []
    for record, probability in zip(records, probabilities, strict=True):
        score = float(probability)
        found = {"abusive", "discriminatory"} if score >= BASELINE_THRESHOLD else set()
        outcomes.append(Outcome(frozenset(record["labels"]), frozenset(found),
                                {"abusive": score, "discriminatory": score}))
    return evaluate(outcomes)


def trained_model() -> str:
    setting = os.environ.get("POSTGUARD_CLASSIFIERS", "on")
    try:
        from postguard.engine.models.classifier import model_available
    except ImportError:
        return "no trained classifier in this version"
    if setting.lower() == "off":
        return "trained classifiers off (POSTGUARD_CLASSIFIERS=off)"
    return "trained classifiers on" if model_available() else \
        "trained classifiers on but no model files installed: first-version scorer"


def engine_state() -> str:
    def git(*args: str) -> str:
        # Not stripped: a porcelain line's status column may begin with a space (" M src/...").
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=False)
        return done.stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines()
               if line.strip()]
    tree = f"uncommitted changes in {', '.join(changed)}" if changed else "clean tree"
    checker = Checker(load_demo_school())
    scores = ", ".join(sorted(checker.check(Post(text="A quick look at the scores.")).scores))
    return (f"commit {commit} ({tree}); {len(checker.detectors)} detectors; pack "
            f"{checker.pack.id}, {len(checker.pack.rules)} rules; {trained_model()}; model "
            f"scores given: {scores or 'none'}")


def figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def pair(first: float | None, second: float | None) -> str:
    return f"{figure(first)} / {figure(second)}"


def table(results: Sequence[tuple[DataSet, dict[str, Any], Report]]) -> list[str]:
    rows = ["| data set (validation split) | category | labelled | PostGuard P / R | "
            "PostGuard F1 | PostGuard macro-F1 | PostGuard AUC | alt-profanity-check P / R | "
            "alt-profanity-check F1 | alt-profanity-check macro-F1 | alt-profanity-check AUC |",
            "|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|"]
    for data_set, ours, theirs in results:
        name = f"{data_set.name}, {len(data_set.records):,} posts"
        by_category = {item.category: item for item in theirs.categories}
        for category in ours["labelled_categories"]:
            mine, other = ours["categories"][category], by_category[category]
            rows.append(f"| {name} | {category} | {mine['support']:,} | "
                        f"{pair(mine['precision'], mine['recall'])} | {figure(mine['f1'])} | "
                        f"**{figure(mine['macro_f1'])}** | {figure(mine['auc'])} | "
                        f"{pair(other.precision, other.recall)} | {figure(other.f1)} | "
                        f"**{figure(other.macro_f1)}** | {figure(other.auc)} |")
        if len(ours["labelled_categories"]) > 1:
            rows.append(f"| {name} | mean F1 over the labelled categories | | | "
                        f"{figure(ours['macro_f1'])} | | | | {figure(theirs.macro_f1)} | | |")
        if not data_set.toxic_vs_normal:
            continue
        flagged, other_flagged = ours["flagged"], theirs.flagged.counts
        rows.append(f"| {name} | toxic vs normal (toxic: any label; PostGuard: any "
                    f"finding) | {flagged['support']:,} | "
                    f"{pair(flagged['precision'], flagged['recall'])} | "
                    f"{figure(flagged['f1'])} | **{figure(flagged['macro_f1'])}** | | "
                    f"{pair(precision(other_flagged), recall(other_flagged))} | "
                    f"{figure(theirs.flagged.flagged_f1)} | "
                    f"**{figure(theirs.flagged.macro_f1)}** | |")
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="the shared data folder (default: ../shared/data beside the repo)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes for postguard eval (1)")
    parser.add_argument("--limit", type=int, help="only the first N posts of each set (a quick "
                                                  "look; the figures are not comparable)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--classifiers", choices=("on", "off"),
                        help="the trained classifiers (on) or the first-version scorer (off); "
                             "default: as POSTGUARD_CLASSIFIERS says (on)")
    args = parser.parse_args(argv)
    if args.classifiers:
        # Read by the language detector, here and in the eval subprocesses.
        os.environ["POSTGUARD_CLASSIFIERS"] = args.classifiers

    sets = [tweeteval(args.data, "offensive", "abusive"),
            tweeteval(args.data, "hate", "discriminatory"), hatexplain(args.data)]
    if args.limit:
        for data_set in sets:
            data_set.records = data_set.records[: args.limit]
    state = engine_state()
    results = []
    with tempfile.TemporaryDirectory(prefix="postguard-accuracy-") as folder:
        for data_set in sets:
            path = Path(folder) / (data_set.name.split(" (")[0].replace(" ", "-") + ".jsonl")
            with path.open("w", encoding="utf-8") as handle:
                for record in data_set.records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(f"postguard eval on {data_set.name}, {len(data_set.records):,} posts...",
                  file=sys.stderr)
            ours = run_eval(path, args.workers)
            print("alt-profanity-check on the same posts...", file=sys.stderr)
            results.append((data_set, ours, baseline(data_set.records)))

    sources = "; ".join(f"{name} ← max of {', '.join(found)}" if len(found) > 1
                        else f"{name} ← {found[0]}" for name, found in SCORE_SOURCES.items())
    print()
    print("These are VALIDATION splits (../shared/data); the private test sets are held "
          "elsewhere.  ")
    print(f"Engine: {state}.  ")
    print("PostGuard: `postguard eval` with the demo school; a category is found when a post has "
          f"a finding of it; AUC from the model scores ({sources}), — where the engine gives none. "
          "Posts are text only (no author, time or account), so the rules about pupils, the "
          "school and working time cannot fire; texts keep their @user / <user> placeholders.  ")
    print(f"alt-profanity-check: `predict_prob` ≥ {BASELINE_THRESHOLD} counts as both abusive "
          "and discriminatory; its probability is its score for both.  ")
    print("F1 is the category's own (posts with it); macro-F1 is the mean of that and the F1 of "
          "the posts without it, as OffensEval, HatEval and HateXplain score a yes/no task, and "
          "so the figure to set beside published ones.")
    left_out = [f"{data_set.name}: {data_set.left_out} with no majority label left out"
                for data_set in sets if data_set.left_out]
    if left_out:
        print("; ".join(left_out) + ".")
    print()
    for row in table(results):
        print(row)
    others = []
    for data_set, ours, _ in results:
        extra = [f"{name} {row['predicted']:,}" for name, row in ours["categories"].items()
                 if name not in ours["labelled_categories"]]
        if extra:
            others.append(f"{data_set.name}: {', '.join(extra)}")
    if others:
        print()
        print("PostGuard findings in categories a set does not label (left out of its rows above; "
              "toxic vs normal counts any finding): " + "; ".join(others) + ".")
    if args.json:
        figures = {data_set.name: {"postguard": ours, "alt_profanity_check": theirs.as_dict()}
                   for data_set, ours, theirs in results}
        args.json.write_text(json.dumps({"engine": state, **figures}, indent=2))


if __name__ == "__main__":
    main()
