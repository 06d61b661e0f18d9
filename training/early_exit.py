"""Let the transformer stop halfway on posts that its first layers already find clean.

    training/.venv/bin/python training/early_exit.py [MODEL_DIR]   (train.py runs it too)

The cascade's word-level gate settles the posts that are clearly clean; the rest used to go
through all six layers of the encoder. Many of those are still clean (a word the gate distrusts,
in an innocent sentence), and the encoder's third layer already knows. So:

1. ``split`` cuts the exported model in two, ``lower.onnx`` (embeddings and the first
   ``LAYERS`` layers) and ``upper.onnx`` (the other layers and the heads). Run one after the
   other they give exactly the logits of the whole model.
2. Linear heads over the lower half's mean-pooled output learn the whole model's own decisions
   on the training texts, as the gate does over words: ``abuse`` (offensive or hate at 0.5 or
   more) and ``negative`` (tone at 0.5 or more).
3. ``abuse`` gets a floor, set on the validation posts that the gate passes, so that 99% of the
   posts the whole model would flag still go on through the upper half. Below the floor the post
   stops there, its tone read by the ``negative`` head. Written to ``exit.json``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from data import Corpus, load
from distil_gate import decisions, floor_for_recall, stage_report, write_stage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from postguard.engine.models import classifier  # noqa: E402

LAYERS = 3
RECALL = 0.99


def split(directory: Path, layers: int = LAYERS) -> None:
    """Cut ``model.onnx`` after ``layers`` encoder layers into lower.onnx and upper.onnx."""
    import onnx
    from onnx.utils import Extractor

    whole = directory / "model.onnx"
    model = onnx.shape_inference.infer_shapes(onnx.load(str(whole)))
    hidden = f"/encoder/encoder/layer.{layers - 1}/output/LayerNorm/LayerNormalization_output_0"
    depth = len({match.group(1) for node in model.graph.node
                 if (match := re.match(r"/encoder/encoder/layer\.(\d+)/", node.name))})
    upper_layers = tuple(f"/encoder/encoder/layer.{n}/" for n in range(layers, depth))
    producer = {output: node for node in model.graph.node for output in node.output}
    constants = {init.name for init in model.graph.initializer}
    # The upper layers read the hidden state and the attention bias the lower half built from
    # the mask (through the embeddings' shape): pass that bias across, so the upper half does
    # not carry a second copy of the embeddings.
    crossing = set()
    for node in model.graph.node:
        if not node.name.startswith(upper_layers):
            continue
        for name in node.input:
            source = producer.get(name)
            if (name and name not in constants and source is not None
                    and source.op_type != "Constant" and not source.name.startswith(upper_layers)
                    and not name.startswith(hidden)):
                crossing.add(name)
    passed = [hidden, *sorted(crossing)]
    extractor = Extractor(model)
    onnx.save(extractor.extract_model(["input_ids", "attention_mask"], passed),
              str(directory / "lower.onnx"))
    onnx.save(extractor.extract_model([*passed, "attention_mask"], ["logits"]),
              str(directory / "upper.onnx"))
    whole.unlink()
    config_file = directory / "config.json"
    config = json.loads(config_file.read_text())
    config["split"] = {"layers": layers, "hidden": hidden}
    config_file.write_text(json.dumps(config, indent=2) + "\n")


def features_and_decisions(model: classifier.LanguageModel, texts: list[str]
                           ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The lower half's pooled output, and the whole model's decisions, for each text."""
    pooled = []
    found: dict[str, list[int]] = {"abuse": [], "negative": []}
    for number, text in enumerate(texts, 1):
        hidden, row = model.run_halves(classifier.clean(text))
        pooled.append(hidden)
        for head, decision in decisions(model._from_logits(row)).items():
            found[head].append(decision)
        if number % 2000 == 0:
            print(f"teacher {number}/{len(texts)}", flush=True)
    return np.array(pooled), {head: np.array(values) for head, values in found.items()}


def fit_head(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression on standardised features, folded back into raw-feature weights."""
    scaler = StandardScaler().fit(x)
    head = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), y)
    weights = head.coef_[0] / scaler.scale_
    bias = float(head.intercept_[0] - np.dot(head.coef_[0], scaler.mean_ / scaler.scale_))
    return weights, bias


def main(data: Path = ROOT.parent / "shared" / "data", out: Path = classifier.MODEL_DIR,
         corpus: Corpus | None = None) -> dict:
    if (out / "model.onnx").is_file():
        split(out)
    (out / "exit.json").unlink(missing_ok=True)  # the teacher is the whole model, no exit
    corpus = corpus or load(data)
    model = classifier.LanguageModel(out, threads=2)
    gate = model.gate
    train_texts = list(dict.fromkeys(ex.text for ex in corpus.train))  # repeats count once
    # The exit only sees what the gate passes: judge it on those posts.
    valid_texts = [ex.text for examples in corpus.validation.values() for ex in examples
                   if gate is None or gate.settled_scores(classifier.clean(ex.text)) is None]
    x_train, y_train = features_and_decisions(model, train_texts)
    x_valid, y_valid = features_and_decisions(model, valid_texts)

    heads = {name: fit_head(x_train, y_train[name]) for name in ("abuse", "negative")}
    probs = {name: 1 / (1 + np.exp(-(x_valid @ weights + bias)))
             for name, (weights, bias) in heads.items()}
    floor = floor_for_recall(probs["abuse"], y_valid["abuse"], RECALL)
    report = {"layers": LAYERS, **stage_report(probs, y_valid, floor, RECALL)}
    # Which tensor the heads read is the split's, in config.json: not repeated here.
    spec = {"heads": {name: {"weights": [round(float(w), 6) for w in weights], "bias": bias,
                               "floor": floor if name == "abuse" else None}
                        for name, (weights, bias) in heads.items()}}
    write_stage(out, "exit.json", spec, "early_exit", report)
    return report


if __name__ == "__main__":
    main(out=Path(sys.argv[1]) if len(sys.argv) > 1 else classifier.MODEL_DIR)
