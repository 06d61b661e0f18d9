"""The start page: what this person can do here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from postguard.web.accounts.permissions import requires


@requires("account.own")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")
