"""Every route of the web application, read from Django's root resolver (the API's included),
with sample objects for the routes' URL arguments and API bodies.

Shared by the role matrix (test_role_matrix.py) and the escaping crawl (test_escaping.py). When
a route takes URL arguments, add a sample to URL_SAMPLES; an API route that reads a body needs
one in API_BODIES; a page open to all goes in PUBLIC_PAGES.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from postguard.web.accounts.permissions import PERMISSIONS

PERSONAS = ("teacher", "head", "dsl", "comms", "hr", "governor", "admin")
# The head teacher signed in with a password but not yet their code: they reach nothing.
HALF_SIGNED_IN = "head (no second factor yet)"

# Pages anyone may open, signed in or not: signing in and out, the second factor, invitations.
PUBLIC_PAGES = frozenset({
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",
    "accounts:accept",
    # The API's description of itself (the OpenAPI document, its browser and the API's root):
    # no data, and the same to everyone.
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
})
# Pages every signed-in person may open without naming a permission (none so far: even the
# start page names account.own).
SIGNED_IN_PAGES: frozenset[str] = frozenset()
# API operations open to anyone (none so far: every one names a permission).
PUBLIC_API: frozenset[str] = frozenset()

METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


# -- what the routes are ---------------------------------------------------------------------


@dataclass(frozen=True)
class ApiOperation:
    methods: tuple[str, ...]
    permission: str | None
    function: str
    takes_body: bool


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    url_arguments: tuple[str, ...]
    view: Callable[..., Any]
    api: tuple[ApiOperation, ...] | None = None  # None for a page

    @property
    def permission(self) -> str | None:
        return getattr(self.view, "permission", None)

    def __str__(self) -> str:
        return self.name


def _arguments(pattern: Any) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def _required_permission(function: Callable[..., Any]) -> str | None:
    """The permission an API function asks for: the string in its ``require(request, "...")``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    named = {node.args[1].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and len(node.args) >= 2
             and getattr(node.func, "id", getattr(node.func, "attr", None)) == "require"
             and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)}
    return named.pop() if len(named) == 1 else None


def _api_operations(view: Callable[..., Any]) -> tuple[ApiOperation, ...] | None:
    """django-ninja routes one path to a PathView holding its operations (one per method set)."""
    path_view = inspect.getclosurevars(view).nonlocals.get("self") if hasattr(
        view, "__code__") else None
    operations = getattr(path_view, "operations", None)
    if operations is None:
        return None
    return tuple(
        ApiOperation(methods=tuple(operation.methods),
                     permission=_required_permission(operation.view_func),
                     function=operation.view_func.__qualname__,
                     takes_body=any(model.__ninja_param_source__ in {"body", "form", "file"}
                                    for model in operation.models))
        for operation in operations)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "",
          arguments: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner,
                             arguments + _arguments(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name=name or f"(unnamed) /{prefix}{entry.pattern}",
                        pattern=f"/{prefix}{entry.pattern}",
                        url_arguments=arguments + _arguments(entry.pattern),
                        view=entry.callback, api=_api_operations(entry.callback))


def all_routes() -> list[Route]:
    seen: set[str] = set()
    routes = []
    # django-ninja adds one pattern per operation on the same path: they share one view.
    for route in _walk(get_resolver().url_patterns):
        if route.pattern not in seen:
            seen.add(route.pattern)
            routes.append(route)
    return routes


ROUTES = all_routes()


# -- sample objects for URL arguments and API bodies -----------------------------------------


