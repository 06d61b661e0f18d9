"""Text as the trained models see it: shared by training (training/) and the engine.

Kept free of imports beyond the standard library so that the training environment (Python 3.11,
with torch) can load this file directly, and both sides clean and tokenise exactly alike.
"""

from __future__ import annotations

import html
import re
import unicodedata
from itertools import pairwise

WORD = re.compile(r"[a-z0-9@#']+")
MENTION = re.compile(r"@\w+|<user>|@USER")
LINK = re.compile(r"https?://\S+|\bURL\b|<url>")
# A reply to a thread opens with every participant's handle: "@user @user @user you liar".
MENTION_RUN = re.compile(r"@user(?:\s+@user)+")


def clean(text: str) -> str:
    """One form for every source: @user for mentions (a run of them counts once, so the
    handles do not crowd the words out of the model's window), no links, emoji as words,
    single spaces."""
    # Tweets come HTML-escaped, Davidson's emoji as numeric references ("&#128514;").
    text = html.unescape(text)
    text = MENTION_RUN.sub("@user", MENTION.sub("@user", text))
    text = LINK.sub("", text)
    if not text.isascii():
        text = emoji_as_words(text)
    return " ".join(text.split())


# Parts of an emoji that carry no meaning of their own: skin tones (category Sk), the joiner
# and variation selectors (Cf, Mn) that glue a sequence together.
_EMOJI_GLUE = frozenset({"Sk", "Cf", "Mn"})
_FLAG_LETTER = "REGIONAL INDICATOR SYMBOL LETTER"


def emoji_as_words(text: str) -> str:
    """Each emoji (and other pictographic symbol) replaced by its Unicode name in words.

    The encoder's vocabulary has no emoji, so "you are a disgrace 🖕" and "well done 👏" reached
    it as an unknown token. Its Unicode name ("reversed hand with middle finger extended",
    "clapping hands sign") is words it knows. A run of the same emoji counts once, skin tones
    and joiners are dropped, and a flag is "flag".
    """
    out: list[str] = []
    previous = ""  # the last emoji written, to collapse "😂😂😂"
    for char in text:
        category = unicodedata.category(char)
        if category == "So":
            name = unicodedata.name(char, "")
            if name.startswith(_FLAG_LETTER):
                name = "FLAG"
            if name and name != previous:
                out.append(f" {name.lower()} ")
            previous = name
        elif previous and (category in _EMOJI_GLUE or char.isspace()):
            continue  # inside an emoji sequence, or between repeats of one
        else:
            previous = ""
            out.append(char)
    return "".join(out)


def terms(text: str) -> list[str]:
    """Lower-cased words and adjacent word pairs, for the cascade's linear gate."""
    words = [w.strip("'") for w in WORD.findall(text.lower())]
    words = [w for w in words if w]
    return words + [f"{a} {b}" for a, b in pairwise(words)]
