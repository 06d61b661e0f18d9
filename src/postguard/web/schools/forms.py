"""Forms for importing the school from its files and editing one of its people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from postguard.school.model import STAFF_ROLES
from postguard.web.schools.importing import MAX_FILE_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data]
        return [one(data, initial)] if data else []


def _small_enough(upload: UploadedFile) -> None:
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise forms.ValidationError(
            f"{upload.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; a school file "
            "is much smaller than that. Check that it is the right file.")


class ImportForm(forms.Form):
    school_file = forms.FileField(
        label="The school file (school.yaml)",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}))
    people_files = MultipleFileField(
        label="The CSV files of people it names (pupils.csv, parents.csv, ...)", required=False,
        help_text="Choose all of them at once. Only the files that school.yaml names are read.")

    def clean_school_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["school_file"]
        _small_enough(upload)
        return upload

    def clean_people_files(self) -> list[UploadedFile]:
        uploads: list[UploadedFile] = self.cleaned_data["people_files"]
        for upload in uploads:
            _small_enough(upload)
        return uploads


def role_label(role: str) -> str:
    return "HR" if role == "hr" else role.replace("_", " ").capitalize()


class PersonForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    roles = forms.MultipleChoiceField(
        label="Roles in school", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(role, role_label(role)) for role in STAFF_ROLES])
    politically_restricted = forms.BooleanField(
        label="Holds a politically restricted post", required=False,
        help_text="The policy's rules for politically restricted posts then apply to what "
                  "they post.")

    def __init__(self, *args: Any, with_roles: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_roles:  # pupils, ex-pupils and parents have a name only
            del self.fields["roles"]
            del self.fields["politically_restricted"]
