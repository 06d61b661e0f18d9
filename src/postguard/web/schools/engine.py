"""The engine's checker for the stored school, built once and rebuilt when the school changes."""

from __future__ import annotations

import threading

from postguard.engine.checker import Checker
from postguard.policy.loader import load_pack
from postguard.policy.model import Pack
from postguard.web.schools.models import SchoolRecord

_lock = threading.Lock()
_cache: dict[tuple[int, str, str], Checker] = {}


def checker_for(record: SchoolRecord, pack: Pack | None = None,
                version: str = "bundled") -> Checker:
    """A checker for the school as stored now. ``pack`` is the published version of the policy
    (named by ``version``); without one, the school's adopted pack as bundled."""
    key = (record.pk, record.updated_at.isoformat(), version)
    with _lock:
        checker = _cache.get(key)
        if checker is None:
            _cache.clear()  # one school, one current version: keep memory flat
            checker = Checker(record.to_engine(),
                              pack=pack or load_pack(record.config["policy"]["pack"]))
            _cache[key] = checker
    return checker
