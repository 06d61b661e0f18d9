"""The ``postguard`` command: check a post, scan a file of posts, look at the policy packs.

Every problem with what the user gave us (a school file, a pack, a post, an option) is a
PostGuardError: it is printed as one line per problem on standard error, naming the file, line
and field, and the command exits 2. No traceback is ever shown for those.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from postguard import evaluation
from postguard.engine.checker import CheckResult, Finding
from postguard.engine.post import post_from_dict
from postguard.errors import Code, ErrorList, Location, PostGuardError
from postguard.policy import loader
from postguard.policy.model import Pack
from postguard.scan import (
    DEFAULT_BATCH_SIZE,
    ChunkChecker,
    LineResult,
    Setup,
    count_lines,
    load_setup,
    read_chunks,
    scan_file,
)
from postguard.school.loader import demo_school_dir, load_school

app = typer.Typer(
    name="postguard",
    help="Check staff social media posts against your school's adopted social media policy.",
    no_args_is_help=True,
    add_completion=False,
    # Our own errors are handled by `friendly`; anything else is a bug, reported by main() as E901.
    pretty_exceptions_enable=False,
    # Markdown joins the lines of a docstring paragraph, so help reflows to the terminal.
    rich_markup_mode="markdown",
)
packs_app = typer.Typer(
    help="The policy packs PostGuard knows (one per published policy) and their rules.",
    invoke_without_command=True,
    rich_markup_mode="markdown",
)
app.add_typer(packs_app, name="packs")

VERDICT_STYLE = {"ok": "bold green", "advice": "bold yellow", "breach": "bold red",
                 "serious": "bold white on red"}
EVIDENCE_STYLE = "bold black on yellow"
DEMO_POSTS = Path(__file__).resolve().parent / "demo" / "posts.jsonl"

SchoolOption = Annotated[Path | None, typer.Option(
    "--school", envvar="POSTGUARD_SCHOOL", show_envvar=True, metavar="FILE",
    help="Your school's configuration file (school.yaml). Set POSTGUARD_SCHOOL once instead of "
         "typing it every time.")]
JsonFlag = Annotated[bool, typer.Option("--json", metavar="",
                                        help="Print JSON for other programs.")]


def _out() -> Console:
    return Console(highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _say_errors(error: PostGuardError) -> None:
    problems = error.errors if isinstance(error, ErrorList) else [error]
    for problem in problems:
        # Plain writes, never wrapped or styled: each problem stays on one line, greppable.
        sys.stderr.write(f"error: {problem.message}\n")
    sys.stderr.flush()


def friendly[**P, R](command: Callable[P, R]) -> Callable[P, R]:
    """Turn a PostGuardError into its message lines on stderr and exit status 2."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PostGuardError as error:
            _say_errors(error)
            raise typer.Exit(2) from None

    return run


def _setup(school: Path | None) -> Setup:
    if school is None:
        raise PostGuardError(Code.E403)
    return load_setup(school)


def _words(name: str | None) -> str:
    return (name or "").replace("_", " ")


# -- init ---------------------------------------------------------------------------------------


