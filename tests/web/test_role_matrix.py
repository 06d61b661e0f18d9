"""Every route, every role: each page and API route allows exactly the roles its permission names.

The routes are read from Django's root resolver, API included, so a new route is walked the day it
is added (see known_routes.py); the walk fails when it meets a route it cannot call (URL
arguments or an API body with no sample) or one that says nothing about who may use it (a page
view without ``requires(...)``, an API route without ``require(request, ...)``), unless it is
named as public or signed-in only.

Each route is asked by a stranger, by each persona and by a head teacher who has not yet given
their second factor, with GET and with POST (an empty form; the API's own methods with a minimal
body); API routes are asked again with each persona's bearer token, and a made-up one.
Denied: 403, or for strangers the sign-in page (a 302; 401 from the API). Allowed: never 403,
401, a server error or a bounce to sign-in. A 405 says only that the route does not take
that method, whoever asks, so it counts as neither.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from known_routes import (
    API_BODIES,
    HALF_SIGNED_IN,
    PERSONAS,
    PUBLIC_API,
    PUBLIC_PAGES,
    ROUTES,
    URL_SAMPLES,
    ApiOperation,
    Route,
    Samples,
    make_samples,
    problems_with,
)

from postguard.web.accounts.permissions import PERMISSIONS, decide


def test_the_matrix_knows_how_to_call_every_route() -> None:
    unknown = {f"{route} ({route.pattern})": problems
               for route in ROUTES if (problems := problems_with(route))}
    assert not unknown, "routes the role matrix cannot judge:\n" + "\n".join(
        f"  {name}: {'; '.join(problems)}" for name, problems in unknown.items())


def test_the_matrix_finds_pages_and_api_routes() -> None:
    names = {route.name for route in ROUTES}
    assert {"home", "audit:log", "api:openapi-json", "api:check_post"} <= names


def test_every_permission_guards_at_least_one_route() -> None:
    used = {route.permission for route in ROUTES} | {
        operation.permission for route in ROUTES for operation in route.api or ()}
    assert set(PERMISSIONS) - used == set()


@pytest.fixture
def samples(demo_school: Any, make_user: Callable[[str], Any]) -> Samples:
    return make_samples(make_user)


# -- asking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asker:
    label: str
    client: Client
    user: Any  # None for a stranger
    headers: dict[str, str] = field(default_factory=dict)  # a bearer token, for the API

    @property
    def fully_signed_in(self) -> bool:
        return self.user is not None and self.label != HALF_SIGNED_IN

    def may(self, permission: str | None) -> bool:
        """What the permission table says; ``None`` is a page for anyone signed in."""
        if not self.fully_signed_in:
            return False
        return permission is None or bool(decide(self.user, permission))


def _askers(samples: Samples, signed_in: Callable[[Client, str], Any]) -> Iterator[Asker]:
    # ``decide`` reads is_verified(), which django-otp's middleware puts on request.user: here
    # it is set as the middleware would for each way of being signed in.
    yield Asker("stranger", Client(raise_request_exception=False), None)
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        user = signed_in(client, persona)
        user.is_verified = lambda user=user: user.needs_two_factor
        yield Asker(persona, client, user)
    client = Client(raise_request_exception=False)
    half = type(samples.users["head"]).objects.get(pk=samples.users["head"].pk)
    client.force_login(half)
    half.is_verified = lambda: False
    yield Asker(HALF_SIGNED_IN, client, half)


def _token_askers(samples: Samples) -> Iterator[Asker]:
    """The API's other way in: each persona's bearer token, and a made-up one."""
    from postguard.web.accounts.models import ApiToken

    yield Asker("stranger (made-up token)", Client(raise_request_exception=False), None,
                {"Authorization": "Bearer pg_not-a-real-token"})
    for persona in PERSONAS:
        user = type(samples.users[persona]).objects.get(pk=samples.users[persona].pk)
        # A token is made from a session that passed the second factor, so it stands for it.
        user.is_verified = lambda: True
        _token, secret = ApiToken.issue(user, "role matrix")
        yield Asker(f"{persona} (token)", Client(raise_request_exception=False), user,
                    {"Authorization": f"Bearer {secret}"})


def _sent_to(response: Any, route_name: str) -> bool:
    return (response.status_code == 302
            and response.get("Location", "").startswith(reverse(route_name)))


def _judge_page(asker: Asker, route: Route, response: Any) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status == 405:  # the view does not take this method, whoever asks
        return None
    if route.name in PUBLIC_PAGES:
        return "403 on a public page" if status == 403 else None
    to_sign_in = _sent_to(response, settings.LOGIN_URL)
    to_second_factor = _sent_to(response, "accounts:two_factor")
    if asker.may(route.permission):
        if status in (401, 403) or to_sign_in or to_second_factor:
            return f"denied ({status} {response.get('Location', '')})".replace(" )", ")")
        return None
    if asker.user is None:
        return None if to_sign_in else f"{status}, expected the sign-in page"
    if asker.label == HALF_SIGNED_IN:
        return None if to_second_factor or status == 403 else (
            f"{status}, expected the second factor page or 403")
    return None if status == 403 else f"allowed ({status}) though the role may not"


def _judge_api(asker: Asker, operation: ApiOperation, public: bool, response: Any) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if public:
        return "403 on a public API route" if status == 403 else None
    if asker.may(operation.permission):
        return f"denied ({status})" if status in (401, 403) else None
    expected = 401 if asker.user is None else 403
    return None if status == expected else f"{status}, expected {expected}"


# Each ask yields (method, what is wrong or None, whether an allowed asker got an answer).
Asked = Iterator[tuple[str, str | None, bool]]


def _ask_page(asker: Asker, route: Route, url: str) -> Asked:
    allowed = route.name in PUBLIC_PAGES or asker.may(route.permission)
    for method in ("GET", "POST"):
        response = getattr(asker.client, method.lower())(url)
        yield method, _judge_page(asker, route, response), allowed and (
            response.status_code != 405)


def _ask_api(asker: Asker, route: Route, url: str) -> Asked:
    public = route.name in PUBLIC_API
    for operation in route.api or ():
        for method in operation.methods:
            body = API_BODIES.get(route.name, {}).get(method)
            response = asker.client.generic(
                method, url, json.dumps(body) if body is not None else "",
                content_type="application/json", headers=asker.headers)
            yield method, _judge_api(asker, operation, public, response), (
                public or asker.may(operation.permission))


@pytest.mark.parametrize("route", [r for r in ROUTES if not problems_with(r)], ids=str)
def test_each_role_is_allowed_or_denied_as_the_permission_table_says(
        route: Route, samples: Samples, signed_in: Callable[[Client, str], Any]) -> None:
    wrong = []
    answered = False
    askers = list(_askers(samples, signed_in))
    if route.api is not None:
        askers += _token_askers(samples)
    for asker in askers:
        sample = URL_SAMPLES.get(route.name)
        url = reverse(route.name, kwargs=sample(samples, asker.user) if sample else None)
        ask = _ask_page if route.api is None else _ask_api
        for method, problem, reached in ask(asker, route, url):
            if problem:
                wrong.append(f"{asker.label} {method} {url}: {problem}")
            answered = answered or reached
    assert not wrong, f"{route} ({route.pattern}):\n  " + "\n  ".join(wrong)
    assert answered, f"{route}: no role that may use it got past 405 Method Not Allowed"
