"""The check page, its live preview, one's own history, and the school's counts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.school.model import School
from postguard.web.accounts.models import User
from postguard.web.accounts.permissions import requires
from postguard.web.checks.counts import weekly_counts
from postguard.web.checks.forms import ACTIONS, AUDIENCES, PLATFORMS, CheckForm
from postguard.web.checks.models import CheckRecord
from postguard.web.checks.presenting import category_words, pack_title, present
from postguard.web.checks.running import (
    PolicyInForce,
    forget_check,
    policy_in_force,
    record_check,
)


class SignedInRequest(HttpRequest):
    """What ``requires`` guarantees: the person is signed in (django-stubs' own pattern)."""

    user: User


KIND_WORDS = {"pupil": "pupil", "ex_pupil": "former pupil", "parent": "parent or carer",
              "staff": "staff", "governor": "governor"}


def _roster(school: School) -> list[tuple[str, str]]:
    """Names to offer for a message's or friend request's recipient, with who they are."""
    return [(person.name, KIND_WORDS[person.kind]) for person in school.everyone]


def _no_school(request: HttpRequest) -> HttpResponse:
    return render(request, "checks/no_school.html")


def _check_page(request: HttpRequest, policy: PolicyInForce, form: CheckForm,
                **context: Any) -> HttpResponse:
    return render(request, "checks/check.html", {
        "form": form, "policy": policy, "roster": _roster(policy.school), **context})


@requires("checks.use")
@require_http_methods(["GET", "POST"])
def check(request: SignedInRequest) -> HttpResponse:
    """The form's own submit (with or without JavaScript) checks the draft and saves it."""
    policy = policy_in_force()
    if policy is None:
        return _no_school(request)
    user = request.user
    if request.method != "POST":
        initial = {}
        again = request.GET.get("again", "")
        if again.isdigit():
            earlier = CheckRecord.objects.filter(pk=int(again), owner=user).first()
            if earlier is not None:
                initial["text"] = earlier.text
        return _check_page(request, policy, CheckForm(policy.school, user, initial=initial))
    form = CheckForm(policy.school, user, request.POST)
    if not form.is_valid():
        return _check_page(request, policy, form)
    post = form.to_post()
    result = policy.checker.check(post)
    saved = record_check(user, post, result, policy, CheckRecord.Source.WEB, keep_text=True)
    return _check_page(request, policy, form, result=present(post.text, result, policy.school),
                       saved=saved)


@requires("checks.use")
@require_POST
def preview(request: SignedInRequest) -> HttpResponse:
    """What the draft would get, as the person types: nothing is saved or logged."""
    policy = policy_in_force()
    if policy is None:
        return _no_school(request)
    form = CheckForm(policy.school, request.user, request.POST)
    context: dict[str, Any] = {"form": form, "preview": True}
    if form.is_valid():
        post = form.to_post()
        context["result"] = present(post.text, policy.checker.check(post), policy.school)
    return render(request, "checks/_results.html", context)


@requires("checks.use")
@require_GET
def history(request: SignedInRequest) -> HttpResponse:
    own = CheckRecord.objects.filter(owner=request.user)
    page = Paginator(own, 25).get_page(request.GET.get("page"))
    return render(request, "checks/history.html", {"page": page})


@requires("checks.use")
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    # Another person's check is "not found", whoever asks: a head teacher included.
    saved = get_object_or_404(CheckRecord, pk=pk, owner=request.user)
    categories = [category_words(category) for category in saved.categories]
    return render(request, "checks/detail.html", {
        "saved": saved, "categories": categories,
        "pack": pack_title(saved.pack) if saved.pack else "",
        "platform": dict(PLATFORMS).get(saved.platform, saved.platform),
        "action": dict(ACTIONS).get(saved.action, saved.action),
        "audience": dict(AUDIENCES).get(saved.audience, saved.audience)})


@requires("checks.use")
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(CheckRecord, pk=pk, owner=request.user)
    if request.method != "POST":
        return render(request, "checks/delete.html", {"saved": saved})
    forget_check(request.user, saved)
    messages.success(request, "The check and its draft are deleted.")
    return redirect("checks:history")


@requires("checks.counts")
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    return render(request, "checks/counts.html", {"table": weekly_counts()})
