"""The policy staff are held to now: the latest published version, with its local edits."""

from __future__ import annotations

from postguard.policy.model import Pack
from postguard.web.policies.edits import resolved_pack
from postguard.web.policies.models import PolicyVersion


def published_pack() -> tuple[Pack, str] | None:
    """The current version's pack and a label such as "v3 (published 2026-11-21)"; None when
    nothing has been published yet (callers then use the school's bundled pack)."""
    version = PolicyVersion.current()
    if version is None:
        return None
    return resolved_pack(version.pack_id, version.edits), version.label
