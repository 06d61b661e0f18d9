"""Scanning a JSON Lines file of posts: reading, batching, worker processes, ordered output.

Kept apart from the command line so that tests and benchmarks can drive it in-process. The
contract (architecture.md): one output line per input line, in input order; a line that cannot
be read becomes an output line with an ``error`` and the run carries on.

The parent process only reads raw lines and writes the finished JSON strings. Parsing, checking
and serialising happen where the Checker lives (in-process for one worker, in each worker
process otherwise), because on a two-core machine every cycle the parent spends is a cycle the
workers do not get.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, TextIO

from postguard.engine.checker import Checker, CheckResult
from postguard.engine.models.classifier import model_available, shared_model
from postguard.engine.post import Post, post_from_dict
from postguard.errors import Code, Location, PostGuardError
from postguard.policy import loader
from postguard.policy.model import Pack
from postguard.school.loader import load_school
from postguard.school.model import School

DEFAULT_BATCH_SIZE = 64
# One chunk = (line number, raw bytes) pairs.
type Chunk = list[tuple[int, bytes]]


@dataclass(frozen=True)
class Setup:
    """A validated school and the pack it adopted: everything a worker needs to build a Checker.

    The pack is passed as data (not re-read by each worker) so that every process checks
    against exactly the policy the parent validated.
    """

    school: School
    pack: Pack

    def checker(self) -> Checker:
        return Checker(self.school, pack=self.pack)


def load_setup(school_path: str | Path) -> Setup:
    """Read the school file and its pack; a mistake in the school names its file, line and
    field (see ``policy.loader.adopted_pack``)."""
    path = Path(school_path)
    school = load_school(path)
    return Setup(school, loader.adopted_pack(school, path))


@dataclass
class LineResult:
    """The outcome for one input line: a result, or the error that stopped it being read."""

    line: int
    id: str
    post: Post | None = None
    result: CheckResult | None = None
    error: PostGuardError | None = None

    @property
    def status(self) -> str:
        return "error" if self.result is None else self.result.verdict

    def as_dict(self) -> dict[str, Any]:
        if self.result is None:
            assert self.error is not None
            return {"id": self.id, "line": self.line, "error": self.error.as_dict()}
        body = self.result.as_dict()
        return {"id": self.id, "line": self.line, "verdict": body["verdict"],
                "findings": body["findings"], "scores": body["scores"]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":"))


def _record_id(record: object, number: int) -> str:
    if isinstance(record, dict):
        value = record.get("id")
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return f"line {number}"


class ChunkChecker:
    """Turns raw lines into LineResults with one Checker, built once and reused."""

    def __init__(self, setup: Setup, source: str, base_dir: Path | None,
                 checker: Checker | None = None) -> None:
        self.checker = checker or setup.checker()
        self.source = source
        self.base_dir = base_dir

    def parse(self, number: int, raw: bytes) -> LineResult:
        where = Location(self.source, number)
        try:
            # utf-8-sig: spreadsheet exports often start the file with a byte-order mark.
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            error = PostGuardError(Code.E301, where, problem=f"not UTF-8 text ({problem.reason})")
            return LineResult(number, f"line {number}", error=error)
        try:
            record = json.loads(text)
        except json.JSONDecodeError as problem:
            error = PostGuardError(Code.E301, where,
                                   problem=f"{problem.msg} at column {problem.colno}")
            return LineResult(number, f"line {number}", error=error)
        ident = _record_id(record, number)
        try:
            post = post_from_dict(record, where, self.base_dir)
        except PostGuardError as error:
            return LineResult(number, ident, error=error)
        return LineResult(number, ident, post=post)

    def check_lines(self, chunk: Sequence[tuple[int, bytes]]) -> list[LineResult]:
        lines = [self.parse(number, raw) for number, raw in chunk]
        readable = [item for item in lines if item.post is not None]
        posts = [item.post for item in readable if item.post is not None]
        results: list[CheckResult | None]
        try:
            results = list(self.checker.check_many(posts))
        except Exception:
            # One odd post must not sink a long run: retry one by one so that only the post
            # that trips the engine is reported (as E309), and the rest are checked normally.
            results = [self._check_alone(item) for item in readable]
        for item, result in zip(readable, results, strict=True):
            if result is None:
                continue
            item.result = result
        return lines

    def _check_alone(self, item: LineResult) -> CheckResult | None:
        assert item.post is not None
        try:
            return self.checker.check(item.post)
        except Exception as problem:
            item.error = PostGuardError(Code.E309, Location(self.source, item.line),
                                        problem=f"{type(problem).__name__}: {problem}")
            return None

    def check_chunk(self, chunk: Chunk) -> list[tuple[str, str]]:
        """(JSON line, status) per input line: what a worker sends back to the parent."""
        return [(item.to_json(), item.status) for item in self.check_lines(chunk)]


def read_chunks(path: Path, batch_size: int, label: str | None = None) -> Iterator[Chunk]:
    """Non-blank lines with their 1-based line numbers, ``batch_size`` at a time.

    Lines are read as bytes and split on newlines only, so line numbers match what an editor
    shows, and a line that is not UTF-8 becomes an error line rather than stopping the run.
    """
    label = label or str(path)
    chunk: Chunk = []
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                chunk.append((number, raw))
                if len(chunk) >= batch_size:
                    yield chunk
                    chunk = []
    except OSError as problem:
        raise PostGuardError(Code.E401, Location(label), path=label,
                             problem=problem.strerror or str(problem)) from None
    if chunk:
        yield chunk


def count_lines(path: Path) -> int:
    """How many non-blank lines the input has, for the progress bar (a cheap pass)."""
    with path.open("rb") as handle:
        return sum(1 for raw in handle if raw.strip())


# -- worker processes -------------------------------------------------------------------------

_WORKER: ChunkChecker | None = None
# A checker the parent built before forking: workers started by fork share it, ready at once,
# instead of each building its own (name automata, lexicons, the model's gate).
_INHERITED: Checker | None = None


def _init_worker(setup: Setup, source: str, base_dir: Path | None, threads: int) -> None:
    global _WORKER
    # Ctrl-C reaches every process in the terminal's group; only the parent should act on it
    # (it stops the pool), or each worker prints its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The cores are shared out between workers: N workers each running a model on every core
    # would fight over them. The parent never opens the model's session, so setting this before
    # the first post is enough, inherited model or not.
    os.environ["POSTGUARD_MODEL_THREADS"] = str(threads)
    if model_available():
        shared_model().threads = threads
    _WORKER = ChunkChecker(setup, source, base_dir, checker=_INHERITED)


def _work(chunk: Chunk) -> list[tuple[str, str]]:
    assert _WORKER is not None, "worker used before its initializer ran"
    return _WORKER.check_chunk(chunk)


def _thread_count() -> int:
    """Threads of this process as the OS sees them: numerical libraries start threads that
    Python's threading module does not know about."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _context() -> Any:
    """fork where it is safe, forkserver otherwise.

    fork starts workers at once with the parent's imports and caches already in memory. It is
    unsafe only in a process that runs threads (a thread holding a lock at the moment of the
    fork leaves it locked forever in the child), so a threaded caller, such as a test runner,
    gets forkserver, whose server preloads the engine so each worker starts from warm imports.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _thread_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["postguard.scan", "postguard.engine.detectors"])
        return ctx
    return multiprocessing.get_context("spawn")


def _ordered(pool: Pool, chunks: Iterable[Chunk], window: int) -> Iterator[list[tuple[str, str]]]:
    """Pool.imap's ordering, but with at most ``window`` chunks in flight.

    Pool.imap queues the whole input as fast as it can read it; on a multi-gigabyte export
    that is the whole file in memory. A bounded window keeps memory flat.
    """
    pending: deque[AsyncResult[list[tuple[str, str]]]] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(_work, (chunk,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


# -- the scan ---------------------------------------------------------------------------------


@dataclass
class ScanSummary:
    lines: int = 0
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return self.statuses["error"]


def scan_file(path: str | Path, setup: Setup, out: TextIO, *, workers: int = 1,
              batch_size: int = DEFAULT_BATCH_SIZE, source: str | None = None,
              advance: Callable[[int], None] | None = None,
              checker: Checker | None = None) -> ScanSummary:
    """Check every line of ``path`` and write one JSON line per input line to ``out``, in order.

    ``source`` is the file name errors carry (default: the path as given). ``advance`` is called
    with the number of lines done after each batch (a progress bar). ``checker`` reuses a
    Checker already built in this process (one worker only).
    """
    path = Path(path)
    label = source or str(path)
    base_dir = path.parent
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "no such file"
        raise PostGuardError(Code.E401, Location(label), path=label, problem=problem)
    chunks = read_chunks(path, max(1, batch_size), label)
    summary = ScanSummary()

    def emit(batch: list[tuple[str, str]]) -> None:
        out.write("".join(line + "\n" for line, _ in batch))
        summary.lines += len(batch)
        summary.statuses.update(status for _, status in batch)
        if advance is not None:
            advance(len(batch))

    if workers <= 1:
        local = ChunkChecker(setup, label, base_dir, checker=checker)
        for chunk in chunks:
            emit(local.check_chunk(chunk))
    else:
        global _INHERITED
        threads = max(1, (os.cpu_count() or 1) // workers)
        context = _context()
        if context.get_start_method() == "fork":
            _INHERITED = checker or setup.checker()
        try:
            with context.Pool(workers, initializer=_init_worker,
                              initargs=(setup, label, base_dir, threads)) as pool:
                for batch in _ordered(pool, chunks, window=workers * 4):
                    emit(batch)
        finally:
            _INHERITED = None
    return summary
