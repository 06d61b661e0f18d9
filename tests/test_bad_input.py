"""Bad input is reported, never crashed on: each problem is one line naming file, line and field.

The scan cases run the real command in a separate process over one file holding every kind of
bad line between good ones, so they also show that the run carries on, drops nothing, exits 2
and prints no traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from postguard.errors import ErrorList, PostGuardError
from postguard.policy.loader import pack_files, resolve
from postguard.school.loader import demo_school_dir

DEMO_SCHOOL = demo_school_dir() / "school.yaml"
RUN_CLI = "import sys; from postguard.cli import main; main(sys.argv[1:])"

# (line text, expected code, expected field); good lines sit between the bad ones.
BAD_LINES: dict[str, tuple[str, str, str | None]] = {
    "malformed JSON": ('{"id": "j1", "text": "unfinished', "E301", None),
    "unknown field": ('{"id": "u1", "text": "hi", "colour": "red"}', "E302", "colour"),
    "missing text": ('{"id": "t1", "author": "s-okafor"}', "E303", "text"),
    "bad time stamp": ('{"id": "d1", "text": "hi", "posted_at": "2026-11-23 12:30"}', "E304",
                       "posted_at"),
    "unknown account type": ('{"id": "a1", "text": "hi", "account": "work"}', "E305", "account"),
    "wrong type": ('{"id": "l1", "text": "hi", "links": "https://example.org"}', "E307", "links"),
    "not an object": ('["a list", "not a post"]', "E308", None),
    "unreadable image path": ('{"id": "i1", "text": "hi", "images": ["missing.jpg"]}', "E306",
                              "images[0]"),
}
GOOD = '{"id": "ok%d", "text": "Lovely Harvest Festival today."}'


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN_CLI, *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120, check=False)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("bad")
    lines = []
    for number, (text, _, _) in enumerate(BAD_LINES.values()):
        lines += [GOOD % number, text]
    posts = folder / "posts.jsonl"
    posts.write_text("\n".join(lines) + "\n")
    done = run_cli("scan", str(posts), "--school", str(DEMO_SCHOOL), "--workers", "2",
                   "--batch-size", "3")
    output = [json.loads(line) for line in done.stdout.splitlines()]
    return {"file": str(posts), "done": done, "output": output, "inputs": len(lines)}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_a_bad_line_is_reported_with_its_file_line_and_field(scanned: dict[str, Any],
                                                            case: str) -> None:
    index = list(BAD_LINES).index(case)
    _, code, field = BAD_LINES[case]
    line_number = 2 * index + 2
    reported = scanned["output"][line_number - 1]
    error = reported["error"]
    assert (error["code"], error["file"], error["line"], error["field"]) == (
        code, scanned["file"], line_number, field)
    where = f"{scanned['file']}:{line_number}" + (f", field {field}" if field else "")
    assert error["message"].startswith(f"{code} {where}: ")
    assert reported["line"] == line_number


def test_a_bad_line_keeps_the_records_id_when_it_has_one(scanned: dict[str, Any]) -> None:
    ids = [line["id"] for line in scanned["output"] if "error" in line]
    assert ids == ["line 2", "u1", "t1", "d1", "a1", "l1", "line 14", "i1"]


def test_bad_lines_do_not_stop_the_run_or_lose_lines(scanned: dict[str, Any]) -> None:
    output = scanned["output"]
    assert len(output) == scanned["inputs"]
    assert [line["line"] for line in output] == list(range(1, scanned["inputs"] + 1))
    assert all(line["verdict"] == "ok" for line in output[::2])


def test_a_run_with_bad_lines_exits_2_without_a_traceback(scanned: dict[str, Any]) -> None:
    done = scanned["done"]
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert f"{len(BAD_LINES)} could not be read" in done.stderr


def test_a_pack_with_an_unknown_category_names_file_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(textwrap.dedent("""\
        id: bad
        title: Bad pack
        publisher: Tests
        source: tests
        version: "1"
        summary: A pack with a mistake.
        rules:
          - id: gossip
            title: Gossip
            category: gossiping
            severity: breach
            clause: "1"
            when: {all: [topic.gossip]}
            message: Gossip.
            advice: Don't.
            examples: {fires: [{text: a}], quiet: [{text: b}]}
        """))
    with pytest.raises(PostGuardError) as caught:
        resolve("bad", directory=tmp_path)
    problems = caught.value.errors if isinstance(caught.value, ErrorList) else [caught.value]
    assert len(problems) == 1
    message = problems[0].message
    assert message.startswith("E102 packs/bad.yaml:10, field rules[0].category: ")
    assert "unknown category 'gossiping'" in message
    assert "Traceback" not in message


def test_a_school_naming_an_unknown_pack_is_one_line_on_stderr(tmp_path: Path) -> None:
    for source in demo_school_dir().iterdir():
        (tmp_path / source.name).write_bytes(source.read_bytes())
    school = tmp_path / "school.yaml"
    text = school.read_text().replace("pack: northumberland", "pack: atlantis")
    school.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "pack: atlantis" in row)
    done = run_cli("check", "Hello", "--school", str(school))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"error: E101 {school}:{line}, field policy.pack: unknown policy pack 'atlantis' "
        f"(known packs: {', '.join(pack_files())})"]


def test_an_unreadable_image_on_the_command_line_names_the_option(tmp_path: Path) -> None:
    done = run_cli("check", "Look", "--school", str(DEMO_SCHOOL), "--image",
                   str(tmp_path / "gone.jpg"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: E306 field --image: cannot read image ")
    assert "Traceback" not in done.stderr


def test_an_internal_error_is_one_line_asking_for_a_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from postguard import cli
    from postguard.engine.checker import Checker

    def broken(self: Checker, post: object) -> None:
        raise RuntimeError("detector exploded")

    monkeypatch.delenv("POSTGUARD_DEBUG", raising=False)
    monkeypatch.setattr(Checker, "check", broken)
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "hello", "--school", str(demo_school_dir() / "school.yaml")])
    error = capsys.readouterr().err
    assert stop.value.code == 3
    assert error.startswith("error: E901") and error.count("\n") == 1
    assert "Traceback" not in error


def test_every_error_code_is_its_own_code_even_when_texts_match() -> None:
    from postguard.errors import Code

    assert Code.E201 is not Code.E102
    assert len({code.name for code in Code}) == len(Code.__members__)
