"""The forms of the policy's lifecycle. Every field has a label; dates use the browser's picker."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from postguard.policy.loader import available_packs
from postguard.policy.model import Pack
from postguard.web.accounts.models import User
from postguard.web.policies.edits import RuleState
from postguard.web.policies.models import How, PolicyVersion, Review
from postguard.web.policies.record import STATUSES, staff_users

SEVERITY_CHOICES = [("advice", "Advice: good practice, the post may go out"),
                    ("breach", "Breach: the policy says must or must not"),
                    ("serious", "Serious: possible gross misconduct, or must be reported")]
IN_PERSON = [(value, label) for value, label in How.choices if value != How.ONLINE]


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates only."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def pack_choices() -> list[tuple[str, str]]:
    return [(pack.id, f"{pack.title} ({pack.publisher})") for pack in available_packs()]


def version_choices() -> list[tuple[int, str]]:
    return [(v.number, v.label) for v in PolicyVersion.objects.order_by("number")]


def published_choices() -> list[tuple[int, str]]:
    return [(v.number, v.label) for v in PolicyVersion.objects.filter(published_at__isnull=False)]


class AdoptForm(forms.Form):
    pack = forms.ChoiceField(label="Policy to adopt", choices=pack_choices)
    local_note = forms.CharField(
        label="Local note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything your school adds: who to ask, where the full policy is kept.")


def rule_field(rule_id: str, name: str) -> str:
    return f"rule:{rule_id}:{name}"


class EditForm(forms.Form):
    """Every rule of the pack, with the version's current state as the starting values."""

    change_summary = forms.CharField(
        label="What you changed and why", max_length=300, required=False,
        help_text="Shown in the list of versions, for example 'Governors asked for stricter "
                  "rules on contact with parents'.")
    local_note = forms.CharField(label="Local note", required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, pack: Pack, states: dict[str, RuleState], *args: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pack, self.states = pack, states
        for rule in pack.rules:
            state = states[rule.id]
            self.fields[rule_field(rule.id, "enabled")] = forms.BooleanField(
                label="In force", required=False, initial=state.enabled)
            self.fields[rule_field(rule.id, "severity")] = forms.ChoiceField(
                label="Severity", choices=SEVERITY_CHOICES, initial=state.severity)
            self.fields[rule_field(rule.id, "message")] = forms.CharField(
                label="What it means", required=False, initial=state.message,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Leave empty to use the policy's own wording.")
            self.fields[rule_field(rule.id, "advice")] = forms.CharField(
                label="Advice", required=False, initial=state.advice,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Leave empty to use the policy's own wording.")

    def rules(self) -> list[tuple[RuleState, list[forms.BoundField]]]:
        """Each rule with its four fields, for the template to lay out as one fieldset."""
        return [(self.states[rule.id],
                 [self[rule_field(rule.id, name)]
                  for name in ("enabled", "severity", "message", "advice")])
                for rule in self.pack.rules]

    def wanted(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {rule.id: {name: data[rule_field(rule.id, name)]
                          for name in ("enabled", "severity", "message", "advice")}
                for rule in self.pack.rules}


class CompareForm(forms.Form):
    older = forms.TypedChoiceField(label="From version", coerce=int, choices=version_choices)
    newer = forms.TypedChoiceField(label="To version", coerce=int, choices=version_choices)


class RecordFilterForm(forms.Form):
    version = forms.TypedChoiceField(label="Version", coerce=int, required=False,
                                     choices=published_choices)
    status = forms.ChoiceField(label="Show", choices=list(STATUSES.items()), required=False)
    how = forms.ChoiceField(label="How", required=False,
                            choices=[("", "Any way"), *How.choices])


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InPersonForm(forms.Form):
    """An acknowledgement given in person, recorded by the head teacher."""

    user = StaffChoiceField(label="Member of staff", queryset=User.objects.none())
    how = forms.ChoiceField(label="Where it was given", choices=IN_PERSON)
    acknowledged_on = forms.DateField(label="Date", widget=DateInput)

    def __init__(self, version: PolicyVersion, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        done = version.acknowledgements.values("user")
        field = self.fields["user"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = staff_users().exclude(pk__in=done).order_by("display_name", "username")

    def clean_acknowledged_on(self) -> Any:
        day = self.cleaned_data["acknowledged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        assert self.version.published_at is not None
        published = timezone.localdate(self.version.published_at)
        if day < published:
            raise forms.ValidationError(
                f"Version {self.version.number} was published on {published:%d/%m/%Y}; "
                "it cannot have been acknowledged before then.")
        return day


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["reviewed_on", "outcome", "notes"]
        labels = {"reviewed_on": "Date of the review", "outcome": "Outcome",
                  "notes": "Notes (optional)"}
        widgets = {"reviewed_on": DateInput, "notes": forms.Textarea(attrs={"rows": 4})}

    def clean_reviewed_on(self) -> Any:
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day
