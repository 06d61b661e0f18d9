"""The scanning logic under the command line, driven in-process."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from postguard.engine.checker import Checker, CheckResult
from postguard.engine.post import Post
from postguard.scan import ChunkChecker, Setup, load_setup, read_chunks, scan_file
from postguard.school.loader import demo_school_dir


@pytest.fixture(scope="module")
def setup() -> Setup:
    return load_setup(demo_school_dir() / "school.yaml")


class FragileChecker(Checker):
    """Fails on any post containing 'boom', as a detector bug would."""

    def check_many(self, posts: Sequence[Post]) -> list[CheckResult]:
        if any("boom" in post.text for post in posts):
            raise RuntimeError("detector fell over")
        return super().check_many(posts)


def test_read_chunks_numbers_lines_as_an_editor_does(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "a"}\n\n   \n{"text": "b"}\r\n{"text": "c"}')
    chunks = list(read_chunks(path, batch_size=2))
    assert [[number for number, _ in chunk] for chunk in chunks] == [[1, 4], [5]]


def test_a_line_that_is_not_utf8_is_an_error_line(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n')
    out = io.StringIO()
    summary = scan_file(path, setup, out)
    line = json.loads(out.getvalue())
    assert line["error"]["code"] == "E301" and "not UTF-8" in line["error"]["message"]
    assert summary.errors == 1


def test_a_byte_order_mark_at_the_start_is_not_an_error(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "hello"}\n')
    out = io.StringIO()
    scan_file(path, setup, out)
    assert json.loads(out.getvalue())["verdict"] == "ok"


def test_a_post_that_breaks_the_engine_is_reported_and_the_rest_checked(setup: Setup) -> None:
    checker = FragileChecker(setup.school, pack=setup.pack)
    chunk = [(1, b'{"id": "a", "text": "fine"}'), (2, b'{"id": "b", "text": "boom"}'),
             (3, b'{"id": "c", "text": "also fine"}')]
    results = ChunkChecker(setup, "in.jsonl", None, checker=checker).check_lines(chunk)
    assert [item.status for item in results] == ["ok", "error", "ok"]
    error = results[1].error
    assert error is not None and error.code.name == "E309"
    assert "RuntimeError: detector fell over" in error.message


def test_one_and_two_workers_give_the_same_verdicts(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    records = [{"id": str(n), "text": f"Hi Jayden {n}", "action": "friend_request",
                "target": "p-robson"} if n % 4 == 0 else {"id": str(n), "text": f"Walk {n}"}
               for n in range(60)]
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    one, two = io.StringIO(), io.StringIO()
    scan_file(path, setup, one, workers=1, batch_size=5)
    scan_file(path, setup, two, workers=2, batch_size=5)

    def verdicts(text: str) -> list[tuple[str, str]]:
        return [(row["id"], row["verdict"]) for row in map(json.loads, text.splitlines())]

    assert verdicts(one.getvalue()) == verdicts(two.getvalue())
    assert len(verdicts(one.getvalue())) == 60


def test_progress_is_told_how_many_lines_are_done(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "a"}\n' * 10)
    done: list[int] = []
    scan_file(path, setup, io.StringIO(), batch_size=4, advance=done.append)
    assert done == [4, 4, 2]
