"""The school this installation serves, stored so that it can be edited in the application.

The engine's own model (postguard.school.model.School) stays the single definition of what a
school is: the database keeps its fields as JSON and its people as rows, and ``to_engine``
rebuilds and validates it, so the application and the command line always agree.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from postguard.school.model import PERSON_KINDS, Person, School

GROUP_OF_KIND = {"staff": "staff", "pupil": "pupils", "ex_pupil": "ex_pupils",
                 "parent": "parents", "governor": "governors"}


class SchoolRecord(models.Model):
    name = models.CharField(max_length=200)
    config = models.JSONField(help_text="every field of the school file except its people")
    imported_from = models.CharField(max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    def to_engine(self) -> School:
        groups: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUP_OF_KIND.values()}
        for person in self.people.order_by("id"):  # the order of the file
            groups[GROUP_OF_KIND[person.kind]].append(person.as_engine_dict())
        return School.model_validate({**self.config, "people": groups})

    @classmethod
    def current(cls) -> SchoolRecord | None:
        return cls.objects.order_by("id").first()

    @classmethod
    def import_school(cls, school: School, source: str = "") -> SchoolRecord:
        """Replace the stored school with this one (people included)."""
        config = school.model_dump(mode="json", exclude={"people"})
        record = cls.current() or cls(name=school.name, config=config)
        record.name, record.config, record.imported_from = school.name, config, source
        record.updated_at = timezone.now()
        record.save()
        record.people.all().delete()
        PersonRecord.objects.bulk_create(
            PersonRecord.from_engine(record, person) for person in school.everyone)
        return record


class PersonRecord(models.Model):
    school = models.ForeignKey(SchoolRecord, on_delete=models.CASCADE, related_name="people")
    ref = models.CharField(max_length=100, help_text="the person's id in the school file")
    kind = models.CharField(max_length=20, choices=[(k, k) for k in PERSON_KINDS])
    name = models.CharField(max_length=200)
    details = models.JSONField(default=dict, help_text="the person's other fields")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "ref"], name="one_ref")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def as_engine_dict(self) -> dict[str, Any]:
        return {**self.details, "id": self.ref, "kind": self.kind, "name": self.name}

    @classmethod
    def from_engine(cls, school: SchoolRecord, person: Person) -> PersonRecord:
        details = person.model_dump(mode="json", exclude={"id", "kind", "name"},
                                    exclude_defaults=True)
        return cls(school=school, ref=person.id, kind=person.kind, name=person.name,
                   details=details)
