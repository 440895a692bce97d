"""The stored progress analysis equals a fresh analysis of the same data, after every kind of
change, and a change that was never followed (a crash, a bulk write) is never shown stale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from web.history import daily_program, make_history

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = dt.date(2026, 11, 30)
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


# The worker's tasks run at once, so a committed change is followed before the test goes on.
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def worker_at_once(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def person(self_carer: Any) -> Any:
    make_history(self_carer, today=TODAY, days=70, photos=8)
    return self_carer


def assert_stored_is_fresh(client: Any, today: dt.date = TODAY) -> None:
    from collagen_coach.web.progress.services import journal_progress, stored_journal_progress

    stored = stored_journal_progress(client, today)
    fresh = journal_progress(client, today)
    assert stored.result.as_json() == fresh.result.as_json()
    assert stored.result == fresh.result
    for mine, theirs in (
        (stored.result.series, fresh.result.series),
        (stored.result.split_face, fresh.result.split_face),
    ):
        assert [s.observations for s in mine] == [s.observations for s in theirs]
    assert (stored.period, stored.treated_side) == (fresh.period, fresh.treated_side)
    assert stored.adherence == fresh.adherence


def assert_page_is_fresh(client: Any) -> None:
    """The stored dashboard page is the one made now from a fresh analysis, under the key of
    today's journal."""
    from collagen_coach.web.lib.dates import today
    from collagen_coach.web.progress.models import ProgressPage, ProgressPart
    from collagen_coach.web.progress.services import journal_stamp, make_dashboard
    from collagen_coach.web.progress.stored_page import dashboard_body, page_key

    day = today()  # the day a followed change makes the page for
    row = ProgressPage.objects.get(client=client)
    assert row.made_for == page_key(client.pk, day, journal_stamp(client))
    ProgressPart.objects.filter(client=client).delete()  # analysed afresh from the journal
    assert row.body == dashboard_body(make_dashboard(client, day))


def stored_parts(client: Any) -> set[str]:
    from collagen_coach.web.progress.models import ProgressPart

    return set(ProgressPart.objects.filter(client=client).values_list("part", flat=True))


def test_the_stored_analysis_is_the_fresh_one_and_is_kept(person: Any) -> None:
    assert_stored_is_fresh(person)
    assert stored_parts(person) == {"ratings", "readings", "photos"}
    assert_stored_is_fresh(person)  # read back from the store this time


