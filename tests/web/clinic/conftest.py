"""A practice with an owner, a practitioner and a client who can sign in; browsers for each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as Browser

TODAY = dt.date.today()


@dataclass
class Practice:
    """The practice under test and who is in it."""

    practice: Any
    owner: Any
    practitioner: Any
    client: Any  # the practice's client (clients.Client), who has an account "cora"

    def browser(self, user: Any) -> Browser:
        web = Browser()
        web.force_login(user)
        return web


@pytest.fixture
def studio(
    make_practice: Callable[..., Any],
    make_practitioner: Callable[..., Any],
    make_practice_client: Callable[..., Any],
) -> Practice:
    practice, owner = make_practice("Skin Studio", owner="olive")
    pat = make_practitioner(practice, "pat")
    cora = make_practice_client(practice, "Cora", practitioner=pat, account="cora")
    return Practice(practice, owner, pat, cora)
