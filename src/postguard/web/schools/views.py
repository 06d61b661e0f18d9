"""The school's people: the roster, editing one person, and importing the school from its files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from pydantic import ValidationError

from postguard.errors import PostGuardError
from postguard.school.model import Person, School
from postguard.web.accounts.permissions import requires
from postguard.web.audit.models import record
from postguard.web.schools.forms import ImportForm, PersonForm, role_label
from postguard.web.schools.importing import problems_of, school_from_files
from postguard.web.schools.models import GROUP_OF_KIND, PersonRecord, SchoolRecord

# The roster's sections, in the order a head teacher looks for people.
SECTIONS = (("staff", "Staff"), ("governor", "Governors"), ("pupil", "Pupils"),
            ("parent", "Parents and carers"), ("ex_pupil", "Former pupils"))
KINDS_WITH_ROLES = ("staff", "governor")


@requires("people.manage")
def roster(request: HttpRequest) -> HttpResponse:
    school = SchoolRecord.current()
    sections = []
    if school is not None:
        for kind, title in SECTIONS:
            people = [{"person": person,
                       "roles": [role_label(role) for role in person.details.get("roles", [])]}
                      for person in school.people.filter(kind=kind).order_by("id")]
            sections.append({"kind": kind, "title": title, "people": people,
                             "open": kind in KINDS_WITH_ROLES})
    return render(request, "schools/roster.html", {"school": school, "sections": sections})


def _snapshot(person: PersonRecord) -> dict[str, Any]:
    return {"name": person.name, "roles": list(person.details.get("roles", [])),
            "politically_restricted": bool(person.details.get("politically_restricted"))}


@requires("people.manage")
def person_edit(request: HttpRequest, ref: str) -> HttpResponse:
    school = SchoolRecord.current()
    if school is None:
        raise Http404("no school is stored")
    person = get_object_or_404(PersonRecord, school=school, ref=ref)
    with_roles = person.kind in KINDS_WITH_ROLES
    before = _snapshot(person)
    form = PersonForm(request.POST if request.method == "POST" else None, initial=before,
                      with_roles=with_roles)
    if request.method == "POST" and form.is_valid():
        problem = _save_person(request, school, person, form.cleaned_data, before)
        if not problem:
            messages.success(request, f"Saved {person.name}. Checks use the change from now on.")
            return redirect("schools:roster")
        form.add_error(None, problem)
    return render(request, "schools/person_edit.html",
                  {"form": form, "person": person, "group": GROUP_OF_KIND[person.kind]},
                  status=400 if form.errors else 200)


def _save_person(request: HttpRequest, school: SchoolRecord, person: PersonRecord,
                 data: dict[str, Any], before: dict[str, Any]) -> str:
    """Store the change, or say why the school would no longer be valid with it."""
    person.name = data["name"].strip()
    details = dict(person.details)
    if "roles" in data:
        # Defaults are left out, as the import leaves them out (PersonRecord.from_engine).
        details.pop("roles", None)
        details.pop("politically_restricted", None)
        if data["roles"]:
            details["roles"] = list(data["roles"])
        if data["politically_restricted"]:
            details["politically_restricted"] = True
    person.details = details
    try:
        Person.model_validate(person.as_engine_dict())
        with transaction.atomic():
            person.save(update_fields=["name", "details"])
            # A new timestamp makes every cached checker rebuild with the change (engine.py).
            school.updated_at = timezone.now()
            school.save(update_fields=["updated_at"])
            school.to_engine()  # the whole school must still hold together; else roll back
            record(request.user, "person.edit", person.ref, kind=person.kind, before=before,
                   after=_snapshot(person))
    except ValidationError as error:
        return "; ".join(item["msg"].removeprefix("Value error, ") for item in error.errors())
    return ""


@requires("people.manage")
def import_school(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, object]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["school_file"]
        csv_files = {item.name: item.read() for item in form.cleaned_data["people_files"]}
        try:
            school = school_from_files(upload.name, upload.read(), csv_files)
        except PostGuardError as error:
            problems = problems_of(error)
        else:
            _store(request, school, upload.name, sorted(csv_files))
            messages.success(request, f"Imported {school.name}: {len(school.everyone)} people. "
                                      "Checks use it from now on.")
            return redirect("schools:roster")
    return render(request, "schools/import.html",
                  {"form": form, "problems": problems, "school": SchoolRecord.current()},
                  status=400 if problems or form.errors else 200)


def _store(request: HttpRequest, school: School, name: str, csv_names: list[str]) -> None:
    with transaction.atomic():
        stored = SchoolRecord.import_school(school, source=f"uploaded {name}")
        counts = {group: len(getattr(school.people, group)) for group in GROUP_OF_KIND.values()}
        record(request.user, "school.import", stored.name, files=[name, *csv_names],
               people=counts)
