"""The navigation each person sees: only what their roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from postguard.web.accounts.permissions import decide

MENU = (
    ("checks:check", "Check a post", "checks.use"),
    ("checks:history", "My checks", "checks.use"),
    ("policies:current", "The policy", "policies.read"),
    ("policies:manage", "Manage the policy", "policies.manage"),
    ("policies:record", "Acknowledgements", "policies.record"),
    ("policies:reviews", "Reviews", "policies.review"),
    ("checks:counts", "Checks in numbers", "checks.counts"),
    ("accounts:people", "People and roles", "people.manage"),
    ("audit:log", "Audit log", "audit.view"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    menu = []
    for name, label, permission in MENU:
        if not decide(user, permission):
            continue
        try:
            menu.append((reverse(name), label))
        except NoReverseMatch:  # a part of the application not built or not installed here
            continue
    return {"menu": menu}