@app.command()
@friendly
def init(
    directory: Annotated[Path, typer.Argument(
        help="Folder to put the example school in; created if it does not exist.",
        show_default=False)],
) -> None:
    """Write an example school configuration (a school.yaml and CSV files of people) to edit."""
    # school.yaml first: it is the file whose presence the refusal below is about.
    sources = sorted((path for path in demo_school_dir().iterdir()
                      if path.suffix in (".yaml", ".csv")),
                     key=lambda path: (path.suffix != ".yaml", path.name))
    for source in sources:
        target = directory / source.name
        if target.exists():
            raise PostGuardError(Code.E402, Location(str(target)), path=str(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for source in sources:
            shutil.copyfile(source, directory / source.name)
    except OSError as problem:
        raise PostGuardError(Code.E406, Location(str(directory)), path=str(directory),
                             problem=problem.strerror or str(problem)) from None
    school_file = directory / "school.yaml"
    school = load_school(school_file)  # what we write must load, or the user starts stuck
    console = _out()
    console.print(f"Wrote an example school ([bold]{school.name}[/]) to {directory}/:")
    for source in sources:
        console.print(f"  {source.name}")
    console.print("\nNext: replace the example details in school.yaml and the CSV files with "
                  "your own school's, then try:")
    console.print(f'  postguard check "Lovely Harvest Festival today!" --school {school_file}',
                  markup=False, soft_wrap=True)


# -- packs --------------------------------------------------------------------------------------


def _load_all_packs() -> tuple[list[Pack], list[PostGuardError]]:
    packs: list[Pack] = []
    problems: list[PostGuardError] = []
    for pack_id in loader.pack_files():
        try:
            packs.append(loader.load_pack(pack_id))
        except ErrorList as error:
            problems.extend(error.errors)
        except PostGuardError as error:
            problems.append(error)
    return packs, problems


def _list_packs(as_json: bool) -> None:
    packs, problems = _load_all_packs()
    if as_json:
        rows = [{"id": pack.id, "title": pack.title, "rules": len(pack.rules)} for pack in packs]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        table = Table(title="Policy packs", title_justify="left")
        table.add_column("id", style="bold")
        table.add_column("policy")
        table.add_column("rules", justify="right")
        table.add_column("based on")
        for pack in packs:
            table.add_row(pack.id, pack.title, str(len(pack.rules)), pack.extends or "")
        _out().print(table)
        _out().print("Details of one pack: postguard packs show ID", markup=False)
    if problems:
        raise ErrorList(problems)


@packs_app.callback()
def packs(ctx: typer.Context) -> None:
    """The policy packs PostGuard knows (one per published policy) and their rules."""
    if ctx.invoked_subcommand is None:
        friendly(_list_packs)(False)


@packs_app.command("list")
@friendly
def packs_list(as_json: JsonFlag = False) -> None:
    """List the policy packs: id, title and how many rules each has."""
    _list_packs(as_json)


def _pack_json(pack: Pack) -> dict[str, Any]:
    data = pack.model_dump(mode="json")
    data["rules"] = [rule.model_dump(mode="json") for rule in pack.rules]
    return data


@packs_app.command("show")
@friendly
def packs_show(
    pack_id: Annotated[str, typer.Argument(metavar="ID", help="The pack's id, as in packs list.",
                                           show_default=False)],
    as_json: JsonFlag = False,
) -> None:
    """Show one pack: its rules (what each checks, and the clause it comes from) and procedures."""
    pack = loader.load_pack(pack_id)
    if as_json:
        print(json.dumps(_pack_json(pack), ensure_ascii=False, indent=2))
        return
    console = _out()
    console.print(Text(pack.title, style="bold"))
    console.print(Text(f"{pack.publisher} · version {pack.version} · {pack.source}"))
    if pack.extends:
        console.print(Text(f"Builds on the {pack.extends!r} pack."))
    console.print(Text(pack.summary.strip()))
    table = Table(title=f"{len(pack.rules)} rules", title_justify="left", show_lines=False)
    for column in ("clause", "rule", "category", "severity", "what it checks"):
        # Rule ids and clauses are what a school types in overrides and cites in letters:
        # fold them onto more lines rather than cut them short.
        table.add_column(column, overflow="fold")
    for rule in pack.rules:
        clause = rule.clause if rule.pack == pack.id else f"{rule.clause} ({rule.pack})"
        table.add_row(clause, rule.id, rule.category,
                      Text(rule.severity, style=VERDICT_STYLE[rule.severity]), rule.title)
    console.print(table)
    routes = pack.procedures.reporting
    if routes:
        table = Table(title="Reporting", title_justify="left")
        for column in ("matter", "report to", "within", "clause"):
            table.add_column(column)
        for matter, route in routes.items():
            within = f"{route.within_hours} h" if route.within_hours else ""
            table.add_row(_words(matter), _words(route.to), within, route.clause)
        console.print(table)


# -- check --------------------------------------------------------------------------------------


def _read_text(text: str | None) -> str:
    if text is not None and text != "-":
        return text
    # With no text at all, waiting on a terminal looks like a hang: say what is missing. An
    # explicit - on a terminal means the user will type the post (ending with Ctrl-D).
    if text is None and sys.stdin.isatty():
        raise PostGuardError(Code.E405)
    body = sys.stdin.read().rstrip("\r\n")
    if not body.strip():
        raise PostGuardError(Code.E405)  # an empty text on purpose is given as ""
    return body


def _when(value: str | None) -> str | None:
    if value is not None and value.strip().lower() == "now":
        return datetime.now(UTC).isoformat()
    return value


# post_from_dict names the record's fields; the user typed options.
OPTION_OF_FIELD = {"posted_at": "--at", "links": "--link", "account_id": "--account-id",
                   "approved_by": "--approved-by", "images": "--image"}


def _evidence_text(text: str, finding: Finding) -> Text | None:
    spans = [(item.start, item.end) for item in finding.evidence
             if item.start is not None and item.end is not None]
    if not spans:
        return None
    shown = Text(text)
    for start, end in spans:
        shown.stylize(EVIDENCE_STYLE, start, end)
    return shown


def _print_result(result: CheckResult, text: str, with_signals: bool) -> None:
    console = _out()
    verdict = Text("Verdict: ")
    verdict.append(f" {result.verdict.upper()} ", style=VERDICT_STYLE[result.verdict])
    count = len(result.findings)
    if count:
        verdict.append(f"  {count} finding{'s' if count != 1 else ''}")
    else:
        verdict.append("  nothing in this post goes against your school's policy")
    console.print(verdict)
    for number, finding in enumerate(result.findings, 1):
        console.print()
        head = Text(f"{number}. ")
        head.append(f" {finding.severity.upper()} ", style=VERDICT_STYLE[finding.severity])
        head.append(f"  {finding.category}", style="bold")
        head.append(f"  clause {finding.clause} ({finding.pack})")
        console.print(head)
        body = [Text(f"{finding.title}: {finding.message}")]
        shown = _evidence_text(text, finding)
        if shown is not None:
            body.append(Text("Evidence: ", style="bold").append_text(shown))
        # Several signals can explain the same fact (in a lesson, in working time): say it once.
        notes = dict.fromkeys(item.explanation for item in finding.evidence if item.start is None)
        body.extend(Text("Evidence: ", style="bold").append(note) for note in notes)
        body.append(Text("Advice: ", style="bold").append(finding.advice, style="green"))
        if finding.suggestion:
            body.append(Text("Try instead: ", style="bold").append(finding.suggestion,
                                                                   style="green"))
        if finding.report_to:
            body.append(Text("Report to: ", style="bold").append(_words(finding.report_to)))
        # Indented as a block so that wrapped lines stay under their finding.
        console.print(Padding(Group(*body), (0, 0, 0, 3)))
    if with_signals:
        console.print()
        table = Table(title="What the detectors saw", title_justify="left")
        for column in ("signal", "score", "text", "why"):
            table.add_column(column)
        for signal in result.signals:
            table.add_row(signal.kind, f"{signal.score:.2f}", signal.evidence(text) or "",
                          signal.explanation)
        console.print(table)
        if result.scores:
            scores = ", ".join(f"{name} {value:.2f}" for name, value in result.scores.items())
            console.print(Text(f"Model scores: {scores}"))


@app.command()
@friendly
def check(
    text: Annotated[str | None, typer.Argument(
        help="The post's text, in quotes. Leave it out, or give -, to read it from standard "
             "input.", show_default=False)] = None,
    school: SchoolOption = None,
    account: Annotated[Literal["personal", "official"], typer.Option(
        help="Your own account (personal) or one of the school's (official).")] = "personal",
    account_id: Annotated[str | None, typer.Option(
        "--account-id", metavar="ID",
        help="Which of the school's official accounts (its id or handle in school.yaml).")]
        = None,
    action: Annotated[Literal["post", "comment", "message", "friend_request", "profile"],
                      typer.Option(help="What you are doing: posting, commenting, sending a "
                                        "message, a friend request, or editing your profile.")]
        = "post",
    audience: Annotated[Literal["public", "friends", "direct"], typer.Option(
        help="Who can see it.")] = "public",
    at: Annotated[str | None, typer.Option(
        "--at", metavar="WHEN",
        help="When it goes out, e.g. 2026-11-23T12:30:00+00:00, or 'now'. Leave out to skip the "
             "working-time rules.")] = None,
    target: Annotated[str | None, typer.Option(
        metavar="WHO", help="Who a message, comment or friend request is to (an id, name or "
                            "handle from the school's people).")] = None,
    author: Annotated[str | None, typer.Option(
        metavar="WHO", help="Who is posting (your id, name or email in the school's people).")]
        = None,
    approved_by: Annotated[str | None, typer.Option(
        "--approved-by", metavar="WHO", help="Who approved an official post.")] = None,
    link: Annotated[list[str] | None, typer.Option(
        "--link", metavar="URL", help="A link in the post; repeat for several.")] = None,
    image: Annotated[list[Path] | None, typer.Option(
        "--image", metavar="FILE", help="A picture in the post; repeat for several.")] = None,
    platform: Annotated[str | None, typer.Option(
        help="Where it goes: facebook, x, instagram, ...")] = None,
    as_json: JsonFlag = False,
    signals: Annotated[bool, typer.Option(
        "--signals", metavar="",
        help="Also show what each detector saw: useful to see why a rule did or did not "
             "fire.")] = False,
) -> None:
    """Check one post before it goes out.

    Exits 0 when it may go out (ok or advice), 1 when it breaks the policy (breach or serious),
    2 when the input is wrong.
    """
    setup = _setup(school)
    body = _read_text(text)
    record = {"text": body, "account": account, "account_id": account_id, "action": action,
              "audience": audience, "posted_at": _when(at), "target": target, "author": author,
              "approved_by": approved_by, "links": list(link or []), "platform": platform,
              "images": [str(path) for path in image or []]}
    try:
        post = post_from_dict(record)
    except PostGuardError as error:
        field = error.location.field
        if field is None:
            raise
        option = OPTION_OF_FIELD.get(field.split("[")[0], "--" + field.replace("_", "-"))
        raise PostGuardError(error.code, Location(field=option), **error.details) from None
    result = setup.checker().check(post)
    if as_json:
        print(json.dumps(result.as_dict(body, with_signals=signals), ensure_ascii=False,
                         indent=2))
    else:
        _print_result(result, body, signals)
    if result.verdict in ("breach", "serious"):
        raise typer.Exit(1)


# -- scan ---------------------------------------------------------------------------------------


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} posts/s", style="progress.data.speed")


def _progress(enabled: bool) -> Progress:
    # No refresh thread (auto_refresh off; the scan refreshes after each batch): worker
    # processes are forked, and forking a process that runs threads is unsafe. No redirection
    # of stdout either: results may be going there.
    return Progress(
        TextColumn("[bold]Checking"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(),
        console=_err(), disable=not enabled, transient=False, auto_refresh=False,
        redirect_stdout=False, redirect_stderr=False,
    )


def _advancer(progress: Progress, task: TaskID) -> Callable[[int], None]:
    last = 0.0

    def advance(done: int) -> None:
        nonlocal last
        progress.advance(task, done)
        now = time.monotonic()
        if now - last >= 0.1:  # ten redraws a second is smooth; one per batch is wasted work
            progress.refresh()
            last = now

    return advance


def _summary_line(lines: int, statuses: Counter[str], noun: str = "line") -> str:
    parts = [f"{statuses[name]:,} {name}" for name in ("ok", "advice", "breach", "serious")
             if statuses[name]]
    if statuses["error"]:
        parts.append(f"{statuses['error']:,} could not be read")
    return f"Checked {lines:,} {noun}{'s' if lines != 1 else ''}: " + (", ".join(parts) or "none")


@app.command()
@friendly
def scan(
    input_file: Annotated[Path, typer.Argument(
        metavar="IN.jsonl", show_default=False,
        help="The posts: one JSON object per line, with the same fields as check (text, author, "
             "account, action, posted_at, ...) plus an id.")],
    school: SchoolOption = None,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="OUT.jsonl",
        help="Where to write the results, one line per post in the same order. Default: the "
             "screen.")] = None,
    engine: Annotated[Literal["local", "ray"], typer.Option(
        help="local: this computer. ray: a cluster (coming later).")] = "local",
    workers: Annotated[int, typer.Option(
        min=1, help="How many processes check posts at once; up to one per core helps.")] = 1,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", min=1,
        help="Posts checked together in one go; larger is a little faster and uses more "
             "memory.")] = DEFAULT_BATCH_SIZE,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", metavar="", help="No progress bar or summary.")] = False,
) -> None:
    """Check every post in a JSON Lines file, in order.

    A line that cannot be read is reported in the output (with its line number and the problem)
    and the rest are still checked; the exit status is then 2.
    """
    if engine != "local":
        raise PostGuardError(Code.E404, Location(field="--engine"), engine=engine)
    setup = _setup(school)
    label = str(input_file)
    if not input_file.is_file():
        problem = "it is a folder" if input_file.is_dir() else "no such file"
        raise PostGuardError(Code.E401, Location(label), path=label, problem=problem)
    # Results printed to the terminal would tear through a progress bar: then show none.
    show = not quiet and sys.stderr.isatty() and (out is not None or not sys.stdout.isatty())
    try:
        handle = sys.stdout if out is None else out.open("w", encoding="utf-8", newline="\n")
    except OSError as problem:
        raise PostGuardError(Code.E406, Location(str(out)), path=str(out),
                             problem=problem.strerror or str(problem)) from None
    try:
        with _progress(show) as progress:
            task = progress.add_task("scan", total=count_lines(input_file) if show else None)
            summary = scan_file(input_file, setup, handle, workers=workers,
                                batch_size=batch_size, source=label,
                                advance=_advancer(progress, task))
    except KeyboardInterrupt:
        sys.stderr.write("Stopped: the results written so far are complete lines, in order.\n")
        raise typer.Exit(130) from None
    finally:
        if handle is not sys.stdout:
            handle.close()
    if not quiet:
        where = f"; results in {out}" if out is not None else ""
        sys.stderr.write(_summary_line(summary.lines, summary.statuses) + where + "\n")
    if summary.errors:
        raise typer.Exit(2)


