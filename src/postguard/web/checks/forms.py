"""The check form: the draft and the few facts about it that change what the policy says."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from postguard.engine.post import Post
from postguard.school.model import OfficialAccount, School
from postguard.web.accounts.models import User

PERSONAL = "personal"
OFFICIAL_PREFIX = "official:"
MAX_DRAFT = 10_000
PLATFORMS = [
    ("facebook", "Facebook"), ("instagram", "Instagram"), ("x", "X (Twitter)"),
    ("tiktok", "TikTok"), ("linkedin", "LinkedIn"), ("whatsapp", "WhatsApp"),
    ("snapchat", "Snapchat"), ("youtube", "YouTube"), ("other", "Somewhere else"),
]
ACTIONS = [
    ("post", "A post"), ("comment", "A comment on someone else's post"),
    ("message", "A private message"), ("friend_request", "A friend or follow request"),
    ("profile", "My profile (name, bio, photo, details)"),
]
AUDIENCES = [
    ("public", "Anyone (public)"), ("friends", "Friends or followers only"),
    ("direct", "One person or a small group (direct)"),
]
TIME_FORMAT = "%Y-%m-%dT%H:%M"


def accounts_for(school: School, user: User) -> list[OfficialAccount]:
    """The school's official accounts this person is authorised to post on."""
    if not user.person_id:
        return []
    return [account for account in school.official_accounts
            if user.person_id in account.authorised_posters]


class CheckForm(forms.Form):
    text = forms.CharField(
        label="Your draft", max_length=MAX_DRAFT, strip=False,
        widget=forms.Textarea(attrs={"rows": 7, "spellcheck": "true"}),
        help_text="Write or paste what you want to post. It is checked as you type; only you "
                  "can see the drafts you save.")
    platform = forms.ChoiceField(label="Where", choices=PLATFORMS)
    account = forms.ChoiceField(label="Posting as")
    audience = forms.ChoiceField(label="Who can see it", choices=AUDIENCES)
    action = forms.ChoiceField(label="What it is", choices=ACTIONS)
    target = forms.CharField(
        label="Who it's to (for a message, comment or friend request)", required=False,
        max_length=200, widget=forms.TextInput(attrs={"list": "roster-people",
                                                      "autocomplete": "off"}),
        help_text="Type a name, or choose someone from the school's list.")
    posted_at = forms.DateTimeField(
        label="When it will go out", required=False,
        input_formats=[TIME_FORMAT, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=TIME_FORMAT))

    def __init__(self, school: School, user: User, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.school = school
        self.user = user
        self.official = {account.id: account for account in accounts_for(school, user)}
        account_field = self.fields["account"]
        assert isinstance(account_field, forms.ChoiceField)
        account_field.choices = [(PERSONAL, "My personal account")] + [
            (OFFICIAL_PREFIX + account.id,
             f"The school's {account.platform} account {account.handle}")
            for account in self.official.values()]
        posted_at = self.fields["posted_at"]
        posted_at.help_text = f"School time ({school.timetable.timezone}). Leave as it is for now."
        posted_at.initial = timezone.localtime(timezone.now(), school.timetable.zone).replace(
            second=0, microsecond=0, tzinfo=None)

    def clean_posted_at(self) -> datetime:
        value = self.cleaned_data.get("posted_at")
        zone = self.school.timetable.zone
        if value is None:
            return timezone.now().astimezone(zone)
        # The field read the wall-clock time in the server's zone; it means the school's.
        return value.replace(tzinfo=None).replace(tzinfo=zone)

    def official_account(self) -> OfficialAccount | None:
        chosen = self.cleaned_data["account"]
        if chosen == PERSONAL:
            return None
        return self.official[chosen.removeprefix(OFFICIAL_PREFIX)]

    def to_post(self) -> Post:
        data = self.cleaned_data
        official = self.official_account()
        target = data["target"].strip() or None
        return Post(
            text=data["text"],
            author=self.user.person_id or None,
            account="official" if official else "personal",
            account_id=official.id if official else None,
            # An official account lives on one platform, whatever else was picked.
            platform=official.platform if official else data["platform"],
            action=data["action"],
            audience=data["audience"],
            posted_at=data["posted_at"],
            target=target if data["action"] in ("message", "comment", "friend_request") else None,
        )