@dataclass
class Samples:
    """What the routes' URL arguments point at. ``users`` holds each persona's account."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


def _own_check(samples: Samples, user: Any) -> dict[str, Any]:
    from postguard.web.checks.models import CheckRecord

    owner = user or samples.users["teacher"]
    check = CheckRecord.objects.create(owner=owner, verdict="ok", text="Lovely sports day!")
    return {"pk": check.pk}


def _own_token(samples: Samples, user: Any) -> dict[str, Any]:
    from postguard.web.accounts.models import ApiToken

    token, _secret = ApiToken.issue(user or samples.users["teacher"], "role matrix")
    return {"token_id": token.pk}


def _invitation(samples: Samples, user: Any) -> dict[str, Any]:
    from postguard.web.accounts.models import Invitation

    _invitation, token = Invitation.issue(
        email="new.teacher@westmoor.example", display_name="Amy Lister", roles=["staff"],
        created_by=samples.users["head"])
    return {"token": token}


def _published_version(samples: Samples, user: Any) -> dict[str, Any]:
    return {"number": samples.objects["policy"].number}


# route name -> URL arguments for the person asking (None: a stranger). Where an object belongs
# to someone, each persona gets their own, so that an allowed role is judged on the permission
# and not on whose object it is.
UrlSample = Callable[[Samples, Any], dict[str, Any]]
URL_SAMPLES: dict[str, UrlSample] = {
    "accounts:accept": _invitation,
    "accounts:token_revoke": _own_token,
    # Someone who never asks: changing them changes nothing for the askers after.
    "accounts:user_edit": lambda samples, user: {"user_id": samples.objects["bystander"].pk},
    "accounts:two_factor_reset": lambda samples, user: {
        "user_id": samples.objects["bystander"].pk},
    "checks:detail": _own_check,
    "checks:delete": _own_check,
    "policies:version": _published_version,
    "policies:edit": _published_version,
    "policies:publish": _published_version,
    "policies:remind": _published_version,
    "policies:in_person": _published_version,
    "api:read_pack": lambda samples, user: {"pack_id": "northumberland"},
    "schools:person_edit": lambda samples, user: {"ref": "s-okafor"},
}

# route name -> HTTP method -> JSON body: the least that passes validation, so that the
# permission (checked inside the function, after django-ninja has read the body) is reached.
API_BODIES: dict[str, dict[str, Any]] = {
    "api:check_post": {"POST": {"text": "Lovely sports day at Westmoor today!"}},
}


def problems_with(route: Route) -> list[str]:
    """Why the matrix cannot judge this route; empty when it can."""
    problems = []
    if route.name.startswith("(unnamed)"):
        problems.append("has no URL name")
    if route.url_arguments and route.name not in URL_SAMPLES:
        problems.append(f"takes {', '.join(route.url_arguments)} and URL_SAMPLES has no sample")
    if route.api is None:
        if route.permission is None and route.name not in PUBLIC_PAGES | SIGNED_IN_PAGES:
            problems.append("is a page without requires(...) and not listed as public")
        elif route.permission is not None and route.permission not in PERMISSIONS:
            problems.append(f"asks for unknown permission {route.permission!r}")
    elif route.name not in PUBLIC_API:
        for operation in route.api:
            if operation.permission is None:
                problems.append(f"{operation.function} does not call require(request, '...') "
                                "with one permission")
            elif operation.permission not in PERMISSIONS:
                problems.append(f"{operation.function} asks for unknown permission "
                                f"{operation.permission!r}")
            for method in operation.methods:
                if (operation.takes_body and method in METHODS_WITH_BODY
                        and method not in API_BODIES.get(route.name, {})):
                    problems.append(f"{method} takes a body and API_BODIES has no sample")
    return problems


def make_samples(make_user: Callable[[str], Any]) -> Samples:
    """One user per persona and a published policy, on the demo school (already imported)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from postguard.web.accounts.models import RoleAssignment, User
    from postguard.web.policies.lifecycle import adopt, publish

    users = {persona: make_user(persona) for persona in PERSONAS}
    policy = publish(adopt("northumberland", users["head"], "Westmoor's own note"), users["head"])
    # Tom Fenwick, the site manager, with an authenticator app: the account others change.
    bystander = User.objects.create_user("fenwick", "fenwick@westmoor.example", "x" * 12,
                                         person_id="s-fenwick", display_name="Tom Fenwick")
    RoleAssignment.objects.create(user=bystander, role="staff")
    TOTPDevice.objects.create(user=bystander, name="phone", confirmed=True)
    return Samples(users=users, objects={"policy": policy, "bystander": bystander})