def test_a_rating_added_corrected_and_deleted_is_followed(
    person: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from collagen_coach.web.journal import services as journal
    from collagen_coach.web.journal.models import SelfRating

    assert_stored_is_fresh(person)
    with django_capture_on_commit_callbacks(execute=True):
        rating = journal.rate(person, TODAY, **SCORES)
    assert "ratings" in stored_parts(person)  # worked out again once committed
    assert_page_is_fresh(person)
    assert_stored_is_fresh(person)
    with django_capture_on_commit_callbacks(execute=True):
        journal.correct_rating(rating, {**SCORES, "glow": 1})
    assert_page_is_fresh(person)
    assert_stored_is_fresh(person)
    with django_capture_on_commit_callbacks(execute=True):
        journal.delete_entry(SelfRating.objects.filter(client=person).order_by("date").first())
    assert_page_is_fresh(person)
    assert_stored_is_fresh(person)


def test_a_reading_added_corrected_and_deleted_is_followed(
    person: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from collagen_coach.web.journal import services as journal
    from collagen_coach.web.journal.models import InstrumentReading

    assert_stored_is_fresh(person)
    with django_capture_on_commit_callbacks(execute=True):
        readings = [
            InstrumentReading.objects.create(
                client=person, date=TODAY - dt.timedelta(days=d), instrument="cutometer",
                parameter="R2", zone="cheeks", side="left", value=0.6 + d / 1000, source="a.csv",
            )
            for d in range(0, 70, 5)
        ]  # fmt: skip
    assert_stored_is_fresh(person)
    with django_capture_on_commit_callbacks(execute=True):
        journal.correct_reading(readings[3], readings[3].date - dt.timedelta(days=1), 0.71)
    assert_page_is_fresh(person)
    assert_stored_is_fresh(person)
    with django_capture_on_commit_callbacks(execute=True):
        journal.delete_entry(readings[0])
    assert_page_is_fresh(person)
    assert_stored_is_fresh(person)


def test_a_photo_measurement_added_and_deleted_is_followed(person: Any) -> None:
    from collagen_coach.web.journal.models import PhotoMeasurement

    assert_stored_is_fresh(person)
    newest = PhotoMeasurement.objects.filter(client=person).order_by("-date").first()
    newest.pk = None
    newest.date = TODAY
    newest.save()  # the worker has not followed it yet: its part is gone, not stale
    assert "photos" not in stored_parts(person)
    assert_stored_is_fresh(person)
    from collagen_coach.web.photos.models import Photo
    from collagen_coach.web.photos.signals import photo_measured

    # What the worker does after a photo: the part worked out again, and the page.
    photo_measured.send(sender=Photo, photo=Photo(client=person))
    assert_page_is_fresh(person)
    assert_stored_is_fresh(person)
    PhotoMeasurement.objects.filter(client=person).order_by("date").first().delete()
    assert_stored_is_fresh(person)


def test_a_change_never_followed_is_not_shown_stale(person: Any) -> None:
    """A bulk write (no signal) or a process killed before it worked the part out again."""
    from collagen_coach.web.journal.models import SelfRating

    assert_stored_is_fresh(person)
    from django.utils import timezone

    # No signal; like every change of a rating it records when (the fingerprint reads that).
    SelfRating.objects.filter(client=person).update(glow=0, updated_at=timezone.now())
    assert_stored_is_fresh(person)
    SelfRating.objects.bulk_create(
        [SelfRating(client=person, date=TODAY, **SCORES)]
    )  # no signal either
    assert_stored_is_fresh(person)


def test_a_changed_plan_moves_the_phases_and_the_split_face_side(person: Any) -> None:
    from collagen_coach.web.plans.services import save_program

    assert_stored_is_fresh(person)
    later = daily_program(TODAY - dt.timedelta(days=50), 50)
    save_program(person, later)  # the baseline now runs three weeks longer
    assert_stored_is_fresh(person)
    sided = later.model_copy(
        update={"profile": later.profile.model_copy(update={"treated_side": "left"})}
    )
    save_program(person, sided)
    assert_stored_is_fresh(person)


def test_the_journal_stamp_is_the_client_lists(person: Any) -> None:
    """The visit's stamp (its query made once) is the one a client list's annotations make, and
    changes with a corrected reading, which keeps its id."""
    from collagen_coach.web.clients.models import Client
    from collagen_coach.web.journal import services as journal
    from collagen_coach.web.journal.models import InstrumentReading
    from collagen_coach.web.progress.services import journal_stamp, journal_stamp_fields, stamp_of

    def listed() -> str:
        return stamp_of(
            Client.objects.annotate(**journal_stamp_fields()).get(pk=person.pk).__dict__
        )

    before = journal_stamp(person)
    assert before == listed()
    reading = InstrumentReading.objects.create(
        client=person, date=TODAY, instrument="cutometer", parameter="R2", zone="cheeks",
        side="left", value=0.6, source="a.csv",
    )  # fmt: skip
    added = journal_stamp(person)
    journal.correct_reading(reading, TODAY, 0.7)
    assert len({before, added, journal_stamp(person)}) == 3
    assert journal_stamp(person) == listed()


def test_the_day_changing_is_followed(person: Any) -> None:
    assert_stored_is_fresh(person)
    assert_stored_is_fresh(person, TODAY + dt.timedelta(days=3))  # the same days count
    assert_stored_is_fresh(person, TODAY - dt.timedelta(days=20))  # later days left out
    assert_stored_is_fresh(person, TODAY)


def test_the_worker_makes_the_new_days_pages(person: Any, settings: Any, tmp_path: Any) -> None:
    """A new day makes yesterday's stored pages unusable; the worker's sweep makes today's, so
    the first visit of the day reads a stored page too."""
    from collagen_coach.web.photos.signals import worker_swept
    from collagen_coach.web.progress.models import ProgressPage
    from collagen_coach.web.progress.stored_page import follow_change

    clock = tmp_path / "clock"
    settings.CLOCK_FILE = str(clock)  # read by web.lib.dates
    clock.write_text(TODAY.isoformat())
    follow_change(person, TODAY, [])
    assert ProgressPage.objects.get(client=person).made_for.count(f":{TODAY.isoformat()}:") == 1
    clock.write_text((TODAY + dt.timedelta(days=1)).isoformat())
    worker_swept.send(sender=None)
    assert_page_is_fresh(person)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert f":{tomorrow}:" in ProgressPage.objects.get(client=person).made_for


# Session, user, client, the journal's stamp, the stored page; the menu's practice membership
# and client.
STORED_PAGE_QUERIES = 7


def test_saving_a_rating_leaves_the_work_to_the_worker(
    person: Any, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from collagen_coach.web.journal import services as journal
    from collagen_coach.web.progress.stored_page import follow_change_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        journal.rate(person, TODAY, **SCORES)
    assert "ratings" not in stored_parts(person)
    queued = DBTaskResult.objects.get(task_path=follow_change_task.module_path)
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["args"] == [person.pk, ["ratings"]]


def test_the_page_shows_only_what_its_key_is_for(
    browser_of: Callable[..., Any], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """A page stored for other data (a bulk write, a process killed before it stored the new
    one, another day) is made again in the visit, never shown; the stored one is read with a
    few queries."""
    from django.urls import reverse

    from collagen_coach.web.journal.models import SelfRating
    from collagen_coach.web.lib.dates import today
    from collagen_coach.web.progress.models import ProgressPage
    from collagen_coach.web.progress.services import make_dashboard
    from collagen_coach.web.progress.stored_page import dashboard_body

    web, person = browser_of("ann")
    make_history(person, today=TODAY, days=70, photos=8)
    assert web.get(reverse("progress:dashboard")).status_code == 200
    stored = ProgressPage.objects.get(client=person)
    with django_assert_max_num_queries(STORED_PAGE_QUERIES):
        again = web.get(reverse("progress:dashboard"))
    assert stored.body in again.text
    SelfRating.objects.bulk_create([SelfRating(client=person, date=TODAY, **SCORES)])  # no signal
    answer = web.get(reverse("progress:dashboard"))
    assert answer.status_code == 200
    assert ProgressPage.objects.get(client=person).made_for != stored.made_for
    assert stored.body not in answer.text
    assert dashboard_body(make_dashboard(person, today())) in answer.text
    assert_page_is_fresh(person)


def test_the_stored_page_is_the_page_the_template_makes(browser_of: Callable[..., Any]) -> None:
    """Its own part rendered alone and put into the page gives the page rendered whole (the
    request's nonce and token aside)."""
    import re

    from django.shortcuts import render
    from django.urls import reverse

    from collagen_coach.web.lib.dates import today
    from collagen_coach.web.progress.pages import dashboard_context
    from collagen_coach.web.progress.services import make_dashboard

    web, person = browser_of("ann")
    make_history(person, today=TODAY, days=70, photos=8)
    stored = web.get(reverse("progress:dashboard"))
    board = make_dashboard(person, today())
    whole = render(stored.wsgi_request, "progress/dashboard.html", dashboard_context(board))

    def per_request(page: Any) -> str:
        return re.sub(r'(nonce|value)="[^"]*"', "", page.content.decode())

    assert per_request(stored) == per_request(whole)


def test_a_chosen_series_is_read_as_the_worker_stored_it(
    browser_of: Callable[..., Any], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """After a photo the worker followed, each series' chart data is the dashboard's, read with
    a few queries; one stored for other data is not used."""
    import json

    from django.urls import reverse

    from collagen_coach.web.journal.models import SelfRating
    from collagen_coach.web.lib.dates import today
    from collagen_coach.web.photos.models import Photo
    from collagen_coach.web.photos.signals import photo_measured
    from collagen_coach.web.progress.models import ProgressSeries
    from collagen_coach.web.progress.services import forget_recent_boards, make_dashboard

    web, person = browser_of("ann")
    make_history(person, today=TODAY, days=70, photos=8)
    photo_measured.send(sender=Photo, photo=Photo(client=person))
    forget_recent_boards()  # another process: it has no dashboard of its own
    board = make_dashboard(person, today())
    chosen = board.photos[-1]
    with django_assert_max_num_queries(STORED_PAGE_QUERIES):
        answer = web.get(reverse("progress:series", kwargs={"key": chosen.key}))
    expected = json.loads(json.dumps(board.series_data(chosen.key)))
    assert answer.json() == expected
    ProgressSeries.objects.filter(client=person).update(data='{"stale": true}')
    SelfRating.objects.bulk_create([SelfRating(client=person, date=TODAY, **SCORES)])  # no signal
    board = make_dashboard(person, today())
    answer = web.get(reverse("progress:series", kwargs={"key": chosen.key}))
    assert answer.json() == json.loads(json.dumps(board.series_data(chosen.key)))
    assert web.get(reverse("progress:series", kwargs={"key": "no-such"})).status_code == 404


def test_the_client_list_reads_the_verdicts_of_a_page_the_worker_made(
    browser_of: Callable[..., Any],
) -> None:
    """The worker's cache is its own: the visit that reads its page puts the verdicts in the
    shared one, where the practice's client list reads them."""
    from django.core.cache import cache
    from django.urls import reverse

    from collagen_coach.web.lib.dates import today
    from collagen_coach.web.photos.models import Photo
    from collagen_coach.web.photos.signals import photo_measured
    from collagen_coach.web.progress.services import (
        Dashboard,
        dashboard_cache_key,
        forget_recent_boards,
        journal_stamp,
        make_dashboard,
    )

    web, person = browser_of("ann")
    make_history(person, today=TODAY, days=70, photos=8)
    photo_measured.send(sender=Photo, photo=Photo(client=person))
    cache.clear()  # the worker's cache is not the web process's
    forget_recent_boards()
    key = dashboard_cache_key(person.pk, today(), journal_stamp(person))
    assert web.get(reverse("progress:dashboard")).status_code == 200
    listed = cache.get(key)
    assert isinstance(listed, Dashboard)
    assert listed.verdict_counts == make_dashboard(person, today()).verdict_counts
    assert listed.series
    assert not any(chart.points for chart in listed.series)
