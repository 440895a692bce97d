"""Account operations: signing a person up and giving them their own records, revoking their
API tokens, forgetting their sign-in history."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import LOCAL_CLIENT_NAME
from collagen_coach.web.practice.models import ApiToken


def sign_up(username: str, password: str, email: str = "") -> tuple[Any, Client]:
    """Give a new account and the client whose records it sees, both saved.

    The first account made on a computer where the command line has already been used adopts the
    embedded app's local client, so the person sees in the browser what they did in the terminal.
    Every later account gets a client of its own, and so does every account on a shared database
    (there, records made in the terminal are nobody's in particular: see ``terminal_client``).
    The password is expected to have passed the password validators already (the sign-up form
    checks it).
    """
    with transaction.atomic():
        accounts: Any = get_user_model().objects
        user = accounts.create_user(username, email or "", password)
        # Lock the local client's row so that two sign-ups at once cannot both adopt it.
        local = (
            None
            if settings.SHARED_DATABASE
            else Client.objects.select_for_update().filter(is_local=True, account=None).first()
        )
        if local is not None:
            local.account = user
            if local.display_name == LOCAL_CLIENT_NAME:
                local.display_name = username
            local.save(update_fields=["account", "display_name"])
            return user, local
        return user, Client.objects.create(display_name=username, account=user)


def revoke_api_tokens(user: Any) -> int:
    """Revoke every API token of ``user`` (after a new password); give how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def forget_sign_ins(username: str) -> None:
    """Delete the sign-in history kept under ``username`` (django-axes: attempts, failures and
    the log of sign-ins, each with the address and browser they came from)."""
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
