"""Analysing a stored photo: the quality verdict, pose and metrics go to the journal's
PhotoMeasurement (what progress reads), the annotated image beside the photo."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import override_settings
from PIL import Image

from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.photos import services
from collagen_coach.web.photos.analysis import MAX_ATTEMPTS
from collagen_coach.web.photos.models import Photo, PhotoStatus

from .conftest import IMMEDIATE, face_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def test_an_upload_is_analysed_once_it_is_committed(
    make_person: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    _, client = make_person("ann")

    with django_capture_on_commit_callbacks(execute=True) as queued:
        photo = services.store_photo(client, face_photo("JPEG"), "biden2.jpg", TODAY)
        assert Photo.objects.get(pk=photo.pk).status == PhotoStatus.QUEUED  # not before commit

    assert len(queued) == 1
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.DONE
    assert photo.attempts == 1
    assert photo.error == ""
    assert photo.analysed_at is not None
    measurement = photo.measurement
    assert measurement is not None
    assert (measurement.client, measurement.date, measurement.file_name) == (
        client,
        TODAY,
        "biden2.jpg",
    )
    # biden2.jpg is lit from one side and the mouth is open: the gate says so, with numbers.
    assert not measurement.ok
    assert {p["id"] for p in measurement.problems} == {"uneven_light", "expression_off"}
    assert all(p["value"] is not None and p["threshold"] for p in measurement.problems)
    assert set(measurement.metrics) >= {"forehead", "cheeks", "jawline"}
    assert measurement.pose is not None
    assert set(measurement.pose) == {"yaw", "pitch", "roll"}


def test_the_annotated_image_is_stored_beside_the_photo(
    make_person: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    _, client = make_person("ann")
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.store_photo(client, face_photo("PNG"), "face.png", TODAY)

    photo.refresh_from_db()
    assert str(photo.overlay.name).startswith(f"client-{client.pk}/")
    with photo.overlay.open("rb") as stored, Image.open(stored) as overlay:
        assert overlay.format == "JPEG"
        assert min(overlay.size) > 256


def test_a_photo_without_a_face_is_done_with_the_problem_and_no_overlay(
    make_person: Any,
) -> None:
    _, client = make_person("ann")
    wall = Image.new("RGB", (800, 600), (200, 190, 180))
    out = io.BytesIO()
    wall.save(out, format="JPEG")
    photo = services.store_photo(client, out.getvalue(), "wall.jpg", TODAY)

    services.analyse(photo)

    assert photo.status == PhotoStatus.DONE
    assert photo.measurement is not None
    assert [p["id"] for p in photo.measurement.problems] == ["no_face"]
    assert not photo.overlay


def test_analysing_again_replaces_the_measurement_rather_than_adding_one(
    make_person: Any,
) -> None:
    _, client = make_person("ann")
    photo = services.store_photo(client, face_photo("JPEG", face="obama.jpg"), "o.jpg", TODAY)
    services.analyse(photo)
    first_overlay = str(photo.overlay.name)
    storage = photo.overlay.storage

    services.analyse(photo)

    assert PhotoMeasurement.objects.filter(client=client).count() == 1
    assert photo.attempts == 2
    assert str(photo.overlay.name) != first_overlay
    assert storage.exists(str(photo.overlay.name))


def test_a_stored_copy_that_cannot_be_read_fails_with_a_plain_reason(make_person: Any) -> None:
    _, client = make_person("ann")
    photo = services.store_photo(client, face_photo("JPEG"), "face.jpg", TODAY)
    photo.image.storage.delete(str(photo.image.name))  # e.g. the photo folder was tidied by hand

    services.analyse(photo)

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.FAILED
    assert photo.error == (
        "The stored copy of this photo could not be read or analysed. "
        "Delete it and upload it again."
    )
    assert "Traceback" not in photo.error
    assert photo.measurement is None


def test_a_photo_whose_analysis_never_finishes_is_given_up_after_three_attempts(
    make_person: Any,
) -> None:
    _, client = make_person("ann")
    photo = services.store_photo(client, face_photo("JPEG"), "face.jpg", TODAY)
    Photo.objects.filter(pk=photo.pk).update(attempts=MAX_ATTEMPTS)

    with override_settings(TASKS=IMMEDIATE):
        services.queue_analysis(photo)

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.FAILED
    assert "stopped 3 times" in photo.error
    assert photo.measurement is None
