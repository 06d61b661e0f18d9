"""The signal vocabulary is the contract between detectors and rules: complete and current."""

from __future__ import annotations

from pathlib import Path

from postguard.engine.registry import detectors, emittable_kinds
from postguard.engine.signals import SIGNAL_KINDS, vocabulary_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_signal_in_the_vocabulary_is_emitted_by_some_detector() -> None:
    assert set(SIGNAL_KINDS) - emittable_kinds() == set()


def test_no_detector_declares_a_signal_outside_the_vocabulary() -> None:
    assert emittable_kinds() - set(SIGNAL_KINDS) == set()


def test_every_detector_has_a_name_a_version_and_a_module_of_its_own() -> None:
    modules = [cls.__module__ for cls in detectors().values()]
    assert len(modules) == len(set(modules))
    assert all(cls.name and cls.version for cls in detectors().values())


def test_the_signals_page_is_generated_from_the_vocabulary() -> None:
    assert (DOCS / "signals.md").read_text() == vocabulary_markdown(), (
        "run: python -m postguard.engine.signals > docs/signals.md")
