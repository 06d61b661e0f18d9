"""Deadline pollers: the functions `postguard worker` calls between tasks to advance due dates.

An app registers its poller once, in its AppConfig.ready():

    from postguard.web.deadlines import register_poller
    register_poller(send_due_review_reminders)

A poller reads the stored due dates, does what has fallen due and records that it did, so that
running it twice (two workers, or a restart) does nothing the second time. It should do its
writes in a transaction: a poller that fails is logged and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

Poller = Callable[[], object]

log = logging.getLogger("postguard.deadlines")
_pollers: list[Poller] = []


def register_poller(poller: Poller) -> Poller:
    """Add a poller (once, however often it is registered). Usable as a decorator."""
    if poller not in _pollers:
        _pollers.append(poller)
    return poller


def registered_pollers() -> tuple[Poller, ...]:
    return tuple(_pollers)


def poll_deadlines() -> list[str]:
    """Run every poller; return the names of those that failed."""
    failed = []
    for poller in _pollers:
        name = f"{poller.__module__}.{getattr(poller, '__qualname__', repr(poller))}"
        try:
            poller()
        except Exception:
            log.exception("deadline poller %s failed", name)
            failed.append(name)
    return failed
