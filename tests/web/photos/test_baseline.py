"""Each later photo is judged against the person's own baseline photos: how her face was taken
and lit is stored with each photo, her baseline look is made from her baseline week's photos,
and a photo lit unlike them keeps its light measures out of her progress for that day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from collagen_coach.core.measures import LIGHT_MEASURES, MEASURES
from collagen_coach.vision.analysis import PhotoReport, analyse_photo
from collagen_coach.vision.look import FaceLook, baseline_of
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.journal.services import log_photo
from collagen_coach.web.photos import services
from collagen_coach.web.photos.baseline import (
    baseline_days,
    baseline_look,
    judged_against_baseline,
)
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.plans.services import save_program
from collagen_coach.web.progress.services import journal_progress

from ..builders import START, program
from .conftest import FACES, face_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# A baseline week (three measurement days) before sessions every other day from a week later.
BASELINE = [START, START + dt.timedelta(days=2), START + dt.timedelta(days=4)]
FIRST_SESSION = START + dt.timedelta(days=7)
LATER = START + dt.timedelta(days=21)
TODAY = START + dt.timedelta(days=70)


@pytest.fixture(scope="module")
def passed() -> PhotoReport:
    """A real photo's analysis with its look, as if it had passed the quality gate."""
    report = analyse_photo(FACES / "biden2.jpg")
    assert report.look is not None
    return dataclasses.replace(report, ok=True, problems=[])


def _looking(report: PhotoReport, **changes: float) -> PhotoReport:
    assert report.look is not None
    return dataclasses.replace(report, look=dataclasses.replace(report.look, **changes))


def _with_baseline_week(client: Client) -> None:
    save_program(
        client,
        program(start=FIRST_SESSION, sessions=30).model_copy(update={"baseline_days": BASELINE}),
    )


def _baseline_photos(client: Client, report: PhotoReport) -> list[FaceLook]:
    """Log a passed photo on each baseline day, each a little differently lit; give their
    looks."""
    assert report.look is not None
    looks = []
    for n, day in enumerate(BASELINE):
        one = _looking(report, lightness=report.look.lightness + n)
        log_photo(client, day, one)
        assert one.look is not None
        looks.append(one.look)
    return looks


def test_a_photo_keeps_its_look_and_whether_it_was_lit_like_the_baseline(
    self_carer: Client, passed: PhotoReport
) -> None:
    saved = log_photo(self_carer, START, dataclasses.replace(passed, lit_like_baseline=False))
    saved.refresh_from_db()
    assert FaceLook.from_json(saved.look) == passed.look
    assert saved.lit_like_baseline is False


def test_a_photo_analysed_without_a_look_keeps_none(
    self_carer: Client, passed: PhotoReport
) -> None:
    saved = log_photo(self_carer, START, dataclasses.replace(passed, look=None))
    saved.refresh_from_db()
    assert (saved.look, saved.lit_like_baseline) == (None, None)


def test_the_baseline_look_combines_the_baseline_week_photos_only(
    self_carer: Client, passed: PhotoReport
) -> None:
    _with_baseline_week(self_carer)
    looks = _baseline_photos(self_carer, passed)
    assert passed.look is not None
    log_photo(self_carer, LATER, _looking(passed, yaw=passed.look.yaw + 20))

    assert baseline_days(self_carer) == BASELINE
    assert baseline_look(self_carer) == baseline_of(looks)


def test_without_baseline_photos_with_a_look_her_first_passed_photos_stand_in(
    self_carer: Client, passed: PhotoReport
) -> None:
    _with_baseline_week(self_carer)
    log_photo(self_carer, BASELINE[0], dataclasses.replace(passed, look=None))
    assert passed.look is not None
    later = [
        _looking(passed, lightness=passed.look.lightness + n).look for n in range(4)
    ]  # taken after the baseline week
    for n, look in enumerate(later):
        log_photo(self_carer, LATER + dt.timedelta(days=n), dataclasses.replace(passed, look=look))
    rejected = dataclasses.replace(passed, ok=False, look=dataclasses.replace(passed.look, yaw=40))
    log_photo(self_carer, LATER - dt.timedelta(days=1), rejected)

    assert baseline_look(self_carer) == baseline_of([look for look in later[:3] if look])


def test_a_person_without_photos_has_no_baseline_look(self_carer: Client) -> None:
    assert baseline_look(self_carer) is None


@pytest.mark.parametrize(
    ("day", "judged"),
    [
        pytest.param(BASELINE[1], False, id="a-baseline-day-is-judged-on-its-own"),
        pytest.param(START + dt.timedelta(days=5), False, id="before-the-first-session"),
        pytest.param(LATER, True, id="after-the-first-session-against-the-baseline"),
    ],
)
def test_only_photos_after_the_baseline_are_judged_against_it(
    self_carer: Client, passed: PhotoReport, day: dt.date, judged: bool
) -> None:
    _with_baseline_week(self_carer)
    _baseline_photos(self_carer, passed)
    assert judged_against_baseline(self_carer, day) is judged


def _series_days(client: Client, metric: str) -> set[dt.date]:
    result = journal_progress(client, TODAY).result
    return {
        o.date
        for series in result.series
        if (series.metric, series.zone, series.side) == (metric, "cheeks", "left")
        for o in series.observations
    }


def test_a_photo_lit_unlike_the_baseline_keeps_its_light_measures_out_of_progress(
    browser_of: Any, passed: PhotoReport
) -> None:
    browser, client = browser_of("ann")
    _with_baseline_week(client)
    _baseline_photos(client, passed)
    assert passed.look is not None
    brighter = _looking(passed, lightness=passed.look.lightness + 30)
    measurement = log_photo(client, LATER, dataclasses.replace(brighter, lit_like_baseline=False))
    log_photo(
        client,
        LATER + dt.timedelta(days=7),
        dataclasses.replace(passed, lit_like_baseline=True),
    )

    assert LATER not in _series_days(client, "radiance")
    assert LATER + dt.timedelta(days=7) in _series_days(client, "radiance")
    assert LATER in _series_days(client, "wrinkle_index")
    notes = journal_progress(client, TODAY).result.notes
    assert any("not lit like your baseline photos" in note for note in notes)

    photo = services.store_photo(client, face_photo("JPEG"), "brighter.jpg", LATER)
    Photo.objects.filter(pk=photo.pk).update(status=PhotoStatus.DONE, measurement=measurement)
    page = browser.get(f"/photos/{photo.pk}/").content.decode()
    assert "not lit like your baseline photos" in page
    for name in LIGHT_MEASURES:
        assert MEASURES[name].title.lower() in page
    listed = browser.get("/photos/").content.decode()
    assert "Comparable with your baseline photos except for its light." in listed


def test_an_analysed_photo_after_the_baseline_is_judged_against_it(
    make_person: Any, passed: PhotoReport
) -> None:
    _, client = make_person("ann")
    _with_baseline_week(client)
    assert passed.look is not None
    for day in BASELINE:  # baseline photos lit far brighter than the one analysed next
        log_photo(client, day, _looking(passed, lightness=passed.look.lightness + 30))

    later = services.store_photo(client, face_photo("JPEG"), "later.jpg", LATER)
    services.analyse(later)
    on_baseline_day = services.store_photo(client, face_photo("JPEG"), "again.jpg", BASELINE[2])
    services.analyse(on_baseline_day)

    judged = PhotoMeasurement.objects.get(photo=later)
    assert judged.look is not None
    assert judged.lit_like_baseline is False
    alone = PhotoMeasurement.objects.get(photo=on_baseline_day)
    assert alone.look is not None
    assert alone.lit_like_baseline is None
