"""How accurate the checker is on posts labelled by hand: per category precision, recall, F1,
two-class macro-F1 and AUC.

Two halves:

- pure metric functions (``counts``, ``precision``, ``recall``, ``f1``, ``macro_f1``, ``auc``)
  and ``evaluate``, which turns one ``Outcome`` per post (its labels, the categories the
  checker found, the category scores) into a ``Report``;
- ``evaluate_file``, which reads a labelled JSON Lines file (the fields of a post, as ``scan``
  takes them, plus ``labels``: a list of category names, empty for a clean post) and checks the
  posts with the scan machinery (same batching, same worker processes).

A category is *predicted* for a post when the post has a finding of that category. AUC is the
rank-based (Mann-Whitney) estimate with tied scores given their average rank, implemented here
without scikit-learn; it needs a score per post, and only the categories in ``SCORE_SOURCES``
have one.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postguard.engine.post import POST_FIELDS, post_from_dict
from postguard.errors import Code, ErrorList, Location, PostGuardError
from postguard.policy.categories import CATEGORIES
from postguard.scan import DEFAULT_BATCH_SIZE, ChunkChecker, Setup, read_chunks, scan_file

LABELS = "labels"

# Which of the engine's model scores (CheckResult.scores) measure which category: the one place
# where they are mapped. A category's score is the highest of its sources present in a result;
# a category with none of them has no score, and so no AUC. Only meaningful maps are listed:
# negative tone ("negative") is mood, not disrepute ("had a bad day at work" is not disrepute),
# so disrepute has no score.
SCORE_SOURCES: dict[str, tuple[str, ...]] = {
    "abusive": ("offensive", "targeted_insult", "threat"),
    "discriminatory": ("hate",),
}


def category_scores(engine_scores: Mapping[str, float]) -> dict[str, float]:
    """The engine's model scores as scores of finding categories (see SCORE_SOURCES)."""
    found: dict[str, float] = {}
    for category, sources in SCORE_SOURCES.items():
        present = [engine_scores[name] for name in sources if name in engine_scores]
        if present:
            found[category] = max(present)
    return found


# -- metrics -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One labelled post: what the labels say, what the checker found, and its scores."""

    labels: frozenset[str]
    predicted: frozenset[str]
    scores: Mapping[str, float] = field(default_factory=dict)  # by category


@dataclass(frozen=True)
class Counts:
    """A confusion matrix for one yes/no question asked of every post."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    def flipped(self) -> Counts:
        """The counts for the opposite question ("clean?" instead of "flagged?")."""
        return Counts(tp=self.tn, fp=self.fn, fn=self.fp, tn=self.tp)


def counts(truth: Sequence[bool], predicted: Sequence[bool]) -> Counts:
    pairs = list(zip(truth, predicted, strict=True))
    return Counts(tp=sum(1 for t, p in pairs if t and p),
                  fp=sum(1 for t, p in pairs if p and not t),
                  fn=sum(1 for t, p in pairs if t and not p),
                  tn=sum(1 for t, p in pairs if not t and not p))


def precision(found: Counts) -> float | None:
    """Share of the predictions that were right; None when nothing was predicted."""
    return found.tp / found.predicted if found.predicted else None


def recall(found: Counts) -> float | None:
    """Share of the labelled posts that were found; None when none is labelled."""
    return found.tp / found.support if found.support else None


def f1(found: Counts) -> float | None:
    """2tp / (2tp + fp + fn): the harmonic mean of precision and recall, 0 when either is 0.

    None only when there is nothing to be right or wrong about (no labels, no predictions); a
    category with no labelled posts but some predictions scores 0.
    """
    wrong_or_right = 2 * found.tp + found.fp + found.fn
    return 2 * found.tp / wrong_or_right if wrong_or_right else None


def macro_f1(values: Iterable[float | None]) -> float | None:
    """The unweighted mean of the F1s that are defined; None when none is."""
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None


def auc(scores: Sequence[float], truth: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the chance that a random positive outscores a random negative,
    ties counting one half (Mann-Whitney U over average ranks). None without both classes."""
    if len(scores) != len(truth):
        raise ValueError(f"{len(scores)} scores for {len(truth)} labels")
    positives = sum(1 for value in truth if value)
    negatives = len(truth) - positives
    if not positives or not negatives:
        return None
    order = sorted(range(len(scores)), key=scores.__getitem__)
    positive_ranks = 0.0
    start = 0
    while start < len(order):
        end = start  # the run of equal scores is order[start..end]
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        rank = (start + end) / 2 + 1  # ranks are 1-based; a tie shares the mean of its ranks
        positive_ranks += rank * sum(1 for index in order[start:end + 1] if truth[index])
        start = end + 1
    return (positive_ranks - positives * (positives + 1) / 2) / (positives * negatives)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True)
