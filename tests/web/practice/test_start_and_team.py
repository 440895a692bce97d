"""Starting a practice from sign-up, and the owner making colleagues' accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_sign_up_page_offers_a_practitioners_way_in(client: Any) -> None:
    page = client.get(reverse("accounts:signup")).content.decode()

    assert f"{reverse('accounts:signup')}?next={reverse('practice:start')}" in page


def test_a_practitioner_signs_up_names_the_practice_and_owns_it(client: Any) -> None:
    from collagen_coach.web.practice.models import Membership

    start = reverse("practice:start")
    answer = client.post(
        f"{reverse('accounts:signup')}?next={start}",
        {
            "username": "olive",
            "password1": "a long passphrase 1",
            "password2": "a long passphrase 1",
            "next": start,
        },
    )
    assert f'id="onward" href="{start}"' in answer.content.decode()  # after the recovery codes

    named = client.post(start, {"name": "  Skin   Studio "})

    assert named["Location"] == reverse("practice:clients")
    membership = Membership.objects.select_related("practice").get(user__username="olive")
    assert membership.is_owner
    assert membership.practice.name == "Skin Studio"


def test_sign_up_goes_nowhere_outside_the_site(client: Any) -> None:
    answer = client.post(
        reverse("accounts:signup"),
        {
            "username": "ann",
            "password1": "a long passphrase 1",
            "password2": "a long passphrase 1",
            "next": "https://evil.example/",
        },
    )

    assert f'id="onward" href="{reverse("home")}"' in answer.content.decode()


def test_a_practice_needs_a_name(browser_of: Callable[..., Any]) -> None:
    from collagen_coach.web.practice.models import Practice

    web, _ = browser_of("olive")

    answer = web.post(reverse("practice:start"), {"name": "   "})

    assert answer.status_code == 400
    assert answer.context["form"].errors["name"] == ["Type your practice's name, e.g. Skin Studio."]
    assert not Practice.objects.exists()


def test_a_practices_client_cannot_start_a_practice_with_the_same_account(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import Practice

    answer = browser(studio["cora"].account).post(reverse("practice:start"), {"name": "Mine"})

    assert answer.status_code == 409
    assert "cannot also run a practice" in answer.content.decode()
    assert Practice.objects.count() == 2


def test_the_owner_makes_a_colleagues_account_and_sees_its_password_once(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import Membership

    web = browser(studio["olive"])

    answer = web.post(reverse("practice:team"), {"username": "quinn"})

    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    password = answer.context["made"]["password"]
    assert password in answer.content.decode()
    quinn = authenticate(answer.wsgi_request, username="quinn", password=password)
    assert quinn is not None
    membership = Membership.objects.get(user=quinn)
    assert membership.practice == studio["practice"]
    assert not membership.is_owner
    assert password not in web.get(reverse("practice:team")).content.decode()
    signed_in = browser(quinn).get(reverse("practice:clients"))
    assert {row.client.display_name for row in signed_in.context["rows"]} == {"Cora", "Dan"}


def test_a_taken_username_is_refused_and_nothing_is_made(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    users = get_user_model()._default_manager.count()

    answer = browser(studio["olive"]).post(reverse("practice:team"), {"username": "PAT"})

    assert answer.status_code == 400
    assert "The username PAT is taken already" in answer.content.decode()
    assert get_user_model()._default_manager.count() == users


def test_a_client_is_added_with_their_practitioner(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.clients.models import Client

    answer = browser(studio["olive"]).post(
        reverse("practice:add_client"), {"name": "Eve Stone", "practitioner": studio["pat"].pk}
    )

    eve = Client.objects.get(display_name="Eve Stone")
    assert answer["Location"] == reverse("practice:invite", kwargs={"client_id": eve.pk})
    assert (eve.practice, eve.owner, eve.account) == (studio["practice"], studio["pat"], None)


def test_a_practitioner_of_another_practice_cannot_be_named_for_a_client(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.clients.models import Client

    answer = browser(studio["olive"]).post(
        reverse("practice:add_client"), {"name": "Eve", "practitioner": studio["greg"].pk}
    )

    assert answer.status_code == 400
    assert answer.context["form"].errors["practitioner"] == [
        "Choose one of the practice's practitioners."
    ]
    assert not Client.objects.filter(display_name="Eve").exists()
