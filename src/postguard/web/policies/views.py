"""Pages of the policy's lifecycle: read and acknowledge, manage versions, the written record,
and reviews. Each view names its permission; the changes themselves live in lifecycle.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from postguard.policy.categories import CATEGORIES
from postguard.policy.loader import load_pack
from postguard.policy.model import Rule
from postguard.web.accounts.models import User
from postguard.web.accounts.permissions import decide, requires
from postguard.web.policies import lifecycle
from postguard.web.policies.deadlines import REMIND_DAYS_BEFORE, review_period_months
from postguard.web.policies.diff import compare
from postguard.web.policies.edits import edits_between, resolved_pack, rule_states
from postguard.web.policies.forms import (
    AdoptForm,
    CompareForm,
    EditForm,
    InPersonForm,
    RecordFilterForm,
    ReviewForm,
)
from postguard.web.policies.models import PolicyVersion, ReviewReminder
from postguard.web.policies.record import STATUSES, record_csv, record_pdf, record_rows
from postguard.web.policies.tasks import send_acknowledgement_reminders


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``requires``, which signs them in)."""
    assert isinstance(request.user, User)
    return request.user


def _policy(version: PolicyVersion) -> dict[str, Any]:
    """What a reader needs: the pack as this version has it, rules grouped by category."""
    pack = resolved_pack(version.pack_id, version.edits)
    groups: dict[str, list[Rule]] = {}
    for rule in sorted(pack.rules, key=lambda rule: list(CATEGORIES).index(rule.category)):
        groups.setdefault(rule.category, []).append(rule)
    return {"version": version, "pack": pack, "groups": list(groups.items()),
            "procedures": pack.procedures}


# ---------------------------------------------------------------- reading and acknowledging

@requires("policies.read")
def current(request: HttpRequest) -> HttpResponse:
    version = PolicyVersion.current()
    if version is None:
        return render(request, "policies/current.html", {"version": None})
    context = _policy(version)
    context["acknowledgement"] = version.acknowledgements.filter(user=_user(request)).first()
    return render(request, "policies/current.html", context)


@requires("policies.read")
def accessible(request: HttpRequest) -> HttpResponse:
    """Plain HTML without scripts, in large print on request, and laid out to print."""
    version = PolicyVersion.current()
    context: dict[str, Any] = _policy(version) if version else {"version": None}
    context["large"] = request.GET.get("print") == "large"
    return render(request, "policies/accessible.html", context)


@requires("policies.read")
@require_POST
def acknowledge(request: HttpRequest) -> HttpResponse:
    version = PolicyVersion.current()
    if version is None or str(version.number) != request.POST.get("version"):
        messages.error(request, "A newer version of the policy has been published since you "
                                "opened the page. Please read it before you acknowledge it.")
        return redirect("policies:current")
    try:
        lifecycle.acknowledge(_user(request), version)
    except lifecycle.NotAllowedNow as reason:
        messages.info(request, str(reason))
    else:
        messages.success(request, f"Thank you. You have acknowledged version {version.number}.")
    return redirect("policies:current")


# ---------------------------------------------------------------- managing versions

@requires("policies.manage")
def manage(request: HttpRequest) -> HttpResponse:
    versions = list(PolicyVersion.objects.select_related("created_by", "published_by"))
    latest_two = {"newer": versions[0].number, "older": versions[1].number} if len(
        versions) > 1 else None
    return render(request, "policies/manage.html", {
        "versions": versions, "adopt_form": AdoptForm(),
        "compare_form": CompareForm(initial=latest_two) if latest_two else None,
    })


@requires("policies.manage")
@require_POST
def adopt(request: HttpRequest) -> HttpResponse:
    form = AdoptForm(request.POST)
    if not form.is_valid():
        versions = PolicyVersion.objects.select_related("created_by", "published_by")
        return render(request, "policies/manage.html",
                      {"versions": versions, "adopt_form": form, "compare_form": None},
                      status=400)
    version = lifecycle.adopt(form.cleaned_data["pack"], _user(request),
                              form.cleaned_data["local_note"])
    messages.success(request, f"Version {version.number} is a draft of "
                              f"{load_pack(version.pack_id).title}. Publish it when it is ready.")
    return redirect("policies:version", number=version.number)


@requires("policies.manage")
def version(request: HttpRequest, number: int) -> HttpResponse:
    """A version as staff will read it, with what changed since the one it was made from."""
    found = get_object_or_404(PolicyVersion, number=number)
    context = _policy(found)
    context["changes"] = compare(found.based_on, found) if found.based_on else None
    return render(request, "policies/version.html", context)


@requires("policies.manage")
def edit(request: HttpRequest, number: int) -> HttpResponse:
    """Local edits to a version; saving makes the next version and never alters this one."""
    base = get_object_or_404(PolicyVersion, number=number)
    pack = load_pack(base.pack_id)
    states = rule_states(base.pack_id, base.edits)
    form = EditForm(pack, states, request.POST or None,
                    initial={"local_note": base.local_note})
    if request.method == "POST" and form.is_valid():
        saved = lifecycle.save_edits(
            base, edits_between(pack, form.wanted()), form.cleaned_data["local_note"],
            form.cleaned_data["change_summary"], _user(request))
        if saved is None:
            messages.info(request, "Nothing was changed, so no new version was made.")
            return redirect("policies:version", number=base.number)
        messages.success(request, f"Saved as version {saved.number} (a draft). "
                                  f"Version {base.number} is unchanged.")
        return redirect("policies:version", number=saved.number)
    return render(request, "policies/edit.html", {"base": base, "pack": pack, "form": form},
                  status=400 if form.errors else 200)


