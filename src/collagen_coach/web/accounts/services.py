"""Account operations: signing a person up and giving them their own records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import LOCAL_CLIENT_NAME


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
