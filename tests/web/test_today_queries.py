"""The Today page, the coach's Today, the session player and the API's list of sessions ask the
database the same few questions whatever the length of a person's history, when they are made
(Today and the API's list are then kept until her records change: ``test_kept_answers``)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.journal.models import SelfRating, SessionLog, SessionStatus
from collagen_coach.web.lib.dates import today
from collagen_coach.web.plans.services import save_program
from collagen_coach.web.practice.models import ApiToken
from web.history import daily_program, photo_measurement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# The most each page may ask, signed in by the session (two of them: the session and the user).
# Home and Today read the safety checks once more, for the planned days they paused.
MAX_QUERIES = {"home": 10, "guide:today": 14, "guide:play": 13, "api": 5}


def weeks_of_history(person: Client, weeks: int) -> None:
    """Give ``person`` a safety check, a daily plan that began ``weeks`` weeks ago (and goes on
    four more), most past sessions done (one a week stopped), a rating most days and a photo
    measurement a week."""
    rng = random.Random(weeks)
    day = today()
    start = day - dt.timedelta(days=7 * weeks)
    intake = Intake(age=58, as_of=start)
    save_intake(person, intake, screen(intake, today=start))
    stored = save_program(person, daily_program(start, 7 * weeks + 28))
    past = [start + dt.timedelta(days=n) for n in range(7 * weeks)]
    SessionLog.objects.bulk_create(
        SessionLog(
            client=person,
            planned_date=d,
            program=stored,
            started_at=dt.datetime.combine(d, dt.time(7), tzinfo=dt.UTC),
            finished_at=dt.datetime.combine(d, dt.time(7, 5), tzinfo=dt.UTC),
            status=SessionStatus.ABANDONED if d.weekday() == 2 else SessionStatus.COMPLETED,
            steps=[],
        )
        for d in past
        if d.weekday() != 6
    )
    SelfRating.objects.bulk_create(
        SelfRating(client=person, date=d, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5)
        for d in past
        if d.weekday() != 5
    )
    for d in past[::7]:
        photo_measurement(person, d, rng).save()


def queries_of(web: Any, address: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = web.get(address, **headers)
    assert answer.status_code == 200, address
    return len(captured)


@pytest.mark.parametrize("page", ["home", "guide:today", "guide:play"])
def test_a_page_of_today_asks_the_same_few_queries_for_any_history(
    browser_of: Callable[..., Any], page: str
) -> None:
    short_web, short = browser_of("ann")
    long_web, long = browser_of("bea")
    weeks_of_history(short, 1)
    weeks_of_history(long, 40)
    queries = [queries_of(web, reverse(page)) for web in (short_web, long_web)]
    assert queries[0] == queries[1]
    assert queries[1] <= MAX_QUERIES[page]


def test_the_api_list_of_sessions_asks_the_same_few_queries_for_any_history(
    browser_of: Callable[..., Any],
) -> None:
    counts = []
    for name, weeks in (("ann", 1), ("bea", 40)):
        _, person = browser_of(name)
        weeks_of_history(person, weeks)
        web = Browser()  # signed in by the token alone
        token, digest = ApiToken.new_token()
        ApiToken.objects.create(user=person.account, name="phone", token_sha256=digest)
        address = reverse("api:client_sessions", args=[person.pk])
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        queries_of(web, address, **bearer)  # the token's first use is written once
        caches["kept"].clear()  # the list made again, not given as kept
        counts.append(queries_of(web, address, **bearer))
    assert counts[0] == counts[1]
    assert counts[1] <= MAX_QUERIES["api"]
