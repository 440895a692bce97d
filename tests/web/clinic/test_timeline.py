"""A client's timeline: everything in their record, newest first, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from collagen_coach.web.journal.models import (
    InstrumentReading,
    PeptideIntake,
    SelfRating,
    SessionLog,
    SessionStatus,
)
from collagen_coach.web.journal.services import log_peptides, rate
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.photos.services import analyse, store_photo
from collagen_coach.web.practice.models import AuditEvent, SessionNote
from web.clinic.conftest import Practice
from web.clinic.records import TODAY, planned, screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"


def _history(client: Any, author: Any, days: int) -> None:
    """Give ``client`` ``days`` days of history: a session most days (some partial, some in the
    clinic), a rating and a dose each week, readings and a photo each month, a note a fortnight."""
    start = TODAY - dt.timedelta(days=days - 1)
    image = store_photo(client, (FACES / "obama-240p.jpg").read_bytes(), "me.jpg", start).image
    logs, ratings, doses, readings, photos = [], [], [], [], []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        if n % 7 != 6:
            done = n % 5 != 0
            logs.append(
                SessionLog(
                    client=client,
                    planned_date=day,
                    started_at=moment,
                    finished_at=moment if done else None,
                    status=SessionStatus.COMPLETED if done else SessionStatus.ABANDONED,
                    place="clinic" if n % 14 == 0 else "home",
                    steps=[
                        {
                            "technique": "tapping",
                            "zone": "forehead",
                            "side": "both",
                            "planned_s": 60,
                            "done_s": 60 if done else 10,
                            "skipped": False,
                        }
                    ],
                )
            )
        if n % 7 == 0:
            ratings.append(
                SelfRating(
                    client=client,
                    date=day,
                    firmness=5,
                    elasticity=5,
                    fine_lines=4,
                    glow=6,
                    sagging=3,
                )
            )
            doses.append(PeptideIntake(client=client, date=day, grams=Decimal("5")))
        if n % 30 == 0:
            readings.append(
                InstrumentReading(
                    client=client,
                    date=day,
                    instrument="cutometer",
                    parameter="R2",
                    zone="cheeks",
                    side="left",
                    value=0.7,
                    source="c.csv",
                )
            )
            photos.append(
                Photo(
                    client=client,
                    taken_on=day,
                    original_name="me.jpg",
                    image=image.name,
                    status=PhotoStatus.QUEUED,
                )
            )
    SessionLog.objects.bulk_create(logs)
    SelfRating.objects.bulk_create(ratings)
    PeptideIntake.objects.bulk_create(doses)
    InstrumentReading.objects.bulk_create(readings)
    Photo.objects.bulk_create(photos)
    notes = [
        SessionNote(client=client, author=author, subjective=f"week {n}", shared_with_client=n % 2)
        for n in range(0, days, 14)
    ]
    SessionNote.objects.bulk_create(notes)


def _queries(web: Any, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = web.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_number_of_queries_does_not_grow_with_the_history(
    studio: Practice, make_practice_client: Any
) -> None:
    month = make_practice_client(studio.practice, "Mona", practitioner=studio.practitioner)
    years = make_practice_client(studio.practice, "Yara", practitioner=studio.practitioner)
    for client, days in ((month, 30), (years, 730)):
        screened(client, recorded_by=studio.practitioner)
        planned(client, start=TODAY - dt.timedelta(days=days - 1))
        _history(client, studio.practitioner, days)
    web = studio.browser(studio.practitioner)

    one_month, small = _queries(web, reverse("clinic:timeline", args=[month.pk]) + "?months=24")
    two_years, large = _queries(web, reverse("clinic:timeline", args=[years.pk]) + "?months=24")

    assert small.context["count"] < 60 < 600 < large.context["count"]
    assert one_month == two_years
    # 16, and one for the audit log's look for the same view a few minutes before (a read that
    # spares the write of a repeated view).
    assert two_years <= 17


def test_the_timeline_shows_every_kind_of_record_newest_first(studio: Practice) -> None:
    cora, pat = studio.client, studio.practitioner
    screened(cora, recorded_by=pat, conditions=["fragile_skin"])
    stored = planned(cora, start=TODAY - dt.timedelta(days=3))
    rate(
        cora,
        TODAY - dt.timedelta(days=2),
        firmness=5,
        elasticity=5,
        fine_lines=4,
        glow=6,
        sagging=3,
    )
    log_peptides(cora, TODAY - dt.timedelta(days=1), 5, "marine collagen")
    day = stored.sessions.order_by("date").first().date
    SessionLog.objects.create(
        client=cora,
        planned_date=day,
        program=stored,
        started_at=dt.datetime.now(dt.UTC),
        status=SessionStatus.ABANDONED,
        steps=[
            {
                "technique": "tapping",
                "zone": "forehead",
                "side": "both",
                "planned_s": 60,
                "done_s": None,
                "skipped": False,
            }
        ],
    )
    photo = analyse(store_photo(cora, (FACES / "obama-720p.jpg").read_bytes(), "me.jpg", TODAY))
    SessionNote.objects.create(
        client=cora, author=pat, objective="Skin calm", shared_with_client=True
    )
    web = studio.browser(pat)

    response = web.get(reverse("clinic:timeline", args=[cora.pk]))

    page = response.content.decode()
    kinds = [e.kind for day in response.context["days"] for e in day["entries"]]
    assert {"intake", "plan", "session", "photo", "note", "rating", "peptides"} <= set(kinds)
    dates = [day["date"] for day in response.context["days"]]
    assert dates == sorted(dates, reverse=True)
    assert "can start, with changes" in page
    assert "Session at home" in page
    assert "partial" in page
    assert "shared with the client" in page
    assert "5 g (marine collagen)" in page
    photo.refresh_from_db()
    assert photo.passed is not None
    verdict = "passed the quality check" if photo.passed else "did not pass the quality check"
    assert verdict in page
    assert reverse("clinic:photo_image", args=[cora.pk, photo.pk]) in page
    assert "by pat" in page
    assert AuditEvent.objects.filter(
        client=cora, action="view", what__startswith="timeline"
    ).exists()


def test_the_period_limits_what_is_shown_and_earlier_goes_back(studio: Practice) -> None:
    cora = studio.client
    rate(
        cora,
        TODAY - dt.timedelta(days=150),
        firmness=5,
        elasticity=5,
        fine_lines=4,
        glow=6,
        sagging=3,
    )
    web = studio.browser(studio.practitioner)
    url = reverse("clinic:timeline", args=[cora.pk])

    recent = web.get(url)
    earlier = web.get(url, {"months": 3, "until": recent.context["earlier"].isoformat()})
    year = web.get(url, {"months": 12})

    assert recent.context["count"] == 0
    assert earlier.context["count"] == 1
    assert year.context["count"] == 1
    assert "Nothing was recorded" in recent.content.decode()


def test_a_practice_member_sees_the_clients_photo_as_a_small_jpeg(studio: Practice) -> None:
    photo = store_photo(studio.client, (FACES / "obama-720p.jpg").read_bytes(), "me.jpg", TODAY)
    web = studio.browser(studio.owner)

    answer = web.get(reverse("clinic:photo_image", args=[studio.client.pk, photo.pk]))

    assert answer["Content-Type"] == "image/jpeg"
    assert "no-store" in answer["Cache-Control"]
    from io import BytesIO

    assert max(Image.open(BytesIO(answer.content)).size) <= 360
    # The photos section's own address still serves only the photo's owner.
    assert web.get(reverse("photos:image", args=[photo.pk])).status_code == 404
