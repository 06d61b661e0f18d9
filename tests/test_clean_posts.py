"""Ordinary posts that every adopted policy allows come out `ok` or, at most, `advice`."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from postguard.engine.checker import Checker
from postguard.engine.post import post_from_dict
from postguard.policy.loader import load_pack, pack_files
from postguard.school.loader import load_demo_school

SATURDAY_EVENING = "2026-11-21T19:30:00+00:00"
TUESDAY_LUNCH = "2026-11-17T12:20:00+00:00"
TUESDAY_EVENING = "2026-11-17T20:15:00+00:00"

CLEAN_POSTS: dict[str, dict[str, Any]] = {
    "praise_of_an_announced_event": {
        "text": "Brilliant Christmas Fair at Westmoor Primary today! Thank you to every family "
                "who came along and raised so much for the PTA.",
        "author": "s-okafor", "posted_at": SATURDAY_EVENING},
    "a_bad_day_at_work": {
        "text": "Had a bad day at work. Glass of wine and an early night for me.",
        "author": "s-okafor", "posted_at": TUESDAY_EVENING},
    "swearing_about_football": {
        "text": "What a fucking goal!! Get in Newcastle, best game all season",
        "author": "s-brennan", "posted_at": SATURDAY_EVENING},
    "polite_political_opinion_from_a_post_not_restricted": {
        "text": "I think the government's new housing plan doesn't go far enough. We need more "
                "social homes, and I'll be writing to my MP about it.",
        "author": "s-okafor", "posted_at": TUESDAY_EVENING},
    "personal_post_in_the_lunch_break": {
        "text": "Sun's out! Lovely walk round the park with a sandwich.",
        "author": "s-whitfield", "posted_at": TUESDAY_LUNCH},
}


@cache
def checker_for(pack_id: str) -> Checker:
    return Checker(load_demo_school(), pack=load_pack(pack_id))


@pytest.mark.parametrize("pack_id", sorted(pack_files()))
@pytest.mark.parametrize("name", sorted(CLEAN_POSTS))
def test_clean_post_is_ok_or_advice_under_every_pack(pack_id: str, name: str) -> None:
    result = checker_for(pack_id).check(post_from_dict(CLEAN_POSTS[name]))
    assert result.verdict in ("ok", "advice"), [
        (f.rule, f.severity, [e.text for e in f.evidence]) for f in result.findings]
