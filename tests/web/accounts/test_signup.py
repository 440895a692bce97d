"""Signing up: an account, its own client (or the terminal's), Django's password rules, Argon2."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.accounts.services import sign_up
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import latest_intake, local_client, save_intake

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PASSWORD = "quiet morning garden 7"


def signup_form(username: str = "maria", **changes: str) -> dict[str, str]:
    return {
        "username": username,
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def test_sign_up_creates_the_account_and_its_own_client_and_signs_in() -> None:
    browser = Browser()
    response = browser.post(reverse("accounts:signup"), signup_form())
    # First the recovery codes, shown once; then on to today.
    assert response.status_code == 200
    assert f'id="onward" href="{reverse("home")}"' in response.content.decode()
    user = get_user_model().objects.get(username="maria")
    assert Client.objects.get(account=user).display_name == "maria"
    assert "Hello maria" in browser.get(reverse("home")).content.decode()


def test_the_email_is_optional_but_kept_when_given() -> None:
    Browser().post(reverse("accounts:signup"), signup_form(email="maria@example.org"))
    assert get_user_model().objects.get(username="maria").email == "maria@example.org"


def test_passwords_are_hashed_with_argon2() -> None:
    user, _ = sign_up("maria", PASSWORD)
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_the_first_sign_up_adopts_the_local_client_used_by_the_command_line(settings) -> None:
    settings.SHARED_DATABASE = False  # the single-person store of one's own computer
    local = local_client()
    intake = Intake(age=58, as_of=None)
    save_intake(local, intake, screen(intake))
    user, client = sign_up("maria", PASSWORD)
    assert client.pk == local.pk
    assert Client.objects.get(account=user).pk == local.pk
    assert latest_intake(client) is not None


def test_on_a_shared_database_no_sign_up_adopts_the_records_made_in_the_terminal(
    settings,
) -> None:
    settings.SHARED_DATABASE = True
    local = local_client()
    intake = Intake(age=58, as_of=None)
    save_intake(local, intake, screen(intake))
    _, client = sign_up("maria", PASSWORD)
    assert client.pk != local.pk
    assert latest_intake(client) is None
    assert Client.objects.get(pk=local.pk).account is None


def test_a_later_sign_up_gets_a_client_of_its_own(settings) -> None:
    settings.SHARED_DATABASE = False
    local = local_client()
    sign_up("maria", PASSWORD)
    _, client = sign_up("jon", PASSWORD)
    assert client.pk != local.pk
    assert Client.objects.get(pk=local.pk).account.username == "maria"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something else entirely"}, "password2", "didn’t match"),
        ({"password1": "short 1", "password2": "short 1"}, "password2", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password2", "too common"),
        ({"username": ""}, "username", "required"),
        ({"username": "two words"}, "username", "valid username"),
        ({"email": "not-an-email"}, "email", "valid email"),
    ],
    ids=[
        "passwords-differ",
        "too-short",
        "too-common",
        "no-username",
        "space-in-name",
        "bad-email",
    ],
)
def test_bad_sign_up_answers_name_the_field_and_make_no_account(
    changes: dict[str, str], field: str, message: str
) -> None:
    response = Browser().post(reverse("accounts:signup"), signup_form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not get_user_model().objects.exists()
    assert not Client.objects.exists()


def test_a_taken_username_is_refused(make_person) -> None:
    make_person("maria")
    response = Browser().post(reverse("accounts:signup"), signup_form("Maria"))
    assert "already exists" in " ".join(response.context["form"].errors["username"])
    assert get_user_model().objects.count() == 1


def test_a_signed_in_person_visiting_sign_up_goes_to_today(browser_of) -> None:
    browser, _ = browser_of("ann")
    response = browser.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    "wanted",
    ["foo", "https://elsewhere.example/", "//elsewhere.example/", "accounts:logout"],
    ids=["a bare word", "another site", "another site without scheme", "a page name"],
)
def test_sign_up_goes_on_only_to_a_path_of_this_site(wanted: str) -> None:
    response = Browser().post(
        reverse("accounts:signup") + f"?next={wanted}", {**signup_form(), "next": wanted}
    )
    assert f'id="onward" href="{reverse("home")}"' in response.content.decode()


def test_sign_up_goes_on_to_the_page_it_was_asked_for() -> None:
    response = Browser().post(reverse("accounts:signup"), {**signup_form(), "next": "/plan/"})
    assert 'id="onward" href="/plan/"' in response.content.decode()