class CategoryReport:
    category: str
    counts: Counts
    auc: float | None

    @property
    def precision(self) -> float | None:
        return precision(self.counts)

    @property
    def recall(self) -> float | None:
        return recall(self.counts)

    @property
    def f1(self) -> float | None:
        return f1(self.counts)

    @property
    def clean_f1(self) -> float | None:
        """F1 of the opposite question: is the post free of this category?"""
        return f1(self.counts.flipped())

    @property
    def macro_f1(self) -> float | None:
        """The mean of the category's F1 and its clean F1: how the shared tasks (OffensEval,
        HatEval, HateXplain) score a yes/no question, so that published figures compare."""
        return macro_f1([self.f1, self.clean_f1])

    def as_dict(self) -> dict[str, Any]:
        return {"support": self.counts.support, "predicted": self.counts.predicted,
                "true_positives": self.counts.tp, "false_positives": self.counts.fp,
                "false_negatives": self.counts.fn, "precision": _rounded(self.precision),
                "recall": _rounded(self.recall), "f1": _rounded(self.f1),
                "clean_f1": _rounded(self.clean_f1), "macro_f1": _rounded(self.macro_f1),
                "auc": _rounded(self.auc)}


@dataclass(frozen=True)
class FlaggedReport:
    """Labelled with any category vs clean, against found anything vs found nothing."""

    counts: Counts

    @property
    def flagged_f1(self) -> float | None:
        return f1(self.counts)

    @property
    def clean_f1(self) -> float | None:
        return f1(self.counts.flipped())

    @property
    def macro_f1(self) -> float | None:
        return macro_f1([self.flagged_f1, self.clean_f1])

    def as_dict(self) -> dict[str, Any]:
        return {"support": self.counts.support, "predicted": self.counts.predicted,
                "precision": _rounded(precision(self.counts)),
                "recall": _rounded(recall(self.counts)), "f1": _rounded(self.flagged_f1),
                "clean_f1": _rounded(self.clean_f1), "macro_f1": _rounded(self.macro_f1)}


@dataclass(frozen=True)
class Report:
    posts: int
    categories: tuple[CategoryReport, ...]  # labelled or predicted, in the categories' order
    labelled: tuple[str, ...]  # the categories that appear in the labels
    flagged: FlaggedReport

    @property
    def macro_f1(self) -> float | None:
        """Mean F1 over the categories that appear in the labels."""
        return macro_f1(item.f1 for item in self.categories if item.category in self.labelled)

    def as_dict(self) -> dict[str, Any]:
        return {"posts": self.posts,
                "categories": {item.category: item.as_dict() for item in self.categories},
                "labelled_categories": list(self.labelled),
                "macro_f1": _rounded(self.macro_f1), "flagged": self.flagged.as_dict(),
                "score_sources": {name: list(sources) for name, sources in SCORE_SOURCES.items()}}


def _in_order(names: Iterable[str]) -> tuple[str, ...]:
    known = list(CATEGORIES)
    return tuple(sorted(set(names), key=lambda name: (
        known.index(name) if name in known else len(known), name)))


def evaluate(outcomes: Sequence[Outcome]) -> Report:
    """Per category: counts and AUC (when every post has a score for it); macro-F1 over the
    categories in the labels; and flagged (any label) vs clean, where a finding of any category
    counts as flagged, since a clean post with any finding is a false alarm."""
    labelled = _in_order(name for item in outcomes for name in item.labels)
    shown = _in_order([*labelled, *(name for item in outcomes for name in item.predicted)])
    reports = []
    for category in shown:
        truth = [category in item.labels for item in outcomes]
        found = counts(truth, [category in item.predicted for item in outcomes])
        scored = all(category in item.scores for item in outcomes)
        area = auc([item.scores[category] for item in outcomes], truth) if scored else None
        reports.append(CategoryReport(category, found, area))
    flagged = counts([bool(item.labels) for item in outcomes],
                     [bool(item.predicted) for item in outcomes])
    return Report(len(outcomes), tuple(reports), labelled, FlaggedReport(flagged))


# -- reading a labelled file and checking it -----------------------------------------------------


def _labels(record: dict[str, Any], where: Location) -> frozenset[str]:
    at = Location(where.file, where.line, LABELS)
    if LABELS not in record:
        raise PostGuardError(Code.E303, at, field=LABELS)
    value = record[LABELS]
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise PostGuardError(Code.E307, at, field=LABELS,
                             problem='expected a list of category names, e.g. ["abusive"]')
    for name in value:
        if name not in CATEGORIES:
            raise PostGuardError(Code.E310, at, field=LABELS, value=name,
                                 known=", ".join(CATEGORIES))
    return frozenset(value)


