"""The JSON API (django-ninja; OpenAPI document at /api/openapi.json, browsable at /api/docs).

Every route names a permission from accounts/permissions.py and is checked exactly as the pages
are; clients authenticate with a bearer token (created on the account page) or a session.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from postguard.web.accounts.models import ApiToken
from postguard.web.accounts.permissions import decide
from postguard.web.checks.api import router as checks_router
from postguard.web.policies.api import router as policies_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token)
        if user is not None:
            # A token can only be made from a session that passed two-factor sign-in (the
            # account page is behind it for roles that need it), so it stands for that factor.
            user.is_verified = lambda: True  # type: ignore[attr-defined]
            request.user = user
        return user


def require(request: HttpRequest, permission: str) -> None:
    """The same decision the pages make, as an HTTP 403 with its reason."""
    decision = decide(request.user, permission)
    if not decision:
        raise HttpError(403, decision.reason)


api = NinjaAPI(title="PostGuard", version="1", auth=[TokenAuth(), django_auth],
               urls_namespace="api")

api.add_router("/", checks_router)
api.add_router("/", policies_router)
