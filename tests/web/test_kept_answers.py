"""Today's page, the coach's Today and the API's list of sessions are kept for a person
(``web.lib.kept``) until her records or the day change: over weeks of every kind of entry on a
moved clock, the page given is always the page made afresh, a kept page is given without the
queries that make it, its forms take the asker's own CSRF token, a message waiting is shown,
and no one is given another person's page or list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client as Browser
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.web.clients.changes import NOT_RECORDS, client_field
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import PhotoMeasurement, SelfRating
from collagen_coach.web.photos.analysis import _mark_failed
from collagen_coach.web.photos.models import Photo
from collagen_coach.web.plans.services import save_program
from collagen_coach.web.practice.models import ApiToken
from web import builders
from web.browser.live_server import Clock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

START = dt.date.today() - dt.timedelta(days=3)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def clock(tmp_path: Path) -> Iterator[Clock]:
    moved = Clock(tmp_path / "clock.txt")
    moved.set(START)
    with override_settings(CLOCK_FILE=str(moved.path)):
        yield moved


def _page(web: Any, name: str = "home") -> tuple[str, int]:
    """Give the page ``name`` as answered (its CSRF tokens left out) and the queries it took."""
    with CaptureQueriesContext(connection) as captured:
        answer = web.get(reverse(name))
    assert answer.status_code == 200
    return TOKEN.sub("TOKEN", answer.content.decode()), len(captured)


def _same_as_made_afresh(web: Any, name: str = "home") -> str:
    """Look at the page twice, then once more with nothing kept: the three pages are one, and
    the second is given from the cache (a few queries: session, user, practice membership,
    client)."""
    first, _ = _page(web, name)
    again, queries = _page(web, name)
    caches["kept"].clear()
    fresh, made_with = _page(web, name)
    assert first == again == fresh, name
    assert queries <= 4 < made_with, name
    return fresh


def test_todays_page_is_the_page_made_afresh_after_every_kind_of_entry_over_weeks(
    clock: Clock, browser_of: Callable[..., Any]
) -> None:
    web, ann = browser_of("ann")
    days = [START + dt.timedelta(days=n) for n in range(15)]
    answers = Intake(age=61, as_of=START)
    save_intake(ann, answers, screen(answers, today=START))
    plan = save_program(ann, builders.program(start=START, dates=days[::2]))
    seen: list[str] = []
    coach_seen: list[str] = []

    def look() -> None:
        seen.append(_same_as_made_afresh(web))
        coach_seen.append(_same_as_made_afresh(web, "guide:today"))

    for n, today in enumerate(days):
        clock.set(today)
        look()  # a new day, no entry yet
        assert today.strftime("%A %-d %B") in seen[-1]
        if plan.get_program().session_on(today) is not None and n != 4:
            log = journal.start_session_log(ann, today, plan)
            look()  # started: partly done
            if n == 8:
                journal.abandon_session_log(log, pain=True)
            else:
                journal.finish_session_log(log, pain=False, redness=False)
            look()
        if n in (1, 5):
            journal.rate(ann, today, firmness=5, elasticity=5, fine_lines=4, glow=6, sagging=3)
            look()
        if n == 5:
            journal.delete_entry(SelfRating.objects.get(client=ann, date=today))
            look()
        if n == 3:
            journal.log_peptides(ann, today, Decimal("10"))
            builders.stored_reading(ann, today, 0.62)
            look()
        if n == 6:
            photo = Photo.objects.create(
                client=ann, taken_on=today, original_name="face.jpg", image="face.jpg"
            )
            look()  # being checked
            _mark_failed(photo, "too blurred")  # what the worker writes, without a save
            look()  # did not pass
            PhotoMeasurement.objects.create(
                client=ann, date=today, file_name="again.jpg", ok=True, algorithm="test@1"
            )
            look()  # measured
        if n == 7:
            filler = Procedure(kind="dermal_filler", zones=["cheeks"], date=today)
            answers = Intake(age=61, procedures=[filler], as_of=today)
            save_intake(ann, answers, screen(answers, today=today))
            look()  # a newer safety check than the plan: re-plan offered
        if n == 9:
            plan = save_program(ann, builders.program(start=today, dates=days[n:]))
            look()
        if n == 11:
            ann.display_name = "Ann Marie"
            ann.save()
            look()
    assert "Hello Ann Marie." in seen[-1]
    assert any("Today's rating is saved." in page for page in seen)
    assert any("did not pass the quality check" in page for page in seen)
    assert any("Re-plan with my new answers" in page for page in seen)
    assert len(set(seen)) > len(days)  # the page changed within days, not only between them
    assert len(set(coach_seen)) > len(days)
    assert any("A session was not finished" in page for page in coach_seen)
    assert "A session was not finished" not in coach_seen[-1]


def test_a_kept_pages_forms_take_the_askers_own_csrf_token(browser_of: Callable[..., Any]) -> None:
    _, ann = browser_of("ann")
    web = Browser(enforce_csrf_checks=True)
    web.force_login(ann.account)
    web.get(reverse("home"))  # made and kept
    kept = web.get(reverse("home")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept)
    assert token is not None
    assert "kept0csrf0token0mark" not in kept
    signed_out = web.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token.group(1)})
    assert signed_out.status_code == 302  # the token of a kept page is good: signed out
    assert web.get(reverse("home")).status_code == 302  # to the sign-in page


def test_a_message_waiting_is_shown_on_today_and_then_not_again(
    browser_of: Callable[..., Any],
) -> None:
    web, _ann = browser_of("ann")
    web.get(reverse("home"))  # kept without a message
    scores = {"firmness": 5, "elasticity": 5, "fine_lines": 4, "glow": 6, "sagging": 3}
    saved = web.post(reverse("journal:rating"), {"date": dt.date.today(), **scores})
    assert saved.status_code == 302  # saved, with a message to show on the next page
    with_message = web.get(reverse("home")).content.decode()
    after = web.get(reverse("home")).content.decode()
    assert "Saved your rating for" in with_message
    assert "Saved your rating for" not in after
    assert "Today's rating is saved." in after


def test_no_one_is_given_another_persons_page_or_list(browser_of: Callable[..., Any]) -> None:
    ann_web, ann = browser_of("ann")
    bea_web, bea = browser_of("bea")
    for person in (ann, bea):
        answers = Intake(age=61, as_of=START)
        save_intake(person, answers, screen(answers, today=START))
    ann_page = ann_web.get(reverse("home")).content.decode()
    bea_page = bea_web.get(reverse("home")).content.decode()
    assert "Hello Ann." in ann_page
    assert "Hello Bea." in bea_page
    assert "Hello Ann." not in bea_web.get(reverse("home")).content.decode()
    ann_list = reverse("api:client_sessions", args=[ann.pk])
    assert ann_web.get(ann_list).status_code == 200  # kept for Ann's records
    token, digest = ApiToken.new_token()
    ApiToken.objects.create(user=bea.account, name="phone", token_sha256=digest)
    assert Browser().get(ann_list, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert bea_web.get(ann_list).status_code == 404


def test_the_api_list_is_kept_until_a_session_is_logged(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    answers = Intake(age=61, as_of=START)
    save_intake(ann, answers, screen(answers, today=START))
    plan = save_program(ann, builders.program(start=START, dates=[START]))
    address = reverse("api:client_sessions", args=[ann.pk])

    def listed(query: str = "") -> tuple[Any, int]:
        with CaptureQueriesContext(connection) as captured:
            answer = web.get(address + query)
        assert answer.status_code == 200
        return answer.json(), len(captured)

    made, made_with = listed()
    kept, kept_with = listed()
    assert made == kept == {"items": [], "count": 0}
    assert kept_with < made_with
    journal.finish_session_log(journal.start_session_log(ann, START, plan), None, None)
    after, _ = listed()
    assert after["count"] == 1
    assert after["items"][0]["date"] == START.isoformat()
    assert listed("?limit=1&offset=1")[0] == {"items": [], "count": 1}  # each page its own


def test_every_record_of_a_client_renews_her_stamp_and_nothing_else_does() -> None:
    from django.apps import apps

    watched = {model._meta.label for model in apps.get_models() if client_field(model)}
    with_client = {
        model._meta.label
        for model in apps.get_models()
        if any(f.many_to_one and f.related_model is Client for f in model._meta.concrete_fields)
    }
    assert watched == (with_client - NOT_RECORDS) | {"plans.PlannedSession"}
    assert {"journal.SessionLog", "photos.Photo", "clients.IntakeRecord"} <= watched


def test_saving_or_deleting_a_record_renews_her_stamp(browser_of: Callable[..., Any]) -> None:
    _, ann = browser_of("ann")
    stamps = [Client.objects.get(pk=ann.pk).changed]

    def renewed() -> None:
        stamps.append(Client.objects.get(pk=ann.pk).changed)
        assert stamps[-1] != stamps[-2]

    plan = save_program(ann, builders.program(start=START, dates=[START]))
    renewed()
    plan.sessions.first().delete()  # a planned session, through its plan
    renewed()
    rating = journal.rate(ann, START, firmness=5, elasticity=5, fine_lines=4, glow=6, sagging=3)
    renewed()
    rating.delete()
    renewed()
