"""Who may do what: one table, and every decision says why (as datasette's do).

Views and API routes name a permission; ``decide`` checks it on the server for every request.
The role matrix test (tests/web/test_role_matrix.py) walks every route with every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string

from postguard.web.accounts.models import Role

EVERYONE = frozenset(Role.values)


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str]
    description: str


PERMISSIONS: dict[str, Permission] = {p.name: p for p in (
    Permission("account.own", EVERYONE,
               "use one's own account: the start page, password, two-factor sign-in and API "
               "tokens"),
    Permission("checks.use", EVERYONE,
               "check one's own drafts and see one's own history"),
    Permission("checks.counts", frozenset({Role.HEAD_TEACHER, Role.ADMINISTRATOR}),
               "see how many checks the school ran and their verdicts (never their text)"),
    Permission("policies.read", EVERYONE, "read and acknowledge the published policy"),
    Permission("policies.manage", frozenset({Role.HEAD_TEACHER, Role.ADMINISTRATOR}),
               "adopt a pack, edit it locally and publish versions"),
    Permission("policies.record",
               frozenset({Role.HEAD_TEACHER, Role.HR, Role.ADMINISTRATOR}),
               "see and export who received and acknowledged which version"),
    Permission("policies.review", frozenset({Role.HEAD_TEACHER, Role.GOVERNOR,
                                             Role.ADMINISTRATOR}),
               "see review dates and record a review"),
    Permission("people.manage", frozenset({Role.HEAD_TEACHER, Role.ADMINISTRATOR}),
               "import the school, edit people, invite users and change roles"),
    Permission("audit.view", frozenset({Role.ADMINISTRATOR}),
               "read the audit log"),
)}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def decide(user: Any, permission: str) -> Decision:
    rule = PERMISSIONS[permission]  # an unknown name is a programming error
    if user is None or not user.is_authenticated:
        return Decision(False, "you need to sign in")
    if not user.is_active:
        return Decision(False, "this account is switched off")
    held = user.roles & rule.roles
    if not held:
        needed = ", ".join(sorted(Role(r).label for r in rule.roles))
        return Decision(False, f"only these roles may {rule.description}: {needed}")
    if user.needs_two_factor and not user.is_verified():
        return Decision(False, "your role needs two-factor sign-in first")
    return Decision(True, f"as {Role(sorted(held)[0]).label} you may {rule.description}")


def requires(permission: str) -> Callable[[Callable[..., HttpResponse]],
                                           Callable[..., HttpResponse]]:
    """View decorator: the permission is checked on the server before the view runs."""
    if permission not in PERMISSIONS:
        raise KeyError(permission)

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            decision = decide(request.user, permission)
            if not decision:
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                body = render_to_string("forbidden.html", {"reason": decision.reason},
                                        request=request)
                return HttpResponseForbidden(body)
            return view(request, *args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded

    return wrap


def markdown_table() -> str:
    """PERMISSIONS as the README's table (tests/web/test_accounts.py keeps the two in step)."""
    roles = list(Role)
    lines = ["| permission | what it allows | " + " | ".join(role.label for role in roles) + " |",
             "|---|---|" + "---|" * len(roles)]
    for rule in PERMISSIONS.values():
        marks = " | ".join("✓" if role in rule.roles else "" for role in roles)
        lines.append(f"| `{rule.name}` | {rule.description} | {marks} |")
    return "\n".join(lines)
