"""Whose records the command line works for: the embedded app's own, or a named account's.

On a shared database (DATABASE_URL) records made in the terminal for nobody in particular would
be taken over by the next person to sign up, so there the account must be named and exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import local_client, terminal_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize("shared", [True, False], ids=["shared-database", "embedded"])
def test_a_named_account_gets_its_own_records(
    settings: Any, make_person: Callable[..., tuple[Any, Client]], shared: bool
) -> None:
    settings.SHARED_DATABASE = shared
    _, maria = make_person("maria")
    assert terminal_client("maria").pk == maria.pk
    assert not Client.objects.filter(is_local=True).exists()


def test_unnamed_on_the_embedded_store_the_local_client_is_used(settings: Any) -> None:
    settings.SHARED_DATABASE = False
    assert terminal_client(None).pk == local_client().pk


@pytest.mark.parametrize(
    ("username", "problem"),
    [
        pytest.param(None, "--user: is needed", id="unnamed"),
        pytest.param("ghost", "--user: 'ghost' is not an account here", id="unknown"),
        pytest.param("pat", "--user: 'pat' has no records of their own", id="no-records"),
    ],
)
def test_on_a_shared_database_the_account_must_be_named_and_known(
    settings: Any, username: str | None, problem: str
) -> None:
    settings.SHARED_DATABASE = True
    get_user_model().objects.create_user("pat", "", "a long passphrase 1")
    with pytest.raises(UserError) as refused:
        terminal_client(username)
    assert refused.value.message.startswith(problem)
    assert not Client.objects.exists()