# -- eval ---------------------------------------------------------------------------------------


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _print_report(report: evaluation.Report, label: str, setup: Setup) -> None:
    console = _out()
    console.print(f"Evaluated {report.posts:,} posts from {label} against {setup.school.name}'s "
                  f"policy ({setup.pack.id} pack)", markup=False, soft_wrap=True)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("category", "labelled", "found", "right", "precision", "recall", "F1",
                   "macro-F1", "AUC"):
        table.add_column(column, justify="left" if column == "category" else "right",
                         no_wrap=column == "category")
    for item in report.categories:
        table.add_row(item.category, f"{item.counts.support:,}", f"{item.counts.predicted:,}",
                      f"{item.counts.tp:,}", _figure(item.precision), _figure(item.recall),
                      _figure(item.f1), _figure(item.macro_f1), _figure(item.auc))
    console.print(table)
    console.print("macro-F1 per category: the mean of its F1 and the F1 of the posts without it "
                  "(as OffensEval and HatEval score a yes/no task).", markup=False,
                  soft_wrap=True, style="dim")
    console.print(f"Mean F1 over the labelled categories ({', '.join(report.labelled) or 'none'})"
                  f": {_figure(report.macro_f1)}", markup=False, soft_wrap=True)
    flagged = report.flagged
    console.print(f"Labelled with any category vs clean (any finding counts): macro-F1 "
                  f"{_figure(flagged.macro_f1)} (flagged F1 {_figure(flagged.flagged_f1)}, "
                  f"clean F1 {_figure(flagged.clean_f1)})", markup=False, soft_wrap=True)
    sources = "; ".join(f"{name} ← max of {', '.join(found)}" if len(found) > 1
                        else f"{name} ← {found[0]}"
                        for name, found in evaluation.SCORE_SOURCES.items())
    console.print(f"AUC from the engine's model scores ({sources}); — where a category has no "
                  "score, or no labelled or no clean post.", markup=False, soft_wrap=True,
                  style="dim")


