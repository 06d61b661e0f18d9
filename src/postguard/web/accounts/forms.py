"""The forms people fill in to sign in, prove a second factor, invite and manage accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.http import HttpRequest

from postguard.web.accounts.models import Role, User

SIGN_IN_REFUSED = ("That username or email and password don't match an account that is switched "
                   "on. Check them and try again.")


class SignInForm(forms.Form):
    username = forms.CharField(label="Username or email", max_length=254,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autocapitalize": "none"}))
    password = forms.CharField(label="Password", strip=False,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, password = data.get("username"), data.get("password")
        if given and password:
            # authenticate() goes through django-axes, which counts failures per username, so
            # an email is turned into its username first: both spellings share one count.
            user = authenticate(self.request, username=username_for(given), password=password)
            if not isinstance(user, User):
                raise forms.ValidationError(SIGN_IN_REFUSED)
            self.user = user
        return data


def username_for(given: str) -> str:
    """The username of the one account with this email address, else what was typed."""
    given = given.strip()
    if "@" in given:
        matches = list(User.objects.filter(email__iexact=given).values_list("username",
                                                                               flat=True)[:2])
        if len(matches) == 1:
            return matches[0]
    return given


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app", max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9 ]*", "autofocus": True}))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Type the 6 numbers your authenticator app shows.")
        return code


ROLE_CHOICES = Role.choices


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ROLE_CHOICES, **kwargs)


def _email_in_use(email: str, except_user: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email)
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return users.exists()


class PersonChoiceMixin:
    fields: dict[str, forms.Field]

    def _people(self, people: list[tuple[str, str]]) -> None:
        field = self.fields["person_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Not in the school's people"), *people]


class InviteForm(PersonChoiceMixin, forms.Form):
    display_name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="Email address",
                             help_text="The invitation link is sent here.")
    roles = RolesField(label="Roles", initial=[Role.STAFF])
    person_id = forms.ChoiceField(
        label="Who they are in the school's people", required=False,
        help_text="Links their account to the school's records, so checks know who is posting.")

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people(people)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if _email_in_use(email):
            raise forms.ValidationError("Someone already has an account with this email address.")
        return email


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label="Choose a username", max_length=150, validators=[UnicodeUsernameValidator()],
        help_text="Letters, numbers and @ . + - _ only. You can also sign in with your email.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    password1 = forms.CharField(
        label="Choose a password", strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Type the password again", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, new_user: User, **kwargs: Any) -> None:
        self.new_user = new_user
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Try another.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different.")
        elif first:
            self.new_user.username = data.get("username", "")
            try:
                password_validation.validate_password(first, self.new_user)
            except forms.ValidationError as problem:
                self.add_error("password1", problem)
        return data


class AccountForm(PersonChoiceMixin, forms.Form):
    """What someone who manages people may change about another person's account."""

    roles = RolesField(label="Roles", required=False)
    active = forms.BooleanField(
        label="Account switched on", required=False,
        help_text="A switched-off account cannot sign in or use its API tokens.")
    person_id = forms.ChoiceField(label="Who they are in the school's people", required=False)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people(people)


class TokenForm(forms.Form):
    name = forms.CharField(label="What the token is for", max_length=100,
                           help_text="For example: the school's website, or a spreadsheet.")
