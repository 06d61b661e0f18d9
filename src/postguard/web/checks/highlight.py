"""The draft with its evidence marked, and the draft with a pupil's name or personal data taken out.

Both work on the engine's character offsets. The draft is the user's own text, so every piece of
it is escaped before it is joined with the <mark> tags: nothing from the draft is ever marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from postguard.engine.checker import Finding

Span = tuple[int | None, int | None]

# Evidence that can simply be left out of a draft, and the plain words that take its place.
NEUTRAL_PHRASES = {
    "person.pupil": "a pupil",
    "person.ex_pupil": "a former pupil",
}
REMOVED = "[removed]"


def _merged(spans: Iterable[Span], length: int) -> list[tuple[int, int]]:
    """Spans clipped to the text, sorted, and joined where they overlap or touch."""
    clean = sorted((max(0, start), min(length, end)) for start, end in spans
                   if start is not None and end is not None and min(length, end) > max(0, start))
    merged: list[tuple[int, int]] = []
    for start, end in clean:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """``text`` as HTML with each span inside <mark>. Overlapping spans become one mark, so the
    tags always nest properly; spans without offsets (a friend request, a time) are skipped."""
    parts: list[str] = []
    position = 0
    for start, end in _merged(spans, len(text)):
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece of the draft above went through escape()


def neutral_phrase(signal: str) -> str | None:
    if signal in NEUTRAL_PHRASES:
        return NEUTRAL_PHRASES[signal]
    if signal.startswith("pii."):
        return REMOVED
    return None


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?\n"


def without_identifying_details(text: str, finding: Finding) -> str | None:
    """The draft with the finding's pupil names and personal data replaced by neutral words,
    or None when the finding's evidence is none of those (the engine's suggestion, if any,
    is then the only safer wording there is)."""
    replacements = sorted(
        (item.start, item.end, phrase) for item in finding.evidence
        if item.start is not None and item.end is not None
        and (phrase := neutral_phrase(item.signal)) is not None)
    if not replacements:
        return None
    parts: list[str] = []
    position = 0
    for start, end, phrase in replacements:
        if start < position:  # overlaps a replacement already made
            continue
        parts.append(text[position:start])
        if phrase != REMOVED and _starts_sentence(text, start):
            phrase = phrase[0].upper() + phrase[1:]
        parts.append(phrase)
        position = end
    parts.append(text[position:])
    rewritten = "".join(parts)
    return rewritten if rewritten != text else None