@app.command("eval")
@friendly
def eval_(
    input_file: Annotated[Path, typer.Argument(
        metavar="LABELLED.jsonl", show_default=False,
        help='The posts: one JSON object per line, with the same fields as scan takes plus '
             '"labels", a list of categories (e.g. ["abusive"]; [] for a clean post).')],
    school: SchoolOption = None,
    as_json: JsonFlag = False,
    workers: Annotated[int, typer.Option(
        min=1, help="How many processes check posts at once; up to one per core helps.")] = 1,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", metavar="", help="No progress bar.")] = False,
) -> None:
    """Measure how well PostGuard finds each category, on posts labelled by hand.

    Prints per category the number labelled, precision, recall, F1 and (where the engine has a
    model score for the category) AUC, then the macro-F1 over the labelled categories. A
    category counts as found when the post has a finding of it. Any bad line stops the run:
    every one is named (file, line, field) and the exit status is 2.
    """
    setup = _setup(school)
    label = str(input_file)
    try:
        with _progress(not quiet and sys.stderr.isatty()) as progress:
            task = progress.add_task("eval", total=None)
            outcomes = evaluation.evaluate_file(
                input_file, setup, workers=workers, source=label,
                started=lambda total: progress.update(task, total=total),
                advance=_advancer(progress, task))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    report = evaluation.evaluate(outcomes)
    if as_json:
        body = {"file": label, "school": setup.school.name, "pack": setup.pack.id,
                **report.as_dict()}
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        _print_report(report, label, setup)


