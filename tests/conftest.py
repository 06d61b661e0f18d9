"""Shared fixtures: the demo school (Westmoor Primary) and its named people.

Personas used across the tests (all in src/postguard/demo/school/):
  Grace Okafor (s-okafor)     a Year 6 class teacher
  Helen Hughes (s-hughes)     the head teacher
  Ravi Patel (s-patel)        deputy head and designated safeguarding lead
  Megan Doyle (s-doyle)       communications officer, authorised on the official accounts
  Paul Armstrong (s-armstrong) HR; holds a politically restricted post
  Tom Fenwick (s-fenwick)     site manager, not authorised on official accounts
  Jayden Robson (p-robson)    a Year 6 pupil; his mother is Karen Robson (r-robson)
  Callum Reay (x-reay)        an ex-pupil, 13; Josh Heslop (x-heslop) an ex-pupil, 22
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from postguard.engine.checker import Checker, CheckResult
from postguard.engine.post import post_from_dict
from postguard.engine.text import Document
from postguard.school.loader import load_demo_school
from postguard.school.model import School


@pytest.fixture(scope="session")
def school() -> School:
    return load_demo_school()


@pytest.fixture(scope="session")
def checker(school: School) -> Checker:
    return Checker(school)


@pytest.fixture(scope="session")
def check(checker: Checker) -> Callable[..., CheckResult]:
    """check("text", account="official", ...) -> CheckResult, with the demo school's pack."""

    def run(text: str, **fields: Any) -> CheckResult:
        return checker.check(post_from_dict({"text": text, **fields}))

    return run


@pytest.fixture(scope="session")
def doc() -> Callable[..., Document]:
    """doc("text", action="message", ...) -> Document, for calling one detector directly."""

    def make(text: str, **fields: Any) -> Document:
        return Document(post_from_dict({"text": text, **fields}))

    return make

