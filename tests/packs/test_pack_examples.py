"""Every rule in every pack fires on its own example posts and stays quiet on its near misses.

The examples live in the packs themselves (``examples: fires / quiet``), so a rule cannot be
added without showing what it catches, and these tests run them all against the demo school.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from postguard.engine.checker import Checker
from postguard.engine.post import post_from_dict
from postguard.policy.loader import available_packs, load_pack, pack_files
from postguard.policy.model import Pack
from postguard.school.loader import load_demo_school


@cache
def checker_for(pack_id: str) -> Checker:
    return Checker(load_demo_school(), pack=load_pack(pack_id))


def _cases(kind: str) -> list[Any]:
    cases = []
    for pack in available_packs():
        for rule in pack.rules:
            if rule.pack != pack.id:
                continue  # inherited rules are tested in the pack that wrote them
            examples = rule.examples.fires if kind == "fires" else rule.examples.quiet
            for number, example in enumerate(examples, 1):
                cases.append(pytest.param(pack.id, rule.id, example,
                                          id=f"{pack.id}:{rule.id}:{kind}{number}"))
    return cases


def _rules_found(pack_id: str, example: dict[str, Any]) -> set[str]:
    result = checker_for(pack_id).check(post_from_dict(example))
    return {finding.rule for finding in result.findings}


@pytest.mark.parametrize(("pack_id", "rule_id", "example"), _cases("fires"))
def test_rule_fires_on_its_example(pack_id: str, rule_id: str, example: dict[str, Any]) -> None:
    assert rule_id in _rules_found(pack_id, example)


@pytest.mark.parametrize(("pack_id", "rule_id", "example"), _cases("quiet"))
def test_rule_stays_quiet_on_its_near_miss(pack_id: str, rule_id: str,
                                           example: dict[str, Any]) -> None:
    assert rule_id not in _rules_found(pack_id, example)


def test_the_five_seed_policies_are_packs() -> None:
    assert set(pack_files()) >= {"northumberland", "neu", "schools-managed-2010", "hardmoor",
                                 "kettleshulme"}


@pytest.mark.parametrize("pack", available_packs(), ids=lambda pack: pack.id)
def test_every_pack_has_rules_with_clauses(pack: Pack) -> None:
    assert pack.rules
    assert all(rule.clause.strip() for rule in pack.rules)
