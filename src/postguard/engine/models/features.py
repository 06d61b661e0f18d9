"""Text as the trained models see it: shared by training (training/) and the engine.

Kept free of imports beyond the standard library so that the training environment (Python 3.11,
with torch) can load this file directly, and both sides clean and tokenise exactly alike.
"""

from __future__ import annotations

import re
from itertools import pairwise

WORD = re.compile(r"[a-z0-9@#']+")
MENTION = re.compile(r"@\w+|<user>|@USER")
LINK = re.compile(r"https?://\S+|\bURL\b|<url>")
# A reply to a thread opens with every participant's handle: "@user @user @user you liar".
MENTION_RUN = re.compile(r"@user(?:\s+@user)+")


def clean(text: str) -> str:
    """One form for every source: @user for mentions (a run of them counts once, so the
    handles do not crowd the words out of the model's window), no links, single spaces."""
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = MENTION_RUN.sub("@user", MENTION.sub("@user", text))
    text = LINK.sub("", text)
    return " ".join(text.split())


def terms(text: str) -> list[str]:
    """Lower-cased words and adjacent word pairs, for the cascade's linear gate."""
    words = [w.strip("'") for w in WORD.findall(text.lower())]
    words = [w for w in words if w]
    return words + [f"{a} {b}" for a, b in pairwise(words)]
