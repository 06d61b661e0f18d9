"""Two-factor sign-in: required for head teacher, safeguarding lead and administrator; a choice
for everyone else."""

from __future__ import annotations

import re
from base64 import b32encode
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django_otp.plugins.otp_totp.models import TOTPDevice

from postguard.web.accounts import totp
from postguard.web.accounts.middleware import OPEN_PREFIXES
from postguard.web.audit.models import AuditEntry

PASSWORD = "correct horse battery staple 42"  # every persona's, in tests/web/conftest.py


def sign_in(client: Client, username: str, **extra: str) -> Any:
    return client.post(reverse("accounts:login"),
                       {"username": username, "password": PASSWORD, **extra})


def a_wrong_code(device: TOTPDevice) -> str:
    right = {totp.current_code(device)}
    return next(code for code in ("123456", "654321", "111111") if code not in right)


def every_page_path() -> Iterator[str]:
    """A path for every page in the application, with sample values for its arguments."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and isinstance(entry.pattern, RoutePattern):
                path = prefix + str(entry.pattern)
                yield "/" + re.sub(r"<int:\w+>", "1", re.sub(r"<(?:str|slug):\w+>", "x", path))

    return walk(get_resolver().url_patterns, "")


# -- required by role ---------------------------------------------------------------------------


def test_a_head_teacher_without_a_second_factor_is_sent_to_it_from_every_page(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("head")
    sign_in(client, "head")
    paths = sorted({path for path in every_page_path() if not path.startswith(OPEN_PREFIXES)})
    assert "/accounts/people/" in paths and "/school/import/" in paths
    not_sent = []
    for path in paths:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if not (response.status_code == 302
                    and response["Location"].startswith(reverse("accounts:two_factor"))):
                not_sent.append(f"{method.upper()} {path}: {response.status_code}")
    assert not not_sent


def test_signing_in_as_a_head_teacher_goes_straight_to_the_second_factor(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("head")
    response = sign_in(client, "head", next="/accounts/people/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Fpeople%2F"


def test_a_head_teacher_sets_up_an_authenticator_app_with_a_qr_code_or_the_typed_secret(
        client: Client, make_user: Callable[[str], Any]) -> None:
    head = make_user("head")
    sign_in(client, "head")
    page = client.get(reverse("accounts:two_factor")).text
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    assert "<svg" in page and "Set up two-factor sign-in" in page
    typed = b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'<code>([A-Z2-7 ]+)</code>', page).group(1)  # type: ignore[union-attr]
    assert shown.replace(" ", "") == typed
    assert client.get(reverse("accounts:two_factor")).text.count(shown) == 1  # same secret


def test_a_head_teacher_who_types_the_right_code_finishes_setting_up_and_reaches_the_pages(
        client: Client, make_user: Callable[[str], Any]) -> None:
    head = make_user("head")
    sign_in(client, "head")
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=head)
    response = client.post(reverse("accounts:two_factor"),
                           {"code": totp.current_code(device), "next": "/accounts/people/"})
    assert response["Location"] == "/accounts/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/people/").status_code == 200
    assert list(AuditEntry.objects.filter(actor="head").values_list("action", flat=True)) == [
        "account.sign_in", "two_factor.set_up", "two_factor.passed"]


def test_a_wrong_code_is_refused_and_the_pages_stay_closed(
        client: Client, make_user: Callable[[str], Any]) -> None:
    head = make_user("head")
    device = TOTPDevice.objects.create(user=head, name="phone", confirmed=True)
    sign_in(client, "head")
    response = client.post(reverse("accounts:two_factor"), {"code": a_wrong_code(device)})
    assert response.status_code == 200
    assert "That code didn&#x27;t work" in response.text
    assert client.get(reverse("home")).status_code == 302
    assert AuditEntry.objects.filter(action="two_factor.refused", actor="head").exists()


def test_after_a_wrong_code_the_next_try_must_wait(
        client: Client, make_user: Callable[[str], Any]) -> None:
    head = make_user("head")
    device = TOTPDevice.objects.create(user=head, name="phone", confirmed=True)
    sign_in(client, "head")
    client.post(reverse("accounts:two_factor"), {"code": a_wrong_code(device)})
    client.post(reverse("accounts:two_factor"), {"code": a_wrong_code(device)})
    response = client.post(reverse("accounts:two_factor"), {"code": totp.current_code(device)})
    assert "Too many wrong codes in a row" in response.text
    assert client.get(reverse("home")).status_code == 302


def test_a_safeguarding_lead_with_an_app_types_its_code_after_every_sign_in(
        client: Client, make_user: Callable[[str], Any]) -> None:
    dsl = make_user("dsl")
    device = TOTPDevice.objects.create(user=dsl, name="phone", confirmed=True)
    sign_in(client, "dsl")
    page = client.get(reverse("accounts:two_factor")).text
    assert "Enter your code" in page and "<svg" not in page  # the secret is never shown again
    client.post(reverse("accounts:two_factor"), {"code": totp.current_code(device)})
    assert client.get(reverse("home")).status_code == 200


def test_a_head_teacher_cannot_turn_two_factor_off(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    head = signed_in(client, "head")
    client.post(reverse("accounts:two_factor_off"))
    assert TOTPDevice.objects.filter(user=head, confirmed=True).exists()


def test_a_code_is_six_digits(client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("admin")
    sign_in(client, "admin")
    response = client.post(reverse("accounts:two_factor"), {"code": "12ab"})
    assert "Type the 6 numbers your authenticator app shows" in response.text


# -- chosen by others ---------------------------------------------------------------------------


def test_a_teacher_is_not_asked_for_a_code(
        client: Client, make_user: Callable[[str], Any]) -> None:
    make_user("teacher")
    assert sign_in(client, "teacher")["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_teacher_who_opts_in_is_asked_for_a_code_at_the_next_sign_in(
        client: Client, signed_in: Callable[[Client, str], Any]) -> None:
    teacher = signed_in(client, "teacher")
    assert "Set up two-factor sign-in" in client.get(reverse("accounts:account")).text
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=teacher)
    client.post(reverse("accounts:two_factor"), {"code": totp.current_code(device)})
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "teacher")["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get(reverse("home")).status_code == 302


def test_a_teacher_may_turn_their_chosen_two_factor_off(
        client: Client, make_user: Callable[[str], Any]) -> None:
    teacher = make_user("teacher")
    device = TOTPDevice.objects.create(user=teacher, name="phone", confirmed=True)
    sign_in(client, "teacher")
    client.post(reverse("accounts:two_factor"), {"code": totp.current_code(device)})
    client.post(reverse("accounts:two_factor_off"))
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "teacher")["Location"] == reverse("home")


@pytest.mark.parametrize("persona", ["teacher", "comms", "hr", "governor"])
def test_only_head_dsl_and_administrator_roles_require_two_factor(
        persona: str, make_user: Callable[[str], Any]) -> None:
    assert not make_user(persona).two_factor_required
