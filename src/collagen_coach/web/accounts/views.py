"""Signing up, in and out, and changing or resetting a password."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from collagen_coach.web import throttle
from collagen_coach.web.accounts.forms import PasswordCheckForm, RecoverForm, SignUpForm
from collagen_coach.web.accounts.recovery import (
    CODES_PER_ACCOUNT,
    codes_left,
    matching_code,
    new_recovery_codes,
    reset_with_code,
)
from collagen_coach.web.accounts.services import revoke_api_tokens, sign_up


def _mail_to_console() -> bool:
    """Say whether reset emails are printed on the server's console (the embedded default)."""
    return str(settings.EMAIL_BACKEND).endswith("console.EmailBackend")


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Give the sign-up page; on valid answers, make the account, sign in and go to today (or to
    the page ``next`` names, e.g. starting a practice or taking up an invitation)."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, _ = sign_up(
            form.cleaned_data["username"],
            form.cleaned_data["password1"],
            form.cleaned_data.get("email") or "",
        )
        # The account was just made: no need to ask for the password again (nor count a login).
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome. Your account is ready.")
        # Shown in this answer only, never stored in clear: reloading it makes no new page.
        return _codes_page(request, new_recovery_codes(user), next_url or reverse("home"))
    context = {
        "form": form,
        "next": next_url,
        "for_practice": next_url == reverse("practice:start"),
    }
    return render(request, "accounts/signup.html", context)


def _codes_page(request: HttpRequest, codes: list[str], onward: str) -> HttpResponse:
    context = {"codes": codes, "onward": onward, "username": request.user.get_username()}
    return render(request, "accounts/recovery_codes_new.html", context)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Give the page that says how many recovery codes are left and, with the password, makes
    ten new ones (the old ones stop working) and shows them once."""
    form = PasswordCheckForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = new_recovery_codes(request.user)
        return _codes_page(request, codes, reverse("accounts:recovery_codes"))
    context = {"form": form, "left": codes_left(request.user), "per_account": CODES_PER_ACCOUNT}
    return render(request, "accounts/recovery_codes.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    """Give the page to set a new password with a recovery code (username, code, new password).

    Wrong codes count as failed sign-ins: django-axes locks the name after 5 in a row and the
    address throttle refuses an address after many, exactly as on the sign-in page. A wrong
    code changes nothing and gets one message, whether the name, the code or both were wrong.
    """
    if request.user.is_authenticated:
        return redirect("accounts:recovery_codes")
    form = RecoverForm(request.POST or None)
    if request.method == "POST":
        if throttle.is_refused(request):
            response = render(request, "throttled.html", {"why": throttle.REFUSAL}, status=429)
            response["Retry-After"] = str(throttle.WINDOW_S)
            return response
        username = str(request.POST.get("username", ""))[:150]
        credentials = {"username": username}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return render(request, "accounts/locked_out.html", {"username": username}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            stored = matching_code(data["username"], data["code"])
            if stored is None:
                # Counted by django-axes (per name) and by the address throttle, like a sign-in.
                user_login_failed.send(__name__, credentials=credentials, request=request)
                form.add_error(None, WRONG_CODE)
            elif _new_password_fits(form, stored.user) and reset_with_code(
                stored, data["password1"]
            ):
                axes_reset(username=stored.user.get_username())
                context = {"left": codes_left(stored.user), "per_account": CODES_PER_ACCOUNT}
                return render(request, "accounts/recover_done.html", context)
    return render(request, "accounts/recover.html", {"form": form, "wrong_code": WRONG_CODE})


WRONG_CODE = (
    "That username and recovery code do not match, or the code was used already. Check both "
    "and try again; nothing was changed."
)


def _new_password_fits(form: RecoverForm, user: Any) -> bool:
    """Whether the new password passes the password rules; if not, say why on the form."""
    try:
        password_validation.validate_password(form.cleaned_data["password1"], user)
    except ValidationError as exc:
        form.add_error("password1", exc)
        return False
    return True


def _safe_next(request: HttpRequest) -> str:
    """Give the page to go to after signing up (``next``), if it is a path of this site's."""
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    # Only a path: redirect() would take anything else for the name of a page.
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


class SignInView(auth_views.LoginView):
    """Give the sign-in page (django-axes locks a name out after repeated wrong passwords)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only: a link or a prefetch cannot sign anyone out)."""


class _PlainLabels:
    """Form labels without Django's trailing colon, as on every other page."""

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "label_suffix": ""}  # type: ignore[misc]


class _RevokesApiTokens:
    """A new password revokes every API token: a token taken with the old one stops working."""

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        revoke_api_tokens(form.user)
        return response


class PasswordChangeView(_RevokesApiTokens, _PlainLabels, auth_views.PasswordChangeView):
    """Give the page to change one's password while signed in."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """Give the page that confirms a changed password."""

    template_name = "accounts/password_change_done.html"


class PasswordResetView(_PlainLabels, auth_views.PasswordResetView):
    """Give the page that sends a reset link to the account's email."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "mail_to_console": _mail_to_console()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Give the page that says where the reset link went."""

    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {**super().get_context_data(**kwargs), "mail_to_console": _mail_to_console()}


class PasswordResetConfirmView(
    _RevokesApiTokens, _PlainLabels, auth_views.PasswordResetConfirmView
):
    """Give the page, reached from the emailed link, to choose a new password."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """Give the page that confirms the new password and offers to sign in."""

    template_name = "accounts/password_reset_complete.html"
