"""Signing in to the API: a personal token or the web app's session; anything else is 401."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from collagen_coach.web.practice.models import ApiToken

from .conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_signed_out_the_api_answers_401_in_json(client: WebClient, world: World) -> None:
    answer = client.get(f"/api/clients/{world.ann.pk}")

    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert "API token" in answer.json()["detail"]
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_signed_out_a_change_answers_401_not_a_csrf_refusal(
    client: WebClient, world: World
) -> None:
    answer = client.post(
        f"/api/clients/{world.ann.pk}/ratings", data={}, content_type="application/json"
    )

    assert answer.status_code == 401


def test_a_token_signs_its_owner_in(api_as: Callable[..., WebClient], world: World) -> None:
    answer = api_as(world.ann_user).get("/api/me")

    assert answer.status_code == 200
    assert answer.json() == {"username": "ann", "client_id": world.ann.pk, "membership": None}


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Bearer cc_not-a-token-anyone-was-given", id="unknown"),
        pytest.param("Bearer ", id="empty"),
    ],
)
def test_an_unknown_token_answers_401(world: World, header: str) -> None:
    answer = WebClient(headers={"Authorization": header}).get("/api/me")

    assert answer.status_code == 401
    assert answer.json()["detail"] == "This API token is not known: revoked or mistyped."


def test_a_revoked_token_answers_401(token_for: Callable[..., str], world: World) -> None:
    token = token_for(world.ann_user)
    caller = WebClient(headers={"Authorization": f"Bearer {token}"})
    assert caller.get("/api/me").status_code == 200

    ApiToken.objects.filter(user=world.ann_user).delete()

    assert caller.get("/api/me").status_code == 401


def test_a_wrong_token_is_refused_even_beside_a_signed_in_session(
    client: WebClient, world: World
) -> None:
    client.force_login(world.ann_user)

    answer = client.get("/api/me", headers={"Authorization": "Bearer cc_wrong"})

    assert answer.status_code == 401


def test_the_token_of_a_deactivated_account_answers_401(
    token_for: Callable[..., str], world: World
) -> None:
    token = token_for(world.ann_user)
    world.ann_user.is_active = False
    world.ann_user.save()

    answer = WebClient(headers={"Authorization": f"Bearer {token}"}).get("/api/me")

    assert answer.status_code == 401


def test_a_tokens_last_use_is_written_at_most_once_a_minute(
    token_for: Callable[..., str], world: World
) -> None:
    caller = WebClient(headers={"Authorization": f"Bearer {token_for(world.ann_user)}"})
    caller.get("/api/me")
    first = ApiToken.objects.get(user=world.ann_user).last_used_at
    assert first is not None
    assert timezone.now() - first < dt.timedelta(seconds=10)

    caller.get("/api/me")
    assert ApiToken.objects.get(user=world.ann_user).last_used_at == first

    a_while_ago = first - dt.timedelta(minutes=2)
    ApiToken.objects.filter(user=world.ann_user).update(last_used_at=a_while_ago)
    caller.get("/api/me")
    assert ApiToken.objects.get(user=world.ann_user).last_used_at > a_while_ago


def test_the_web_apps_session_signs_in_too(client: WebClient, world: World) -> None:
    client.force_login(world.ann_user)

    assert client.get("/api/me").json()["username"] == "ann"


def test_with_the_session_a_change_needs_the_csrf_token(world: World) -> None:
    browser = WebClient(enforce_csrf_checks=True)
    browser.force_login(world.ann_user)
    url = f"/api/clients/{world.ann.pk}/ratings"
    rating = {"date": "2025-03-03", "firmness": 5, "elasticity": 5, "fine_lines": 5}
    rating |= {"glow": 5, "sagging": 5}

    refused = browser.post(url, data=rating, content_type="application/json")
    browser.get("/accounts/tokens/")  # any page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        url, data=rating, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201


def test_a_token_needs_no_csrf_token(token_for: Callable[..., str], world: World) -> None:
    caller = WebClient(
        enforce_csrf_checks=True,
        headers={"Authorization": f"Bearer {token_for(world.ann_user)}"},
    )
    rating = {"date": "2025-03-03", "firmness": 5, "elasticity": 5, "fine_lines": 5}
    rating |= {"glow": 5, "sagging": 5}

    answer = caller.post(
        f"/api/clients/{world.ann.pk}/ratings", data=rating, content_type="application/json"
    )

    assert answer.status_code == 201


def test_the_schema_is_public_and_names_both_ways_to_sign_in(client: WebClient) -> None:
    answer = client.get("/api/openapi.json")

    schemes = answer.json()["components"]["securitySchemes"]
    assert answer.status_code == 200
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