def _absolute_images(record: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """The record with its pictures' relative paths made absolute, so that it can be checked
    from another folder."""
    images = record.get("images")
    if not isinstance(images, list):
        return record

    def absolute(path: str) -> str:
        return path if Path(path).is_absolute() else str(base_dir / path)

    fixed: list[Any] = []
    for image in images:
        if isinstance(image, str):
            fixed.append(absolute(image))
        elif isinstance(image, dict) and isinstance(image.get("path"), str):
            fixed.append({**image, "path": absolute(image["path"])})
        else:
            fixed.append(image)
    return {**record, "images": fixed}


def parse_labelled(raw: bytes, where: Location, base_dir: Path) -> tuple[dict[str, Any],
                                                                           frozenset[str]]:
    """One line of a labelled file: the post's record (without labels) and its labels.

    Raises the first problem with the line, naming its file, line and field.
    """
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as problem:
        raise PostGuardError(Code.E301, where,
                             problem=f"not UTF-8 text ({problem.reason})") from None
    except json.JSONDecodeError as problem:
        raise PostGuardError(Code.E301, where,
                             problem=f"{problem.msg} at column {problem.colno}") from None
    if not isinstance(record, dict):
        raise PostGuardError(Code.E308, where, kind=type(record).__name__)
    labels = _labels(record, where)
    post_record = {name: value for name, value in record.items() if name != LABELS}
    try:
        post_from_dict(post_record, where, base_dir)
    except PostGuardError as error:
        if error.code is not Code.E302:
            raise
        raise PostGuardError(Code.E302, error.location, field=error.details["field"],
                             allowed=", ".join((*POST_FIELDS, LABELS))) from None
    return _absolute_images(post_record, base_dir), labels


def read_labelled(path: Path, source: str) -> tuple[list[tuple[int, dict[str, Any]]],
                                                    list[frozenset[str]]]:
    """Every post of a labelled file with its line number, and the labels; every bad line is
    reported at once (an ErrorList), so that a file is fixed in one go."""
    records: list[tuple[int, dict[str, Any]]] = []
    labels: list[frozenset[str]] = []
    problems: list[PostGuardError] = []
    for chunk in read_chunks(path, DEFAULT_BATCH_SIZE, source):
        for number, raw in chunk:
            try:
                record, found = parse_labelled(raw, Location(source, number), path.parent)
            except PostGuardError as error:
                problems.append(error)
                continue
            records.append((number, record))
            labels.append(found)
    if problems:
        raise ErrorList(problems)
    return records, labels


def evaluate_file(path: str | Path, setup: Setup, *, workers: int = 1,
                  batch_size: int = DEFAULT_BATCH_SIZE, source: str | None = None,
                  started: Callable[[int], None] | None = None,
                  advance: Callable[[int], None] | None = None) -> list[Outcome]:
    """Check every post of a labelled file (as ``scan_file`` would) and pair it with its labels.

    The whole file is read and validated first: a bad line stops the run before any checking.
    ``started`` is called with the number of posts once they are read, ``advance`` after each
    batch (a progress bar).
    """
    path = Path(path)
    label = source or str(path)
    if not path.is_file():
        problem = "it is a folder" if path.is_dir() else "no such file"
        raise PostGuardError(Code.E401, Location(label), path=label, problem=problem)
    records, labels = read_labelled(path, label)
    if not records:
        raise PostGuardError(Code.E407, Location(label), path=label)
    if started is not None:
        started(len(records))
    with tempfile.TemporaryDirectory(prefix="postguard-eval-") as folder:
        posts = Path(folder) / "posts.jsonl"
        with posts.open("w", encoding="utf-8") as handle:
            written = 0
            for number, record in records:
                # Blank lines keep every post on its own line number, for scan's error lines.
                handle.write("\n" * (number - 1 - written) + json.dumps(record) + "\n")
                written = number
        results = Path(folder) / "results.jsonl"
        with results.open("w", encoding="utf-8") as handle:
            scan_file(posts, setup, handle, workers=workers, batch_size=batch_size,
                      source=label, advance=advance)
        with results.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
    outcomes = []
    problems = []
    recheck: ChunkChecker | None = None
    for (number, record), found, row in zip(records, labels, rows, strict=True):
        if "error" in row:
            # Every line was validated above, so this is the engine failing on a post (E309):
            # check it again here, which gives the error in full, or a result if it was a fluke.
            recheck = recheck or ChunkChecker(setup, label, path.parent)
            item = recheck.check_lines([(number, json.dumps(record).encode())])[0]
            if item.result is None:
                assert item.error is not None
                problems.append(item.error)
                continue
            row = item.as_dict()
        predicted = frozenset(finding["category"] for finding in row["findings"])
        outcomes.append(Outcome(found, predicted, category_scores(row["scores"])))
    if problems:
        raise ErrorList(problems)
    return outcomes