# -- demo ---------------------------------------------------------------------------------------


def _short_name(name: str) -> str:
    parts = name.split()
    return name if len(parts) < 2 else f"{parts[0][0]}. {parts[-1]}"


def _abbreviate(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _demo_table(items: Sequence[LineResult], setup: Setup, width: int) -> Table:
    rows: list[tuple[str, str, str, Text, str]] = []
    for item in items:
        post = item.post
        who = ""
        if post is not None:
            person = setup.school.find(post.author)
            who = _short_name(person.name) if person else post.author or ""
            if post.account == "official":
                who += "\n(school)"
        if item.result is None:
            message = item.error.message if item.error else "unreadable"
            rows.append((item.id, who, message, Text("error", style="bold magenta"), ""))
            continue
        verdict = item.result.verdict
        clauses: dict[str, list[str]] = {}
        for finding in item.result.findings:
            clauses.setdefault(finding.category, []).append(finding.clause)
        findings = "\n".join(f"{category} ({', '.join(dict.fromkeys(found))})"
                             for category, found in clauses.items())
        rows.append((item.id, who, post.text if post else "",
                     Text(verdict, style=VERDICT_STYLE[verdict]), findings))

    def widest(column: int) -> int:
        return max((len(line) for row in rows for line in str(row[column]).split("\n")),
                   default=4)

    # id, who and verdict keep their width; the post and its findings share what is left (a
    # finding wraps after its category on a narrow screen), and the post is cut to two lines.
    left = width - widest(0) - widest(1) - len("serious") - 16  # 16: borders and padding
    findings_width = min(widest(4), max(20, left // 2))
    post_width = max(12, left - findings_width)
    table = Table(title=f"Demo posts checked against {setup.school.name}'s policy "
                        f"({setup.pack.id} pack)", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("who", no_wrap=True)
    table.add_column("post", width=post_width)
    table.add_column("verdict", no_wrap=True)
    table.add_column("findings", width=findings_width)
    for ident, who, text, label, findings in rows:
        table.add_row(ident, who, _abbreviate(text, post_width * 9 // 5), label, findings)
    return table


@app.command()
@friendly
def demo() -> None:
    """Check the example posts against the example school and show what PostGuard found."""
    setup = load_setup(demo_school_dir() / "school.yaml")
    checker = ChunkChecker(setup, str(DEMO_POSTS), DEMO_POSTS.parent)
    items: list[LineResult] = []
    for chunk in read_chunks(DEMO_POSTS, DEFAULT_BATCH_SIZE):
        items.extend(checker.check_lines(chunk))
    console = _out()
    console.print(_demo_table(items, setup, console.width))
    statuses = Counter(item.status for item in items)
    console.print(_summary_line(len(items), statuses, "post"), markup=False, soft_wrap=True)
    categories = Counter(finding.category for item in items if item.result
                         for finding in item.result.findings)
    if categories:
        console.print("Findings by category: " + ", ".join(
            f"{name} {count}" for name, count in categories.most_common()), markup=False)
    console.print("\nTry it yourself:", style="bold")
    hints = [
        "postguard init my-school          # an example school.yaml to edit",
        "export POSTGUARD_SCHOOL=my-school/school.yaml",
        'postguard check "Jayden Robson smashed his times tables today!"',
        'postguard check "Hi Jayden, add me!" --action friend_request --target p-robson',
        f"postguard scan {DEMO_POSTS} --out results.jsonl --workers 2",
        "postguard packs list              # the policies and their rules",
    ]
    for hint in hints:
        console.print(f"  {hint}", markup=False, soft_wrap=True)


# -- the web application ------------------------------------------------------------------------
# Django is imported inside each command, so that the engine's commands above start quickly.

web_app = typer.Typer(
    help="The web application's database: set it up, import the school, the demo's codes.",
    no_args_is_help=True, rich_markup_mode="markdown")
audit_app = typer.Typer(help="The audit log: every change made in the web application.",
                        no_args_is_help=True, rich_markup_mode="markdown")
app.add_typer(web_app, name="web")
app.add_typer(audit_app, name="audit")


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(
        help="The address to listen on. 127.0.0.1 is this computer only; for others, also set "
             "POSTGUARD_ALLOWED_HOSTS to the names they will use.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Load the demo school (if no school is stored) and one demo user per "
                       "role, and print their sign-ins.")] = False,
    threads: Annotated[int, typer.Option(min=1, help="Requests served at once.")] = 8,
) -> None:
    """Run the web application, after bringing its database up to date.

    The database is SQLite in POSTGUARD_DATA_DIR (./var by default), or PostgreSQL when
    DATABASE_URL is set. Background work (reminders) needs `postguard worker` running too.
    """
    from postguard.web import runner

    runner.migrate()
    console = _out()
    if demo:
        from postguard.web.demo import prepare_demo, sign_in_table

        console.print(sign_in_table(prepare_demo()))
        console.print("Head teacher, safeguarding lead and administrator sign in with a code as "
                      "well: add their secret to an authenticator app, or print the current "
                      "code with: postguard web demo-code head", markup=False, soft_wrap=True)
    console.print(f"PostGuard is on http://{host}:{port}/ (press Ctrl-C to stop)",
                  markup=False, soft_wrap=True)
    try:
        runner.serve(host, port, threads=threads)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@app.command()
@friendly
def worker(
    interval: Annotated[float, typer.Option(
        min=0.1, help="Seconds to wait when no task is waiting.")] = 1.0,
    poll_every: Annotated[float, typer.Option(
        min=1, help="Seconds between looks at due dates (reviews, reminders).")] = 60.0,
) -> None:
    """Run the web application's background work: queued tasks, and reminders as they fall due.

    Safe to run more than one: a task runs once, and a reminder is sent once.
    """
    from postguard.web import runner

    runner.setup()
    from postguard.web.deadlines import registered_pollers

    sys.stderr.write(f"Worker started: {len(registered_pollers())} deadline poller(s), checked "
                     f"every {poll_every:g} s (press Ctrl-C to stop)\n")
    try:
        runner.worker(interval=interval, poll_every=poll_every)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@web_app.command("migrate")
@friendly
def web_migrate() -> None:
    """Create or update the web application's database tables."""
    from postguard.web import runner

    runner.migrate(verbosity=1)


@web_app.command("import-school")
@friendly
def web_import_school(
    school_file: Annotated[Path, typer.Argument(
        metavar="FILE", show_default=False,
        help="The school's configuration (school.yaml), with the CSV files it names beside it.")],
) -> None:
    """Store the school in the web application, replacing the one stored (people included).

    The files are checked exactly as `postguard check` checks them; if anything is wrong,
    every problem is named (file, line, field), nothing is stored and the exit status is 2.
    """
    school = load_setup(school_file).school
    from postguard.web import runner

    runner.migrate()
    from django.db import transaction

    from postguard.web.audit.models import record
    from postguard.web.schools.models import GROUP_OF_KIND, SchoolRecord

    with transaction.atomic():
        stored = SchoolRecord.import_school(school, source=str(school_file))
        counts = {group: len(getattr(school.people, group)) for group in GROUP_OF_KIND.values()}
        record("command line", "school.import", stored.name, files=[str(school_file)],
               people=counts)
    summary = ", ".join(f"{_words(group)} {count}" for group, count in counts.items() if count)
    _out().print(f"Stored {school.name}: {len(school.everyone)} people ({summary}).",
                 markup=False, soft_wrap=True)


@web_app.command("demo-code")
def web_demo_code(
    username: Annotated[str, typer.Argument(
        metavar="USER", show_default=False, help="A demo user: head, dsl or admin.")],
) -> None:
    """Print a demo user's current two-factor code, for trying the demo without a phone."""
    from postguard.web import runner

    runner.setup()
    from postguard.web.demo import demo_code

    try:
        code = demo_code(username)
    except LookupError as problem:
        sys.stderr.write(f"error: {problem.args[0]}\n")
        raise typer.Exit(2) from None
    print(code)


@audit_app.command("verify")
def audit_verify() -> None:
    """Prove the audit log intact: every entry unchanged and chained to the one before.

    Exits 0 and prints how many entries it checked; otherwise names the first broken entry and
    exits 1 (entries from there on cannot be trusted).
    """
    from postguard.web import runner

    runner.setup()
    from postguard.web.audit.models import verify

    result = verify()
    if result.intact:
        print(f"The audit log is intact: {result.entries:,} "
              f"entr{'y' if result.entries == 1 else 'ies'} checked.")
        return
    print(f"The audit log is broken at entry {result.first_broken}: {result.problem}. It is "
          f"entry {result.entries:,} in order; it and every entry after it cannot be trusted.")
    raise typer.Exit(1)


def main(argv: Sequence[str] | None = None) -> None:
    """The console entry point (``postguard``)."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="postguard",
            standalone_mode=True)
    except Exception as bug:  # a bug, not bad input: one line for the user, details on request
        if os.environ.get("POSTGUARD_DEBUG"):
            raise
        _say_errors(PostGuardError(Code.E901, problem=f"{type(bug).__name__}: {bug}"))
        sys.exit(3)
