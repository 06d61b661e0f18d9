"""Head teachers, safeguarding leads and administrators finish a second factor before anything."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in user may reach before the second factor: setting it up, proving it,
# signing out, and the static files those pages need.
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.needs_two_factor
                and not user.is_verified() and not request.path.startswith(OPEN_PREFIXES)):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)
