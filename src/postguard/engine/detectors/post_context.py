"""Facts about the post itself that rules combine with content: audience, links, pictures."""

from __future__ import annotations

from postguard.engine.detector import Detector
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import Document


@register
class PostContextDetector(Detector):
    name = "post_context"
    emits = ("post.public", "post.links", "post.images")

    def detect(self, doc: Document) -> list[Signal]:
        post = doc.post
        signals = []
        if post.audience == "public":
            signals.append(self.signal("post.public", 1.0, "the audience is public"))
        if post.links:
            signals.append(self.signal("post.links", 1.0, f"{len(post.links)} link(s) attached"))
        if post.images:
            signals.append(self.signal("post.images", 1.0,
                                       f"{len(post.images)} picture(s) attached"))
        return signals
