"""The audit log page: every change of state, newest first, and whether the chain is intact."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from postguard.web.accounts.permissions import requires
from postguard.web.audit.models import AuditEntry, verify

PAGE_SIZE = 50


@requires("audit.view")
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    entries = AuditEntry.objects.order_by("-id")
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__icontains=actor)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("action", action), ("actor", actor)) if value}
    return render(request, "audit/log.html", {
        "page": page,
        "action": action,
        "actor": actor,
        "actions": AuditEntry.objects.order_by("action").values_list("action", flat=True)
                                      .distinct(),
        # Kept with the page links so that moving between pages keeps the filter.
        "filter_query": urlencode(filters),
        # The whole chain, whatever the filter: a broken entry anywhere matters here.
        "verification": verify(),
    })
