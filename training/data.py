"""Read the labelled sets in ../shared/data into one multi-task table.

Every example carries a label for the heads its source can speak to and -1 for the others, so
one encoder learns from all sources at once. Test splits are not here and are never read: tuning
uses the validation splits and a held-back half of the HateXplain validation set.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from ast import literal_eval
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from shared import clean

HEADS = ("offensive", "hate", "targeted", "target", "negative")
TARGET_CLASSES = ("IND", "GRP", "OTH")  # OLID level C: individual, group, other
MISSING = -1


@dataclass
class Example:
    text: str
    source: str
    labels: dict[str, int] = field(default_factory=dict)
    # A teacher's offensive probability for this text, to distil from (train.py --teacher).
    teacher: float | None = None

    def label(self, head: str) -> int:
        return self.labels.get(head, MISSING)


def _key(text: str) -> str:
    text = re.sub(r"\burl\b", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9@# ]", "", text).split())


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def tweeteval(root: Path, task: str, split: str) -> list[tuple[str, int]]:
    texts = _lines(root / "tweeteval" / task / f"{split}_text.txt")
    labels = [int(x) for x in _lines(root / "tweeteval" / task / f"{split}_labels.txt")]
    return list(zip(texts, labels, strict=True))


def _half(identifier: str) -> int:
    """A stable 0/1 split by hashing an id, so the held-back half never changes."""
    return hashlib.sha256(identifier.encode()).digest()[0] % 2


@dataclass
class Corpus:
    train: list[Example]
    validation: dict[str, list[Example]]

    def describe(self) -> str:
        lines = [f"train: {len(self.train)} examples"]
        for head in HEADS:
            counts = Counter(ex.label(head) for ex in self.train if ex.label(head) != MISSING)
            lines.append(f"  {head}: {dict(sorted(counts.items()))}")
        for name, examples in self.validation.items():
            lines.append(f"validation {name}: {len(examples)}")
        return "\n".join(lines)


def _davidson(root: Path, rng: random.Random) -> list[Example]:
    """Davidson et al.'s tweets, shuffled by ``rng``."""
    with (root / "davidson" / "labeled_data.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng.shuffle(rows)
    return [Example(clean(row["tweet"]), "davidson",
                    {"offensive": int(int(row["class"]) in (0, 1)),
                     "hate": int(int(row["class"]) == 0)}) for row in rows]


def davidson_unseen(root: Path, davidson_sample: int = 9000, seed: int = 13,
                    size: int = 3000) -> list[Example]:
    """Davidson tweets that ``load`` with the same sample and seed never trains on."""
    rng = random.Random(seed)
    return _davidson(root, rng)[davidson_sample:davidson_sample + size]


def load(root: Path, davidson_sample: int = 9000, seed: int = 13,
         hatexplain_repeat: int = 3) -> Corpus:
    """The training table and the validation sets.

    ``hatexplain_repeat``: how many times each HateXplain training post is seen per epoch. Its
    half of the validation split (about 960 posts) is the only Gab data and the only data with
    non-hateful posts on the same topics as hateful ones, against some 38,000 tweets.
    """
    rng = random.Random(seed)
    train: list[Example] = []
    validation: dict[str, list[Example]] = {}

    # Offensive language: TweetEval (OLID level A).
    for text, label in tweeteval(root, "offensive", "train"):
        train.append(Example(clean(text), "tweeteval-offensive", {"offensive": label}))
    validation["offensive"] = [Example(clean(t), "tweeteval-offensive", {"offensive": y})
                               for t, y in tweeteval(root, "offensive", "val")]
    held_out = {_key(ex.text) for ex in validation["offensive"]}

    # Targeted insults and their targets: OLID levels B and C, minus the validation tweets.
    with (root / "olid" / "olid-training-v1.0.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text = clean(row["tweet"])
            if row["subtask_a"] != "OFF" or _key(text) in held_out:
                continue
            labels = {"targeted": int(row["subtask_b"] == "TIN")}
            if row["subtask_c"] in TARGET_CLASSES:
                labels["target"] = TARGET_CLASSES.index(row["subtask_c"])
            train.append(Example(text, "olid-bc", labels))

    # Davidson: hate, offensive, neither. A sample, so its slang does not swamp the others.
    train.extend(_davidson(root, rng)[:davidson_sample])

    # Hate: TweetEval (HatEval 2019, against immigrants and women).
    for text, label in tweeteval(root, "hate", "train"):
        train.append(Example(clean(text), "tweeteval-hate", {"hate": label}))
    validation["hate"] = [Example(clean(t), "tweeteval-hate", {"hate": y})
                          for t, y in tweeteval(root, "hate", "val")]

    # HateXplain (Twitter and Gab): half to learn from, half held back as an unseen fold.
    hatexplain_dev = []
    with (root / "hatexplain" / "val.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            votes = Counter(literal_eval(row["annotators"])["label"])
            label, count = votes.most_common(1)[0]
            if count < 2:
                continue  # no majority: the annotators disagree three ways
            text = clean(" ".join(literal_eval(row["post_tokens"])))
            labels = {"hate": int(label == 0), "offensive": int(label in (0, 2)),
                      "toxic": int(label in (0, 2))}
            example = Example(text, "hatexplain", labels)
            if _half(row["id"]):
                hatexplain_dev.append(example)
            else:
                train.extend(Example(text, "hatexplain", {k: v for k, v in labels.items()
                                                          if k != "toxic"})
                             for _ in range(hatexplain_repeat))
    validation["hatexplain"] = hatexplain_dev

    # Negative tone: emotion (anger, sadness) and sentiment (negative).
    for text, label in tweeteval(root, "emotion", "train"):
        train.append(Example(clean(text), "tweeteval-emotion", {"negative": int(label in (0, 3))}))
    negative_val = [Example(clean(t), "tweeteval-emotion", {"negative": int(y in (0, 3))})
                    for t, y in tweeteval(root, "emotion", "val")]
    for index, (text, label) in enumerate(tweeteval(root, "sentiment", "val")):
        example = Example(clean(text), "tweeteval-sentiment", {"negative": int(label == 0)})
        (negative_val if _half(f"sentiment-{index}") else train).append(example)
    validation["negative"] = negative_val

    rng.shuffle(train)
    return Corpus(train=train, validation=validation)
