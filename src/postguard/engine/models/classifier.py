"""The trained language classifiers: one ONNX encoder with five heads, behind a cheap gate.

A cascade keeps checking fast on a laptop's CPU: a linear model over words (the gate) settles
the posts that are clearly clean, and only the rest go through the transformer. Every head's
probability is calibrated so that 0.5 is that head's decision threshold (see config.json). The
artefacts live beside this file in ``language/`` and are written by ``training/train.py``.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from postguard.engine.models.features import clean, terms

MODEL_DIR = Path(__file__).resolve().parent / "language"
TARGETS = ("individual", "group", "other")
# One text per call: the int8 model quantises activations with one scale for the whole input,
# so in a batch a post's scores would depend on the posts beside it. A verdict must not. Nor
# would batching pay on a CPU: the encoder is compute-bound, and batches of 4 and 16 posts of 64
# tokens cost 14.4 ms a post against 13.4 ms one at a time (AMD EPYC, one thread, 2026-11-21).
BATCH = 1


@dataclass(frozen=True, slots=True)
class HeadScores:
    """Calibrated probabilities for one text; ``by_model`` is False when the gate settled it."""

    offensive: float
    hate: float
    targeted_insult: float
    negative: float
    target: str | None
    by_model: bool

    def as_scores(self) -> dict[str, float]:
        return {"offensive": self.offensive, "hate": self.hate,
                "targeted_insult": self.targeted_insult, "negative": self.negative}


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


class Gate:
    """Logistic regression over tf-idf terms (1 + log tf, l2-normalised), in plain Python.

    Its heads are distilled from the transformer (training/distil_gate.py). A head with a
    ``floor`` decides the cascade: below every such floor the post is clean enough to skip the
    transformer. ``abuse`` estimates whether the transformer would put offensive or hate at 0.5
    or more. ``negative``, which has no floor, estimates the transformer's tone head and stands
    in for it on the posts the gate settles: tone alone is no reason to run the transformer,
    because the engine also reads tone with VADER.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.idf: dict[str, float] = spec["idf"]
        self.heads = tuple(spec["heads"])
        self.weights = {head: spec["heads"][head]["weights"] for head in self.heads}
        self.bias = {head: float(spec["heads"][head]["bias"]) for head in self.heads}
        self.floor = {head: float(spec["heads"][head]["floor"]) for head in self.heads
                      if spec["heads"][head].get("floor") is not None}

    def _vector(self, text: str) -> tuple[dict[str, float], float]:
        counts: dict[str, int] = {}
        for term in terms(text):
            if term in self.idf:
                counts[term] = counts.get(term, 0) + 1
        vector = {term: (1.0 + math.log(n)) * self.idf[term] for term, n in counts.items()}
        return vector, math.sqrt(sum(v * v for v in vector.values())) or 1.0

    def _probability(self, head: str, vector: dict[str, float], norm: float) -> float:
        weights = self.weights[head]
        return _sigmoid(self.bias[head]
                        + sum(weights.get(t, 0.0) * v for t, v in vector.items()) / norm)

    def probabilities(self, text: str) -> dict[str, float]:
        vector, norm = self._vector(text)
        return {head: self._probability(head, vector, norm) for head in self.heads}

    def settles(self, probabilities: dict[str, float]) -> bool:
        """True when every head with a floor is below it: the gate is sure enough."""
        return all(probabilities[head] < floor for head, floor in self.floor.items())

    def settled_scores(self, text: str) -> HeadScores | None:
        """The gate's own scores when it settles the text, else None.

        The abuse estimate (that the transformer would pass the post) is an upper bound on what
        the transformer would say, so it stands as the offensive, hate and insult score; the
        tone estimate stands as the negative score.
        """
        vector, norm = self._vector(text)
        deciding = {head: self._probability(head, vector, norm) for head in self.floor}
        if not self.settles(deciding):
            return None
        # The tone head only matters for the posts settled here: skip it for the rest.
        abuse = max(deciding.values())
        negative = (self._probability("negative", vector, norm) if "negative" in self.weights
                    else abuse)
        return HeadScores(offensive=abuse, hate=abuse, targeted_insult=abuse, negative=negative,
                          target=None, by_model=False)


class LanguageModel:
    """Scores texts with the cascade. Thread-safe; the ONNX session loads on first use."""

    def __init__(self, directory: Path = MODEL_DIR, threads: int | None = None) -> None:
        self.directory = directory
        config = json.loads((directory / "config.json").read_text())
        self.columns: list[str] = config["columns"]
        self.max_length: int = config["max_length"]
        self.calibration: dict[str, dict[str, float]] = config["calibration"]
        # No gate yet while training distils one (training/distil_gate.py): every text then
        # goes to the transformer.
        gate_file = directory / "gate.json"
        self.gate = Gate(json.loads(gate_file.read_text())) if gate_file.is_file() else None
        env_threads = os.environ.get("POSTGUARD_MODEL_THREADS")
        self.threads = threads or (int(env_threads) if env_threads else None)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        # Without this, onnxruntime writes a device id and a telemetry log under the cache.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(self.directory / "model.onnx"), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self.max_length)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer

    def _calibrated(self, head: str, logit: float) -> float:
        calibration = self.calibration[head]
        return _sigmoid(logit / calibration["temperature"] - calibration["shift"])

    def _run(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        with self._lock:
            if self._session is None:
                self._load()
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (logits,) = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
        return [list(map(float, row)) for row in logits]

    def _from_logits(self, row: list[float]) -> HeadScores:
        at = {name: row[i] for i, name in enumerate(self.columns)}
        offensive = self._calibrated("offensive", at["offensive"])
        targeted = self._calibrated("targeted", at["targeted"])
        target_logits = [at["target_ind"], at["target_grp"], at["target_oth"]]
        # Aimed at someone only when it is both offensive and targeted: the smaller of the two
        # keeps 0.5 as the decision threshold.
        targeted_insult = min(offensive, targeted)
        target = TARGETS[target_logits.index(max(target_logits))] if targeted_insult >= 0.5 \
            else None
        return HeadScores(offensive=offensive, hate=self._calibrated("hate", at["hate"]),
                          targeted_insult=targeted_insult,
                          negative=self._calibrated("negative", at["negative"]),
                          target=target, by_model=True)

    def score_many(self, texts: Sequence[str]) -> list[HeadScores]:
        cleaned = [clean(text) for text in texts]
        results: list[HeadScores | None] = [None] * len(texts)
        pending = []
        for index, text in enumerate(cleaned):
            settled = self.gate.settled_scores(text) if self.gate is not None else None
            if settled is None:
                pending.append(index)
            else:
                results[index] = settled
        for start in range(0, len(pending), BATCH):
            chunk = pending[start:start + BATCH]
            for index, row in zip(chunk, self._run([cleaned[i] for i in chunk]), strict=True):
                results[index] = self._from_logits(row)
        return [result for result in results if result is not None]


def model_available(directory: Path = MODEL_DIR) -> bool:
    return all((directory / name).is_file()
               for name in ("model.onnx", "tokenizer.json", "config.json", "gate.json"))


@cache
def shared_model() -> LanguageModel:
    """One model per process: every checker in it shares the session."""
    return LanguageModel()
