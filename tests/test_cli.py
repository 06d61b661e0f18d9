"""The ``postguard`` command line: its exit codes, its output and its files.

Most tests run the command against the demo school with a tiny pack written into a temporary
folder, whose rules fire on facts of the post itself (a link, a picture, the account), so they
describe the command line's contract whatever the detectors find. The tests marked as using the
bundled packs run against the real policies.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from postguard.cli import app
from postguard.policy import loader
from postguard.policy.model import Pack
from postguard.scan import load_setup
from postguard.school.loader import demo_school_dir

TINY_PACK = """\
id: tiny
title: Tiny test policy
publisher: Tests
source: tests
version: "1"
summary: Three rules that fire on a post's links, pictures and account.
procedures:
  reporting:
    safeguarding: {to: designated_safeguarding_lead, clause: "9.9"}
rules:
  - id: links
    title: Links need approval
    category: official_standards
    severity: breach
    clause: "1.2"
    when: {all: [post.links]}
    message: The post carries a link.
    advice: Ask before sharing links.
    examples: {fires: [{text: a, links: [https://example.org]}], quiet: [{text: b}]}
  - id: official
    title: Official posts
    category: official_standards
    severity: advice
    clause: "1.1"
    applies: {account: [official]}
    when: {all: [post.public]}
    message: Official posts are read by everyone.
    advice: Read it twice.
    examples: {fires: [{text: a, account: official}], quiet: [{text: b}]}
  - id: pictures
    title: Pictures are checked by hand
    category: safeguarding
    severity: serious
    clause: "3.1"
    when: {all: [post.images]}
    message: The post carries a picture.
    advice: Ask the safeguarding lead first.
    report_to: designated_safeguarding_lead
    examples: {fires: [{text: a, images: [{description: x}]}], quiet: [{text: b}]}
"""

runner = CliRunner()


def copy_demo_school(directory: Path, pack: str = "tiny") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for source in demo_school_dir().iterdir():
        if source.suffix in (".yaml", ".csv"):
            shutil.copyfile(source, directory / source.name)
    school = directory / "school.yaml"
    school.write_text(school.read_text().replace("pack: northumberland", f"pack: {pack}"))
    return school


@pytest.fixture
def school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo school, adopting the tiny pack (served in place of the bundled packs)."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "tiny.yaml").write_text(TINY_PACK)

    def load_pack(pack_id: str) -> Pack:
        return loader.resolve(pack_id, directory=packs)

    monkeypatch.setattr(loader, "load_pack", load_pack)
    return copy_demo_school(tmp_path / "school")


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), input=input, env=env)


def write_posts(path: Path, records: list[dict[str, object] | str]) -> Path:
    lines = [record if isinstance(record, str) else json.dumps(record) for record in records]
    path.write_text("\n".join(lines) + "\n")
    return path


def output_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- check --------------------------------------------------------------------------------------


def test_check_exits_0_on_an_ok_post(school: Path) -> None:
    result = invoke("check", "Lovely walk by the river today.", "--school", str(school))
    assert result.exit_code == 0
    assert "OK" in result.stdout


def test_check_exits_0_on_advice(school: Path) -> None:
    result = invoke("check", "Harvest Festival today!", "--school", str(school),
                    "--account", "official", "--account-id", "facebook")
    assert result.exit_code == 0
    assert "ADVICE" in result.stdout


def test_check_exits_1_on_a_breach(school: Path) -> None:
    result = invoke("check", "Read this", "--school", str(school),
                    "--link", "https://example.org/a")
    assert result.exit_code == 1
    assert "BREACH" in result.stdout


def test_check_shows_category_clause_pack_and_advice(school: Path) -> None:
    result = invoke("check", "Read this", "--school", str(school),
                    "--link", "https://example.org/a")
    assert "official_standards" in result.stdout
    assert "clause 1.2 (tiny)" in result.stdout
    assert "Ask before sharing links." in result.stdout


def test_check_json_prints_the_result(school: Path) -> None:
    result = invoke("check", "Read this", "--school", str(school), "--json",
                    "--link", "https://example.org/a")
    body = json.loads(result.stdout)
    assert body["verdict"] == "breach"
    finding = body["findings"][0]
    assert (finding["category"], finding["clause"], finding["pack"]) == (
        "official_standards", "1.2", "tiny")
    assert "signals" not in body


def test_check_json_with_signals_lists_what_the_detectors_saw(school: Path) -> None:
    result = invoke("check", "Read this", "--school", str(school), "--json", "--signals",
                    "--link", "https://example.org/a")
    kinds = {signal["signal"] for signal in json.loads(result.stdout)["signals"]}
    assert "post.links" in kinds


def test_check_reads_the_text_from_standard_input(school: Path) -> None:
    result = invoke("check", "-", "--school", str(school), "--json",
                    input="A post typed elsewhere\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["verdict"] == "ok"


def test_check_with_no_text_anywhere_says_what_is_missing(school: Path) -> None:
    result = invoke("check", "--school", str(school), input="")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: E405: nothing to check")


def test_check_accepts_an_empty_text_given_on_purpose(school: Path) -> None:
    result = invoke("check", "", "--school", str(school), "--action", "friend_request",
                    "--target", "p-robson", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["verdict"] == "ok"


def test_check_says_who_a_serious_finding_must_be_reported_to(school: Path,
                                                              tmp_path: Path) -> None:
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(b"\xff\xd8\xff")
    result = invoke("check", "Look", "--school", str(school), "--image", str(picture))
    assert result.exit_code == 1
    assert "SERIOUS" in result.stdout
    assert "Report to: designated safeguarding lead" in result.stdout


def test_check_with_a_missing_picture_names_the_option(school: Path, tmp_path: Path) -> None:
    result = invoke("check", "Look", "--school", str(school), "--image", str(tmp_path / "no.jpg"))
    assert result.exit_code == 2
    assert "E306 field --image:" in result.stderr


def test_check_uses_POSTGUARD_SCHOOL_when_school_is_omitted(school: Path) -> None:
    result = invoke("check", "Hello", "--json", env={"POSTGUARD_SCHOOL": str(school)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["verdict"] == "ok"


def test_check_without_a_school_is_one_clear_line(school: Path) -> None:
    result = invoke("check", "Hello", env={"POSTGUARD_SCHOOL": None})  # type: ignore[dict-item]
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: E403: no school configuration given: pass --school FILE or set POSTGUARD_SCHOOL"]


def test_check_with_a_bad_time_names_the_option(school: Path) -> None:
    result = invoke("check", "Hello", "--school", str(school), "--at", "tuesday")
    assert result.exit_code == 2
    assert "E304 field --at: bad time stamp 'tuesday'" in result.stderr


# -- scan ---------------------------------------------------------------------------------------


def test_scan_writes_one_line_per_post_in_input_order(school: Path, tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "in.jsonl", [
        {"id": "a", "text": "fine"},
        {"id": "b", "text": "link", "links": ["https://example.org"]},
        {"text": "no id"},
    ])
    result = invoke("scan", str(posts), "--school", str(school))
    assert result.exit_code == 0
    lines = output_lines(result.stdout)
    assert [(line["id"], line["line"], line["verdict"]) for line in lines] == [
        ("a", 1, "ok"), ("b", 2, "breach"), ("line 3", 3, "ok")]
    assert set(lines[1]) == {"id", "line", "verdict", "findings", "scores"}


def test_scan_keeps_order_with_two_workers(school: Path, tmp_path: Path) -> None:
    records: list[dict[str, object] | str] = [
        {"id": f"p{n}", "text": f"post {n}", "links": ["https://example.org"] if n % 3 else []}
        for n in range(150)]
    posts = write_posts(tmp_path / "in.jsonl", records)
    result = invoke("scan", str(posts), "--school", str(school), "--workers", "2",
                    "--batch-size", "7")
    assert result.exit_code == 0, result.stderr
    lines = output_lines(result.stdout)
    assert [line["id"] for line in lines] == [f"p{n}" for n in range(150)]
    assert [line["verdict"] for line in lines] == [
        "breach" if n % 3 else "ok" for n in range(150)]


def test_scan_reports_a_malformed_line_and_carries_on(school: Path, tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "in.jsonl", [
        {"id": "a", "text": "fine"}, '{"id": "b", "text": ', {"id": "c", "text": "fine"}])
    result = invoke("scan", str(posts), "--school", str(school))
    assert result.exit_code == 2
    lines = output_lines(result.stdout)
    assert [line["id"] for line in lines] == ["a", "line 2", "c"]
    assert lines[1]["line"] == 2
    error = lines[1]["error"]
    assert isinstance(error, dict)
    assert (error["code"], error["file"], error["line"]) == ("E301", str(posts), 2)
    assert lines[2]["verdict"] == "ok"


def test_scan_error_line_keeps_the_records_id(school: Path, tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "in.jsonl", [{"id": "x9", "txt": "typo"}])
    result = invoke("scan", str(posts), "--school", str(school))
    line = output_lines(result.stdout)[0]
    assert (line["id"], line["error"]["code"], line["error"]["field"]) == (  # type: ignore[index]
        "x9", "E302", "txt")


def test_scan_skips_blank_lines_but_keeps_line_numbers(school: Path, tmp_path: Path) -> None:
    posts = tmp_path / "in.jsonl"
    posts.write_text('{"text": "one"}\n\n{"text": "three", "posted_at": "soon"}\n')
    result = invoke("scan", str(posts), "--school", str(school))
    lines = output_lines(result.stdout)
    assert [line["line"] for line in lines] == [1, 3]


def test_scan_resolves_image_paths_beside_the_input_file(school: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    posts = write_posts(folder / "in.jsonl", [{"id": "a", "text": "look", "images": ["photo.jpg"]}])
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", str(posts), "--school", str(school))
    assert result.exit_code == 0, result.stdout
    assert output_lines(result.stdout)[0]["verdict"] == "serious"


def test_scan_writes_to_the_out_file(school: Path, tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "in.jsonl", [{"id": "a", "text": "fine"}])
    out = tmp_path / "out.jsonl"
    result = invoke("scan", str(posts), "--school", str(school), "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert output_lines(out.read_text())[0]["id"] == "a"
    assert "Checked 1 line: 1 ok" in result.stderr


def test_scan_rejects_the_ray_engine_for_now(school: Path, tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "in.jsonl", [{"text": "fine"}])
    result = invoke("scan", str(posts), "--school", str(school), "--engine", "ray")
    assert result.exit_code == 2
    assert "E404 field --engine: the 'ray' engine is not available yet" in result.stderr


def test_scan_of_a_missing_file_is_one_clear_line(school: Path, tmp_path: Path) -> None:
    result = invoke("scan", str(tmp_path / "nope.jsonl"), "--school", str(school))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "E401" in result.stderr and "no such file" in result.stderr


# -- packs (the bundled policies) ----------------------------------------------------------------


def test_packs_list_json_lists_the_five_seed_policies() -> None:
    result = invoke("packs", "list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["id"] for row in rows} >= {"northumberland", "neu", "schools-managed-2010",
                                          "hardmoor", "kettleshulme"}
    assert all(set(row) == {"id", "title", "rules"} and row["rules"] > 0 for row in rows)


def test_packs_on_its_own_lists_the_packs() -> None:
    result = invoke("packs")
    assert result.exit_code == 0, result.stderr
    assert "northumberland" in result.stdout


def test_packs_show_json_gives_rules_and_procedures() -> None:
    result = invoke("packs", "show", "northumberland", "--json")
    assert result.exit_code == 0, result.stderr
    pack = json.loads(result.stdout)
    assert pack["id"] == "northumberland" and "procedures" in pack
    needed = {"id", "category", "severity", "clause", "title", "message", "advice",
              "report_to", "applies", "when"}
    assert pack["rules"] and all(needed <= set(rule) for rule in pack["rules"])


def test_packs_show_of_an_unknown_pack_is_E101() -> None:
    result = invoke("packs", "show", "atlantis")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: E101: unknown policy pack 'atlantis'")


# -- init ---------------------------------------------------------------------------------------


def test_init_writes_a_school_that_validates(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "my-school"))
    assert result.exit_code == 0, result.stderr
    setup = load_setup(tmp_path / "my-school" / "school.yaml")
    assert setup.school.name == "Westmoor Primary School"
    assert setup.school.people.pupils  # the CSV files came too


def test_init_refuses_a_directory_that_has_a_school(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").write_text("name: Mine\n")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 2
    assert "E402" in result.stderr
    assert (tmp_path / "school.yaml").read_text() == "name: Mine\n"


# -- the school file ----------------------------------------------------------------------------


def test_school_naming_an_unknown_pack_is_one_clear_line(tmp_path: Path) -> None:
    school = copy_demo_school(tmp_path, pack="atlantis")
    line = next(number for number, text in enumerate(school.read_text().splitlines(), 1)
                if "pack: atlantis" in text)
    result = invoke("check", "Hello", "--school", str(school))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: E101 {school}:{line}, field policy.pack: unknown policy pack 'atlantis' "
        f"(known packs: {', '.join(loader.pack_files())})"]


def test_school_with_errors_lists_each_problem_on_its_own_line(tmp_path: Path) -> None:
    school = tmp_path / "school.yaml"
    school.write_text(textwrap.dedent("""\
        name: Broken School
        colour: blue
        timetable: {timezone: Mars/Olympus}
        policy: {pack: northumberland}
        """))
    result = invoke("check", "Hello", "--school", str(school))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert any(f"{school}:2, field colour" in line for line in lines)
    assert any(f"{school}:3, field timetable.timezone" in line for line in lines)


# -- demo -----------------------------------------------------------------------------------------


def test_demo_checks_every_bundled_post() -> None:
    result = invoke("demo")
    assert result.exit_code == 0, result.stderr
    posts = demo_school_dir().parent / "posts.jsonl"
    count = sum(1 for line in posts.read_text().splitlines() if line.strip())
    assert f"Checked {count} posts" in result.stdout
    assert "could not be read" not in result.stdout
