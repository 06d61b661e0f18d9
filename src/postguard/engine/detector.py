"""The detector interface: a named, versioned unit that turns a post into signals.

Detectors know nothing about rules or policies. Each is built once per checker with the school
(so it can prepare name automata, timetables and the like) and then called for every post.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from postguard.engine.signals import SIGNAL_KINDS, Signal

if TYPE_CHECKING:
    from postguard.engine.text import Document
    from postguard.school.model import School


class Detector:
    """Subclasses set ``name``, ``version`` and ``emits`` and implement ``detect``."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    emits: ClassVar[tuple[str, ...]] = ()

    def __init__(self, school: School) -> None:
        self.school = school

    def detect(self, doc: Document) -> list[Signal]:
        raise NotImplementedError

    def detect_many(self, docs: Sequence[Document]) -> list[list[Signal]]:
        """Batched form; detectors backed by a model override it to score all texts at once."""
        return [self.detect(doc) for doc in docs]

    def signal(self, kind: str, score: float, explanation: str, start: int | None = None,
               end: int | None = None, **data: object) -> Signal:
        # An undeclared kind is a programming error, caught by every detector's own tests.
        assert kind in self.emits and kind in SIGNAL_KINDS, f"{self.name} cannot emit {kind}"
        return Signal(kind=kind, detector=self.name, score=score, explanation=explanation,
                      start=start, end=end, data=dict(data))
