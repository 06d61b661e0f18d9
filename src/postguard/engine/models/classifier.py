"""The trained language classifiers: one ONNX encoder with five heads, in a three-stage cascade.

A cascade keeps checking fast on a laptop's CPU. A linear model over words (the gate) settles the
posts that are clearly clean. The rest go into the encoder, cut in two: after its lower layers,
linear heads over their output (the early exit) settle the posts those layers already find
clean, and only the rest go on through the upper layers to the heads. Every head's probability
is calibrated so that 0.5 is that head's decision threshold (see config.json). The artefacts live
beside this file in ``language/`` and are written by ``training/train.py``.
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
# Which stage of the cascade gave a post its scores.
GATE, EARLY_EXIT, WHOLE_MODEL = "gate", "early exit", "whole model"


@dataclass(frozen=True, slots=True)
class HeadScores:
    """Calibrated probabilities for one text, and the cascade ``stage`` that gave them."""

    offensive: float
    hate: float
    targeted_insult: float
    negative: float
    target: str | None
    stage: str

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
        return HeadScores(offensive=abuse, hate=abuse, targeted_insult=abuse,
                          negative=self._probability("negative", vector, norm), target=None,
                          stage=GATE)


class EarlyExit:
    """Linear heads over the encoder's lower layers, pooled: the cascade's second stage.

    Distilled from the whole model's decisions (training/early_exit.py), as the gate is, but
    reading the lower layers' view of the post instead of its words. ``abuse`` estimates whether
    the whole model would put offensive or hate at 0.5 or more; below its floor the post stops
    here, and ``negative`` stands in for the tone head.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        import numpy as np

        heads = spec["heads"]
        self.weights = {head: np.array(heads[head]["weights"], dtype=np.float32)
                        for head in ("abuse", "negative")}
        self.bias = {head: float(heads[head]["bias"]) for head in ("abuse", "negative")}
        self.floor = float(heads["abuse"]["floor"])

    def probability(self, head: str, pooled: Any) -> float:
        return _sigmoid(float(pooled @ self.weights[head]) + self.bias[head])

    def settled_scores(self, pooled: Any) -> HeadScores | None:
        """Scores for a post the lower layers find clean enough, else None."""
        abuse = self.probability("abuse", pooled)
        if abuse >= self.floor:
            return None
        return HeadScores(offensive=abuse, hate=abuse, targeted_insult=abuse,
                          negative=self.probability("negative", pooled), target=None,
                          stage=EARLY_EXIT)


def _optional(spec_file: Path) -> dict[str, Any] | None:
    return json.loads(spec_file.read_text()) if spec_file.is_file() else None


class LanguageModel:
    """Scores texts with the cascade. Thread-safe; the ONNX sessions load on first use.

    One text per encoder call: the int8 model quantises activations with one scale for the
    whole input, so in a batch a post's scores would depend on the posts beside it, and a
    verdict must not. Nor would batching pay on a CPU: the encoder is compute-bound, and batches
    of 4 and 16 posts of 64 tokens cost 14.4 ms a post against 13.4 ms one at a time (AMD EPYC,
    one thread, 2026-11-21).
    """

    def __init__(self, directory: Path = MODEL_DIR, threads: int | None = None) -> None:
        self.directory = directory
        config = json.loads((directory / "config.json").read_text())
        self.columns: list[str] = config["columns"]
        self.max_length: int = config["max_length"]
        self.calibration: dict[str, dict[str, float]] = config["calibration"]
        self.hidden: str = config["split"]["hidden"]
        # Training writes the model first, then distils the gate and the early exit from it:
        # until then every text goes through the whole model.
        gate = _optional(directory / "gate.json")
        self.gate = Gate(gate) if gate is not None else None
        early_exit = _optional(directory / "exit.json")
        self.early_exit = EarlyExit(early_exit) if early_exit is not None else None
        env_threads = os.environ.get("POSTGUARD_MODEL_THREADS")
        self.threads = threads or (int(env_threads) if env_threads else None)
        self._lower: Any = None
        self._lower_outputs: list[str] = []
        self._upper: Any = None
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
        self._upper = onnxruntime.InferenceSession(
            str(self.directory / "upper.onnx"), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self.max_length)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        lower = onnxruntime.InferenceSession(
            str(self.directory / "lower.onnx"), options, providers=["CPUExecutionProvider"])
        self._lower_outputs = [output.name for output in lower.get_outputs()]
        # Last: the other threads wait on the lock only until this one is set.
        self._lower = lower

    def _calibrated(self, head: str, logit: float) -> float:
        calibration = self.calibration[head]
        return _sigmoid(logit / calibration["temperature"] - calibration["shift"])

    def _lower_half(self, text: str) -> tuple[dict[str, Any], Any]:
        """The lower layers' outputs for one text, and its attention mask."""
        import numpy as np

        if self._lower is None:
            with self._lock:
                if self._lower is None:
                    self._load()
        encoding = self._tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        outputs = self._lower.run(self._lower_outputs, {"input_ids": ids, "attention_mask": mask})
        return dict(zip(self._lower_outputs, outputs, strict=True)), mask

    def _pooled(self, lower: dict[str, Any], mask: Any) -> Any:
        """Mean of the lower layers' token states, as the heads pool the upper layers'."""
        states = lower[self.hidden][0]
        weights = mask[0].astype(states.dtype)
        return (states * weights[:, None]).sum(axis=0) / max(1.0, float(weights.sum()))

    def _upper_half(self, lower: dict[str, Any], mask: Any) -> list[float]:
        feeds = {**lower, "attention_mask": mask}
        (logits,) = self._upper.run(["logits"], feeds)
        return [float(value) for value in logits[0]]

    def _run(self, texts: Sequence[str]) -> list[list[float]]:
        """Raw logits of the whole model, one text at a time (training calibrates on these)."""
        return [self._upper_half(*self._lower_half(text)) for text in texts]

    def run_halves(self, text: str) -> tuple[Any, list[float]]:
        """The lower layers' pooled output and the whole model's logits (training only)."""
        lower, mask = self._lower_half(text)
        return self._pooled(lower, mask), self._upper_half(lower, mask)

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
                          target=target, stage=WHOLE_MODEL)

    def score(self, text: str) -> HeadScores:
        text = clean(text)
        settled = self.gate.settled_scores(text) if self.gate is not None else None
        if settled is not None:
            return settled
        lower, mask = self._lower_half(text)
        if self.early_exit is not None:
            settled = self.early_exit.settled_scores(self._pooled(lower, mask))
            if settled is not None:
                return settled
        return self._from_logits(self._upper_half(lower, mask))

    def score_many(self, texts: Sequence[str]) -> list[HeadScores]:
        return [self.score(text) for text in texts]


def model_available(directory: Path = MODEL_DIR) -> bool:
    return all((directory / name).is_file()
               for name in ("lower.onnx", "upper.onnx", "tokenizer.json", "config.json",
                            "gate.json", "exit.json"))


@cache
def shared_model() -> LanguageModel:
    """One model per process: every checker in it shares the session."""
    return LanguageModel()
