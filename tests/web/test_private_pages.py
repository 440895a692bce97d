"""Pages and API answers with health data are never kept in a cache; static files may be."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.lib.dates import today
from collagen_coach.web.practice.models import ApiToken
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PAGES = [
    "home",
    "clients:intake",
    "clients:latest",
    "plans:plan",
    "journal:index",
    "photos:index",
    "progress:dashboard",
    "my_data:index",
]


@pytest.fixture
def signed_in(browser_of: Callable[..., Any]) -> WebClient:
    web, person = browser_of("ann")
    intake = Intake(age=58, as_of=today())
    save_intake(person, intake, screen(intake, today=today()))
    make_history(person, today=today(), days=14, photos=1)
    return web


@pytest.mark.parametrize("page", PAGES)
def test_a_page_with_health_data_says_no_store(signed_in: WebClient, page: str) -> None:
    answer = signed_in.get(reverse(page), follow=True)  # the safety check: its decision page
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]


def test_the_report_says_no_store(signed_in: WebClient) -> None:
    answer = signed_in.get(reverse("progress:report"), {"format": "html"})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]


def test_an_api_answer_to_a_token_says_no_store(make_person: Callable[..., Any]) -> None:
    user, _ = make_person("ann")
    token, digest = ApiToken.new_token()
    ApiToken.objects.create(user=user, name="spreadsheet", token_sha256=digest)
    answer = WebClient(headers={"Authorization": f"Bearer {token}"}).get("/api/clients")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]


def test_static_files_stay_cacheable(signed_in: WebClient) -> None:
    answer = signed_in.get("/static/favicon.svg")
    assert answer.status_code == 200
    assert "no-store" not in answer.get("Cache-Control", "")