@requires("policies.manage")
@require_POST
def publish(request: HttpRequest, number: int) -> HttpResponse:
    found = get_object_or_404(PolicyVersion, number=number)
    try:
        published = lifecycle.publish(found, _user(request))
    except lifecycle.NotAllowedNow as reason:
        messages.error(request, str(reason))
    else:
        messages.success(request, f"Version {published.number} is now the policy staff read "
                                  "and acknowledge.")
    return redirect("policies:manage")


@requires("policies.manage")
def changes(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    diff = None
    if form.is_valid():
        older = get_object_or_404(PolicyVersion, number=form.cleaned_data["older"])
        newer = get_object_or_404(PolicyVersion, number=form.cleaned_data["newer"])
        diff = compare(older, newer)
    return render(request, "policies/changes.html", {"form": form, "diff": diff})


# ---------------------------------------------------------------- the written record

def _chosen_version(request: HttpRequest) -> tuple[RecordFilterForm, PolicyVersion | None]:
    form = RecordFilterForm(request.GET or None)
    published = PolicyVersion.objects.filter(published_at__isnull=False)
    number = form.cleaned_data.get("version") if form.is_valid() else None
    if number:
        return form, get_object_or_404(published, number=number)
    return form, PolicyVersion.current() or published.first()


def _filters(form: RecordFilterForm) -> tuple[str, str]:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return data.get("status") or "all", data.get("how") or ""


@requires("policies.record")
def record(request: HttpRequest) -> HttpResponse:
    form, chosen = _chosen_version(request)
    context: dict[str, Any] = {"form": form, "version": chosen}
    if chosen is not None:
        status, how = _filters(form)
        everyone = record_rows(chosen)
        context.update({
            "rows": record_rows(chosen, status, how), "filtered": status != "all" or how,
            "done": sum(row.acknowledged for row in everyone), "total": len(everyone),
            "missing": [row for row in everyone if not row.acknowledged],
            "query": request.GET.urlencode(),
            "can_manage": bool(decide(request.user, "policies.manage")),
            "in_person_form": InPersonForm(chosen, initial={"acknowledged_on":
                                                            timezone.localdate()}),
            "overview": [(v, v.acknowledgements.count())
                         for v in PolicyVersion.objects.filter(published_at__isnull=False)],
        })
    return render(request, "policies/record.html", context)


@requires("policies.record")
def record_export_csv(request: HttpRequest) -> HttpResponse:
    form, chosen = _chosen_version(request)
    if chosen is None:
        raise Http404("No version of the policy has been published.")
    response = HttpResponse(record_csv(chosen, record_rows(chosen, *_filters(form))),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="policy-v{chosen.number}-acknowledgements.csv"')
    return response


@requires("policies.record")
def record_export_pdf(request: HttpRequest) -> HttpResponse:
    form, chosen = _chosen_version(request)
    if chosen is None:
        raise Http404("No version of the policy has been published.")
    status, how = _filters(form)
    shown = STATUSES[status] + (f", {how.replace('_', ' ')}" if how else "")
    response = HttpResponse(record_pdf(chosen, record_rows(chosen, status, how), shown),
                            content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="policy-v{chosen.number}-acknowledgements.pdf"')
    return response


@requires("policies.manage")
@require_POST
def remind(request: HttpRequest, number: int) -> HttpResponse:
    found = get_object_or_404(PolicyVersion, number=number, published_at__isnull=False)
    missing = [row.user.pk for row in record_rows(found, "missing")]
    if not missing:
        messages.info(request, "Everyone has acknowledged this version: nobody to remind.")
    else:
        send_acknowledgement_reminders.enqueue(found.number, missing, _user(request).username)
        messages.success(request, f"Reminders are on their way to {len(missing)} "
                                  f"{'person' if len(missing) == 1 else 'people'}.")
    return redirect(f"{reverse("policies:record")}?version={found.number}")


@requires("policies.manage")
@require_POST
def record_in_person(request: HttpRequest, number: int) -> HttpResponse:
    found = get_object_or_404(PolicyVersion, number=number, published_at__isnull=False)
    form = InPersonForm(found, request.POST)
    if form.is_valid():
        person = form.cleaned_data["user"]
        lifecycle.acknowledge(person, found, how=form.cleaned_data["how"],
                              on=form.cleaned_data["acknowledged_on"],
                              recorded_by=_user(request))
        messages.success(request, f"Recorded: {person.name} acknowledged version "
                                  f"{found.number}.")
    else:
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Not recorded: {problems}")
    return redirect(f"{reverse("policies:record")}?version={found.number}")


# ---------------------------------------------------------------- reviews

@requires("policies.review")
def reviews(request: HttpRequest) -> HttpResponse:
    version = PolicyVersion.current()
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and version is not None and form.is_valid():
        review = lifecycle.record_review(
            version, reviewed_on=form.cleaned_data["reviewed_on"],
            outcome=form.cleaned_data["outcome"], notes=form.cleaned_data["notes"],
            by=_user(request))
        due = (f"The next review is due by {review.next_due:%d/%m/%Y}." if review.next_due
               else "This policy sets no review period, so no next date was set.")
        messages.success(request, f"Review recorded. {due}")
        return redirect("policies:reviews")
    context: dict[str, Any] = {"version": version, "form": form}
    if version is not None:
        today = timezone.localdate()
        context.update({
            "period": review_period_months(version), "today": today,
            "review": load_pack(version.pack_id).procedures.review,
            "days_left": (version.review_due - today).days if version.review_due else None,
            "remind_days": REMIND_DAYS_BEFORE,
            "history": version.reviews.select_related("recorded_by"),
            "reminders": ReviewReminder.objects.filter(version=version),
        })
    return render(request, "policies/reviews.html", context,
                  status=400 if form.errors else 200)
