"""Every way to a progress photo offers the camera coach ("Take my photo") first and the upload
form second: Today on baseline days and after them, the plan's baseline week, the photos list,
the capture guidance, the upload page, one photo's page and compare with too few photos."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Decision, Intake, screen
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.photos import services
from collagen_coach.web.plans.services import save_program

from .conftest import face_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()
GO = Decision(
    decision="go", reasons=[], avoid_zones=[], exclude_techniques=[], max_pressure=5, resume_on=None
)


def plan_from(person: Any, start: dt.date, *, baseline_week: bool) -> None:
    intake = Intake(age=61, as_of=TODAY)
    save_intake(person, intake, screen(intake, today=TODAY))
    profile = Profile(age=61, start_date=start, days_per_week=5, baseline_week=baseline_week)
    save_program(person, build_plan(profile, GO))


def take_comes_first(page: str) -> bool:
    """Whether the page links to the camera coach and to the upload form, the coach first."""
    take, upload = page.find(reverse("photos:take")), page.find(reverse("photos:upload"))
    return 0 <= take < upload


@pytest.mark.parametrize(
    ("route", "start_days_ago", "baseline_week"),
    [
        ("guide:today", 0, True),
        ("home", 0, True),
        ("guide:today", 1, True),
        ("home", 0, False),
        ("plans:plan", 0, True),
    ],
    ids=[
        "today-baseline-day",
        "home-baseline-day",
        "today-between-baseline-days",
        "home-after-the-baseline",
        "plan-baseline-week",
    ],
)
def test_a_day_to_take_a_photo_offers_the_coach_before_the_upload(
    browser_of: Any, route: str, start_days_ago: int, baseline_week: bool
) -> None:
    web, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=start_days_ago), baseline_week=baseline_week)
    assert take_comes_first(web.get(reverse(route)).content.decode())


@pytest.mark.parametrize("route", ["photos:index", "photos:guidance", "photos:compare"])
def test_the_photo_pages_offer_the_coach_before_the_upload(browser_of: Any, route: str) -> None:
    web, _person = browser_of("ann")
    assert take_comes_first(web.get(reverse(route)).content.decode())


def test_the_upload_page_offers_the_coach_above_its_form(browser_of: Any) -> None:
    web, _person = browser_of("ann")
    page = web.get(reverse("photos:upload")).content.decode()
    assert 0 <= page.find(reverse("photos:take")) < page.find("data-photo-upload")


def test_a_photos_page_offers_the_coach_for_the_next_photo(browser_of: Any) -> None:
    web, person = browser_of("ann")
    photo = services.store_photo(person, face_photo("JPEG"), "face.jpg", TODAY)
    assert take_comes_first(web.get(reverse("photos:detail", args=[photo.pk])).content.decode())


def test_the_guidance_tells_of_the_coach(browser_of: Any) -> None:
    web, _person = browser_of("ann")
    page = web.get(reverse("photos:guidance")).content.decode()
    assert "let the camera coach you" in page
    assert "Take your baseline photos before your first session" in page
