"""Signing in and out, the second factor, one's own account, invitations, and people's accounts.

Sign-in, sign-out, the second factor and accepting an invitation are open to anyone (they are how
a person gets in); every other view names its permission.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from postguard.web.accounts import totp
from postguard.web.accounts.forms import (
    AcceptInvitationForm,
    AccountForm,
    CodeForm,
    InviteForm,
    SignInForm,
    TokenForm,
)
from postguard.web.accounts.models import ApiToken, Invitation, Role, RoleAssignment, User
from postguard.web.accounts.permissions import PERMISSIONS, requires
from postguard.web.audit.models import record
from postguard.web.schools.models import SchoolRecord

# The login backend for accounts made here (the password was just set, so no check is needed).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: the page asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the views below run only for signed-in people
    return user


def _roster_choices() -> list[tuple[str, str]]:
    """Staff and governors, the people who may have accounts."""
    school = SchoolRecord.current()
    if school is None:
        return []
    people = school.people.filter(kind__in=("staff", "governor")).order_by("name")
    return [(person.ref, f"{person.name} ({person.kind})") for person in people]


# -- signing in and out -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    target = _next_url(request)
    if request.user.is_authenticated:
        return redirect(target)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        assert user is not None
        login(request, user)
        record(user, "account.sign_in")
        if user.needs_two_factor:
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': target})}")
        return redirect(target)
    return render(request, "accounts/sign_in.html", {"form": form, "next": target})


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/sign_out.html")
    if request.user.is_authenticated:
        record(request.user, "account.sign_out")
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:login")


# -- the second factor --------------------------------------------------------------------------


WRONG_CODE = ("That code didn't work. Type the code your app shows now; codes change every "
              "30 seconds.")
# django-otp makes each wrong code double the wait before the next try is even looked at.
TOO_MANY = ("Too many wrong codes in a row. Wait a minute, then type the newest code your app "
            "shows.")


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (the first time), or type its code after signing in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = _signed_in_user(request)
    target = _next_url(request)
    if user.is_verified():  # type: ignore[attr-defined]  # added by django-otp's middleware
        return redirect(target)
    device = totp.confirmed_device(user)
    setting_up = device is None
    if device is None:
        device = totp.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                record(user, "two_factor.set_up")
            otp_login(request, device)
            record(user, "two_factor.passed")
            if setting_up:
                messages.success(request, "Two-factor sign-in is set up. You'll be asked for a "
                                          "code each time you sign in.")
            return redirect(target)
        record(user, "two_factor.refused")
        form.add_error("code", WRONG_CODE if allowed else TOO_MANY)
    context: dict[str, Any] = {"form": form, "setting_up": setting_up, "next": target,
                               "required": user.two_factor_required}
    if setting_up:
        context |= {"qr_svg": totp.qr_svg(device), "secret": totp.secret(device)}
    return render(request, "accounts/two_factor.html", context)


# -- one's own account --------------------------------------------------------------------------


def _password_form(user: User, data: Any = None) -> PasswordChangeForm:
    form = PasswordChangeForm(user, data)
    # Django focuses the old password; on a page with other sections that jumps past them.
    form.fields["old_password"].widget.attrs.pop("autofocus", None)
    return form


def _account_page(request: HttpRequest, **extra: Any) -> HttpResponse:
    user = _signed_in_user(request)
    context = {
        "tokens": user.api_tokens.order_by("-created_at"),
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "password_form": extra.pop("password_form", None) or _password_form(user),
        "roles": sorted(Role(role).label for role in user.roles),
        **extra,
    }
    status = 400 if any(form.errors for form in (context["token_form"],
                                                  context["password_form"])) else 200
    return render(request, "accounts/account.html", context, status=status)


@requires("account.own")
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@require_POST
@requires("account.own")
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, token_form=form)
    user = _signed_in_user(request)
    token, secret = ApiToken.issue(user, form.cleaned_data["name"])
    record(user, "api_token.create", token.name, token_id=token.pk)
    # Shown on this response only: the database keeps just its digest.
    return _account_page(request, new_token=secret, new_token_name=token.name)


@require_POST
@requires("account.own")
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _signed_in_user(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)  # only one's own
    record(user, "api_token.revoke", token.name, token_id=token.pk)
    token.delete()
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("accounts:account")


@require_POST
@requires("account.own")
def password_change(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = _password_form(user, request.POST)
    if not form.is_valid():
        return _account_page(request, password_form=form)
    form.save()
    update_session_auth_hash(request, user)  # keeps this session signed in
    record(user, "account.password_change")
    messages.success(request, "Your password is changed.")
    return redirect("accounts:account")


@require_POST
@requires("account.own")
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    if user.two_factor_required:
        messages.error(request, "Your role needs two-factor sign-in, so it stays on.")
    else:
        TOTPDevice.objects.filter(user=user).delete()
        user.forget_two_factor()
        record(user, "two_factor.turned_off")
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:account")


# -- people's accounts --------------------------------------------------------------------------


def _two_factor_users() -> set[int]:
    return set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))


@requires("people.manage")
def people(request: HttpRequest) -> HttpResponse:
    with_two_factor = _two_factor_users()
    users = User.objects.prefetch_related("role_assignments").order_by("display_name",
                                                                        "username")
    rows = [{"user": user,
             "roles": sorted(Role(a.role).label for a in user.role_assignments.all()),
             "two_factor": user.pk in with_two_factor} for user in users]
    pending = Invitation.objects.filter(accepted_at__isnull=True,
                                        expires_at__gte=timezone.now()).order_by("-created_at")
    return render(request, "accounts/people.html",
                  {"rows": rows, "pending": pending, "school": SchoolRecord.current()})


def _keeps_own_access(editor: User, target: User, roles: set[str], active: bool) -> str:
    """Why this change would lock the editor out of managing people, or ""."""
    if editor.pk != target.pk:
        return ""
    if not active:
        return "You can't switch off your own account."
    if not roles & PERMISSIONS["people.manage"].roles:
        return ("You can't take away your own right to manage people. Ask another head "
                "teacher or administrator to do it.")
    return ""


@requires("people.manage")
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    editor = _signed_in_user(request)
    target = get_object_or_404(User, pk=user_id)
    people_choices = _roster_choices()
    if target.person_id and target.person_id not in dict(people_choices):
        people_choices.append((target.person_id, f"{target.person_id} (not in the roster)"))
    before = sorted(target.roles)
    initial = {"roles": before, "active": target.is_active, "person_id": target.person_id}
    form = AccountForm(request.POST if request.method == "POST" else None, initial=initial,
                       people=people_choices)
    if request.method == "POST" and form.is_valid():
        roles = set(form.cleaned_data["roles"])
        active = form.cleaned_data["active"]
        problem = _keeps_own_access(editor, target, roles, active)
        if problem:
            form.add_error(None, problem)
        else:
            _apply_account_change(editor, target, roles, active, form.cleaned_data["person_id"])
            messages.success(request, f"Saved the changes to {target.name}'s account.")
            return redirect("accounts:people")
    return render(request, "accounts/user_edit.html",
                  {"form": form, "target": target, "two_factor": target.two_factor_set_up},
                  status=400 if form.errors else 200)


def _apply_account_change(editor: User, target: User, roles: set[str], active: bool,
                          person_id: str) -> None:
    before = set(target.roles)
    with transaction.atomic():
        if roles != before:
            target.role_assignments.exclude(role__in=roles).delete()
            RoleAssignment.objects.bulk_create(
                RoleAssignment(user=target, role=role, granted_by=editor.username)
                for role in sorted(roles - before))
            target.forget_roles()
            record(editor, "role.change", target.username, before=sorted(before),
                   after=sorted(roles))
        if active != target.is_active:
            target.is_active = active
            target.save(update_fields=["is_active"])
            record(editor, "account.switch_on" if active else "account.switch_off",
                   target.username)
        if person_id != target.person_id:
            record(editor, "account.person_link", target.username, before=target.person_id,
                   after=person_id)
            target.person_id = person_id
            target.save(update_fields=["person_id"])


@require_POST
@requires("people.manage")
def two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """For a lost phone: they set up a new app at their next sign-in."""
    target = get_object_or_404(User, pk=user_id)
    TOTPDevice.objects.filter(user=target).delete()
    record(request.user, "two_factor.reset", target.username)
    messages.success(request, f"{target.name} will set up two-factor sign-in again next time "
                              "they sign in.")
    return redirect("accounts:user_edit", user_id=target.pk)


# -- invitations --------------------------------------------------------------------------------


@requires("people.manage")
def invite(request: HttpRequest) -> HttpResponse:
    inviter = _signed_in_user(request)
    form = InviteForm(request.POST if request.method == "POST" else None,
                      people=_roster_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation, token = Invitation.issue(
            email=data["email"], display_name=data["display_name"], roles=sorted(data["roles"]),
            created_by=inviter, person_id=data["person_id"])
        link = request.build_absolute_uri(reverse("accounts:accept", args=[token]))
        record(inviter, "invitation.issue", invitation.email, invitation_id=invitation.pk,
               name=invitation.display_name, roles=invitation.roles,
               person_id=invitation.person_id, expires_at=invitation.expires_at)
        _send_invitation(invitation, inviter, link)
        record(inviter, "invitation.send", invitation.email, invitation_id=invitation.pk)
        return render(request, "accounts/invited.html",
                      {"invitation": invitation, "link": link})
    return render(request, "accounts/invite.html", {"form": form},
                  status=400 if form.errors else 200)


def _send_invitation(invitation: Invitation, inviter: User, link: str) -> None:
    school = SchoolRecord.current()
    where = f"{school.name}'s" if school else "your school's"
    expires = date_format(timezone.localtime(invitation.expires_at), "j F Y")
    body = (f"Hello {invitation.display_name},\n\n"
            f"{inviter.name} has invited you to PostGuard, {where} service for its social "
            f"media policy. Open this link to choose a password and sign in:\n\n{link}\n\n"
            f"The link works once, until {expires}. If you weren't expecting this email, "
            f"you can ignore it.\n")
    send_mail("Your invitation to PostGuard", body, None, [invitation.email])


INVITATION_PROBLEMS = {
    "unknown": ("We don't recognise this invitation link", "Check that you copied the whole "
                "link from the email. If it still doesn't work, ask the person who invited you "
                "to send a new invitation."),
    "used": ("This invitation has already been used", "Each invitation link works once. If "
             "you set up your account already, sign in instead. If you didn't, tell the person "
             "who invited you straight away."),
    "expired": ("This invitation has expired", "Invitation links work for 7 days. Ask the "
                "person who invited you to send a new one."),
}


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.lookup(token)
    problem = "unknown" if invitation is None else invitation.problem
    if invitation is None or problem:
        title, advice = INVITATION_PROBLEMS[problem]
        return render(request, "accounts/invitation_problem.html",
                      {"title": title, "advice": advice}, status=410)
    new_user = User(email=invitation.email, display_name=invitation.display_name)
    suggested = invitation.email.split("@")[0]
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None,
                                initial={"username": suggested}, new_user=new_user)
    if request.method == "POST" and form.is_valid():
        user = _create_invited_user(invitation, form.cleaned_data["username"],
                                    form.cleaned_data["password1"])
        if user is None:  # accepted by someone else between the page load and now
            title, advice = INVITATION_PROBLEMS["used"]
            return render(request, "accounts/invitation_problem.html",
                          {"title": title, "advice": advice}, status=410)
        login(request, user, backend=MODEL_BACKEND)
        record(user, "account.sign_in", via="invitation")
        messages.success(request, f"Welcome, {user.name}. Your account is ready.")
        return redirect("home")
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation},
                  status=400 if form.errors else 200)


def _create_invited_user(invitation: Invitation, username: str, password: str) -> User | None:
    with transaction.atomic():
        # Locked, so that the same link opened twice cannot make two accounts.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.problem:
            return None
        user = User.objects.create_user(username, invitation.email, password,
                                        display_name=invitation.display_name,
                                        person_id=invitation.person_id)
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=role,
                           granted_by=locked.created_by.username if locked.created_by else "")
            for role in locked.roles)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        record(user, "invitation.accept", invitation.email, invitation_id=locked.pk,
               roles=locked.roles, invited_by=locked.created_by.username
               if locked.created_by else "")
    return user
