"""A post's text analysed once and shared by every detector: tokens, quotes, sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postguard.engine.post import Post

# Words with inner apostrophes and hyphens stay whole: "St Aidan's", "ex-pupil".
TOKEN = re.compile(r"[@#]?[\w]+(?:['’\-][\w]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
LAST_WORD = re.compile(r"([\w']+)\W*$")
QUOTED = re.compile(r"[\"“”]([^\"“”]{1,300})[\"“”]|(?<!\w)['‘]([^'‘’\n]{1,200})['’](?!\w)")


def word_before(lower: str, start: int) -> str:
    """The word just before an offset (within a few characters), lower-cased; "" if none."""
    match = LAST_WORD.search(lower, max(0, start - 16), start)
    return match.group(1) if match else ""


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


class Document:
    """The post plus views of its text that more than one detector needs."""

    def __init__(self, post: Post) -> None:
        self.post = post
        self.text = post.text
        self.lower = post.text.lower()
        # Probabilities from model-backed detectors, by name; reported as CheckResult.scores.
        self.scores: dict[str, float] = {}

    @cached_property
    def tokens(self) -> list[Token]:
        return [Token(m.start(), m.end(), m.group(), m.group().lower())
                for m in TOKEN.finditer(self.text)]

    @cached_property
    def sentence_starts(self) -> frozenset[int]:
        """Offsets of tokens that begin a sentence (capitalised for grammar, not as a name)."""
        starts = {0}
        for match in SENTENCE_END.finditer(self.text):
            starts.add(match.end())
        first_tokens = set()
        for token in self.tokens:
            if any(0 <= token.start - s <= 2 for s in starts):
                first_tokens.add(token.start)
        return frozenset(first_tokens)

    @cached_property
    def quoted_spans(self) -> list[tuple[int, int]]:
        spans = []
        for match in QUOTED.finditer(self.text):
            group = 1 if match.group(1) is not None else 2
            spans.append((match.start(group), match.end(group)))
        return spans

    def in_quotes(self, start: int, end: int) -> bool:
        return any(q_start <= start and end <= q_end for q_start, q_end in self.quoted_spans)

    def sentence_around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence containing a span, as offsets."""
        left = 0
        for match in SENTENCE_END.finditer(self.text):
            if match.end() <= start:
                left = match.end()
            elif match.start() >= end:
                return left, match.start()
        return left, len(self.text)
