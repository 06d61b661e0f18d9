"""How the checker turns signals into findings, a verdict and evidence, and how packs resolve.

These tests use small packs written into a temporary folder and triggered by the post's own
facts (audience, links), so they describe the checker's logic independently of any detector.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from postguard.engine.checker import Checker
from postguard.engine.post import post_from_dict
from postguard.errors import PostGuardError
from postguard.policy.loader import apply_overrides, resolve
from postguard.school.model import RuleOverride, School

RULE = """
  - id: {id}
    title: {title}
    category: {category}
    severity: {severity}
    clause: "{clause}"
    applies: {applies}
    when: {when}
    message: A message.
    advice: Some advice.
    examples:
      fires: [{{text: a}}]
      quiet: [{{text: b}}]
"""


def write_pack(directory: Path, pack_id: str, rules: list[dict[str, str]],
               extends: str | None = None, remove: str = "[]") -> None:
    body = "".join(RULE.format(**{"applies": "{}", "category": "disrepute",
                                  "severity": "breach", "title": "A rule", **rule})
                   for rule in rules)
    header = textwrap.dedent(f"""\
        id: {pack_id}
        title: Test pack
        publisher: Tests
        source: tests
        version: "1"
        summary: A pack for tests.
        remove: {remove}
        """)
    parent = f"extends: {extends}\n" if extends else ""
    rules_yaml = "rules:\n" + body if rules else "rules: []\n"
    (directory / f"{pack_id}.yaml").write_text(header + parent + rules_yaml)


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    write_pack(tmp_path, "base", [
        {"id": "public-post", "clause": "1.1", "when": "{all: [post.public]}",
         "severity": "advice", "category": "personal_data"},
        {"id": "links", "clause": "1.2", "when": "{any: [post.links]}"},
        {"id": "official-links", "clause": "1.3", "when": "{all: [post.links]}",
         "applies": "{account: [official]}", "severity": "serious",
         "category": "official_standards"},
    ])
    return tmp_path


def run(school: School, packs: Path, pack_id: str, **post: object):
    checker = Checker(school, pack=resolve(pack_id, directory=packs))
    return checker.check(post_from_dict({"text": "Lovely day", **post}))


def test_a_post_with_no_findings_is_ok(school: School, packs: Path) -> None:
    assert run(school, packs, "base", audience="friends").verdict == "ok"


def test_the_verdict_is_the_highest_severity_found(school: School, packs: Path) -> None:
    result = run(school, packs, "base", audience="public", links=["https://example.com"])
    assert result.verdict == "breach"
    assert [f.rule for f in result.findings] == ["links", "public-post"]


def test_a_rule_for_official_accounts_ignores_personal_posts(school: School,
                                                             packs: Path) -> None:
    result = run(school, packs, "base", audience="friends", links=["https://example.com"])
    assert "official-links" not in {f.rule for f in result.findings}


def test_a_finding_carries_clause_pack_message_and_advice(school: School, packs: Path) -> None:
    finding = run(school, packs, "base", audience="public").findings[0]
    assert (finding.clause, finding.pack, finding.message, finding.advice) == (
        "1.1", "base", "A message.", "Some advice.")


def test_a_child_pack_inherits_replaces_and_removes_rules(school: School, packs: Path) -> None:
    write_pack(packs, "child", [{"id": "links", "clause": "9.9", "when": "{any: [post.links]}",
                                 "severity": "advice"}],
               extends="base", remove="[official-links]")
    pack = resolve("child", directory=packs)
    assert {rule.id: (rule.pack, rule.clause) for rule in pack.rules} == {
        "public-post": ("base", "1.1"), "links": ("child", "9.9")}


def test_a_pack_extending_itself_through_another_is_refused(packs: Path) -> None:
    write_pack(packs, "loop-a", [], extends="loop-b")
    write_pack(packs, "loop-b", [], extends="loop-a")
    with pytest.raises(PostGuardError, match="E105"):
        resolve("loop-a", directory=packs)


def test_a_school_can_turn_a_rule_off_and_change_a_severity(packs: Path) -> None:
    pack = apply_overrides(resolve("base", directory=packs), {
        "links": RuleOverride(enabled=False), "public-post": RuleOverride(severity="serious")})
    assert {rule.id: rule.severity for rule in pack.rules} == {
        "public-post": "serious", "official-links": "serious"}


def test_an_override_of_a_rule_the_pack_lacks_is_an_error(packs: Path) -> None:
    with pytest.raises(PostGuardError, match=r"E107.*no-such-rule"):
        apply_overrides(resolve("base", directory=packs), {"no-such-rule": RuleOverride()})


def test_a_rule_naming_an_unknown_signal_is_refused_with_its_line(packs: Path) -> None:
    write_pack(packs, "bad", [{"id": "x", "clause": "1", "when": "{any: [post.nonsense]}"}])
    with pytest.raises(PostGuardError) as error:
        resolve("bad", directory=packs)
    assert "packs/bad.yaml:" in error.value.message
    assert "post.nonsense" in error.value.message


def test_results_serialise_to_plain_json(school: School, packs: Path) -> None:
    import json

    result = run(school, packs, "base", audience="public")
    data = json.loads(json.dumps(result.as_dict("Lovely day")))
    assert data["verdict"] == "advice"
    assert data["findings"][0]["category"] == "personal_data"
