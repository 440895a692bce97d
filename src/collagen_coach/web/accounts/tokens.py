"""API tokens: the personal keys another program uses to reach one's records through the REST API.

Only a token's SHA-256 is kept, so a new token is shown once, right after it is made; a token can
be revoked at any time, and the program using it is then refused.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from collagen_coach.web.clients.access import SignedInRequest
from collagen_coach.web.practice.models import ApiToken

# A person has a handful of programs; more tokens than this is a sign of tokens never revoked.
MAX_TOKENS = 20
# The fresh token waits here, in the person's own session, until the page shows it (once).
NEW_TOKEN_KEY = "new_api_token"


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text="A name you will recognise, e.g. “spreadsheet at home”. Up to 100 characters.",
        error_messages={
            "required": "Give the token a name, so you know later what uses it.",
            "max_length": "Use at most 100 characters for the name.",
        },
    )

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if "\x00" in name:
            raise forms.ValidationError("Use letters, digits and punctuation only.")
        return name


@require_http_methods(["GET", "POST"])
def tokens(request: SignedInRequest) -> HttpResponse:
    """Give the person's API tokens; a valid name makes a new one, shown once."""
    mine = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    form = TokenForm(request.POST or None, label_suffix="")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if mine.count() >= MAX_TOKENS:
                form.add_error(
                    "name",
                    f"You already have {MAX_TOKENS} tokens. Revoke the ones no longer in use "
                    "first.",
                )
            else:
                token, digest = ApiToken.new_token()
                ApiToken.objects.create(
                    user=request.user, name=form.cleaned_data["name"], token_sha256=digest
                )
                request.session[NEW_TOKEN_KEY] = token
                return redirect("accounts:tokens")
    new_token = request.session.pop(NEW_TOKEN_KEY, None)
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": list(mine), "new_token": new_token, "max_tokens": MAX_TOKENS},
    )
    # The page may hold a fresh token: never keep it in a cache.
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


@require_POST
def revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's tokens: a program using it is refused from now on."""
    deleted, _ = ApiToken.objects.filter(user=request.user, pk=pk).delete()
    if not deleted:
        raise Http404("no such token")
    messages.success(request, "The token is revoked: nothing can use it any more.")
    return redirect("accounts:tokens")
