"""Importing the school from the same YAML and CSV files as the command line, in the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from postguard.errors import ErrorList, PostGuardError
from postguard.school.loader import demo_school_dir, load_demo_school
from postguard.web.audit.models import AuditEntry
from postguard.web.schools.importing import problems_of, school_from_files
from postguard.web.schools.models import PersonRecord, SchoolRecord

DEMO = demo_school_dir()
CSV_NAMES = ("pupils.csv", "parents.csv", "ex_pupils.csv")


def demo_files(**changed: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The demo school's files as uploaded, with some replaced (``pupils_csv=...``)."""
    school = changed.pop("school_yaml", (DEMO / "school.yaml").read_bytes())
    csvs = {name: changed.pop(name.replace(".", "_"), (DEMO / name).read_bytes())
            for name in CSV_NAMES}
    assert not changed, changed
    return school, csvs


def with_line(name: str, line: int, text: str) -> bytes:
    """The demo CSV file ``name`` with its line ``line`` (1 is the header) replaced."""
    lines = (DEMO / name).read_text().splitlines()
    lines[line - 1] = text
    return ("\n".join(lines) + "\n").encode()


def problems(**changed: bytes) -> list[dict[str, object]]:
    school, csvs = demo_files(**changed)
    with pytest.raises(PostGuardError) as raised:
        school_from_files("school.yaml", school, csvs)
    return problems_of(raised.value)


def upload(client: Client, school: bytes, csvs: dict[str, bytes]) -> Any:
    return client.post(reverse("schools:import"), {
        "school_file": SimpleUploadedFile("school.yaml", school),
        "people_files": [SimpleUploadedFile(name, data, "text/csv")
                         for name, data in csvs.items()]})


# -- checking the files -------------------------------------------------------------------------


def _demo_yaml_with(old: str, new: str) -> bytes:
    text = (DEMO / "school.yaml").read_text()
    assert old in text
    return text.replace(old, new, 1).encode()


def _line_of(text: bytes, needle: str) -> int:
    return next(n for n, line in enumerate(text.decode().splitlines(), 1) if needle in line)


def test_an_unknown_policy_pack_is_named_at_its_line_in_the_school_file() -> None:
    school = _demo_yaml_with("pack: northumberland", "pack: atlantis")
    [found] = problems(school_yaml=school)
    assert (found["code"], found["file"], found["field"]) == ("E101", "school.yaml", "policy.pack")
    assert found["line"] == _line_of(school, "pack: atlantis")


def test_the_demo_school_s_files_make_the_same_school_as_the_command_line() -> None:
    school, csvs = demo_files()
    assert school_from_files("school.yaml", school, csvs) == load_demo_school()


def test_a_bad_csv_line_is_named_by_file_line_and_field() -> None:
    bad = with_line("pupils.csv", 3, "p-thompson,Mia Thompson,,6,6O,3 February 2016,yes")
    (problem,) = problems(pupils_csv=bad)
    assert (problem["file"], problem["line"], problem["field"]) == (
        "pupils.csv", 3, "date_of_birth")


def test_problems_in_two_csv_files_and_the_yaml_are_all_reported_together() -> None:
    pupils = with_line("pupils.csv", 3, "p-thompson,Mia Thompson,,6,6O,3 February 2016,yes")
    parents = with_line("parents.csv", 2, "r-robson,,,p-robson")  # no name
    school = (DEMO / "school.yaml").read_bytes().replace(b"name: Westmoor Primary School",
                                                        b"name: Westmoor Primary School\n"
                                                        b"motto: Learn together")
    found = {(p["file"], p["line"], p["field"]) for p in problems(
        pupils_csv=pupils, parents_csv=parents, school_yaml=school)}
    assert ("pupils.csv", 3, "date_of_birth") in found
    assert ("parents.csv", 2, "name") in found
    assert ("school.yaml", 8, "motto") in found


def test_a_csv_file_the_school_file_names_but_that_was_not_uploaded_is_named() -> None:
    school, csvs = demo_files()
    del csvs["parents.csv"]
    with pytest.raises(ErrorList) as raised:
        school_from_files("school.yaml", school, csvs)
    (problem,) = problems_of(raised.value)
    assert problem["field"] == "people.parents"
    assert "'parents.csv', which was not uploaded" in str(problem["problem"])


def test_a_people_file_outside_the_upload_is_never_read() -> None:
    school = (DEMO / "school.yaml").read_bytes().replace(b"pupils: pupils.csv",
                                                        b"pupils: ../../etc/passwd")
    (problem,) = problems(school_yaml=school)
    assert problem["field"] == "people.pupils"
    assert "must be a file name, with no folder" in str(problem["problem"])


def test_an_unknown_policy_pack_is_named_at_its_line() -> None:
    school = (DEMO / "school.yaml").read_bytes().replace(b"pack: northumberland",
                                                        b"pack: northumbria")
    (problem,) = problems(school_yaml=school)
    assert (problem["file"], problem["field"]) == ("school.yaml", "policy.pack")
    assert "unknown policy pack 'northumbria'" in str(problem["problem"])


def test_a_school_file_that_is_not_yaml_says_where() -> None:
    (problem,) = problems(school_yaml=b"name: [Westmoor\n")
    assert problem["file"] == "school.yaml" and problem["code"] == "E108"


# -- the page -----------------------------------------------------------------------------------


def test_the_head_teacher_imports_the_school_from_its_files(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    signed_in(client, "head")
    response = upload(client, *demo_files())
    assert response["Location"] == reverse("schools:roster")
    school = SchoolRecord.current()
    assert school is not None and school.to_engine() == load_demo_school()
    (entry,) = AuditEntry.objects.filter(action="school.import")
    assert entry.actor == "head" and entry.data["people"]["pupils"] == 24


def test_an_import_with_a_bad_csv_line_names_it_and_leaves_the_stored_school_unchanged(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "head")
    school, csvs = demo_files(pupils_csv=with_line(
        "pupils.csv", 3, "p-thompson,Mia Thompson,,6,6O,3 February 2016,yes"))
    csvs["pupils.csv"] = csvs["pupils.csv"].replace(b"Jayden Robson", b"Jayden Changed")
    response = upload(client, school, csvs)
    assert response.status_code == 400
    assert "<strong>pupils.csv, line 3, date_of_birth:</strong>" in response.text
    assert "Nothing was imported" in response.text
    stored = SchoolRecord.objects.get()
    assert stored.updated_at == demo_school.updated_at
    assert stored.people.count() == demo_school.people.count()
    assert PersonRecord.objects.get(ref="p-robson").name == "Jayden Robson"
    assert not AuditEntry.objects.filter(action="school.import").exists()


def test_a_governor_may_not_import_the_school(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "governor")
    assert upload(client, *demo_files()).status_code == 403
    assert SchoolRecord.objects.get().updated_at == demo_school.updated_at
