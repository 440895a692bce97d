"""Deleting a photo removes its files and its measurement; so does deleting the person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.photos import services
from collagen_coach.web.photos.models import Photo

from .conftest import face_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


@pytest.fixture
def analysed(make_person: Any) -> Photo:
    _, client = make_person("ann")
    photo = services.store_photo(client, face_photo("JPEG", face="obama.jpg"), "o.jpg", TODAY)
    services.analyse(photo)
    assert photo.overlay
    assert photo.measurement is not None
    return photo


def test_deleting_a_photo_removes_its_files_and_its_measurement(
    analysed: Photo, django_capture_on_commit_callbacks: Any
) -> None:
    storage = analysed.image.storage
    files = [str(analysed.image.name), str(analysed.overlay.name)]
    assert all(storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(analysed)

    assert not Photo.objects.exists()
    assert not PhotoMeasurement.objects.exists()
    assert not any(storage.exists(name) for name in files)


def test_the_files_stay_until_the_deletion_is_committed(
    analysed: Photo, django_capture_on_commit_callbacks: Any
) -> None:
    storage = analysed.image.storage

    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.delete_photo(analysed)
        assert storage.exists(str(analysed.image.name))

    assert len(pending) == 1


def test_deleting_the_person_removes_their_photos_files(
    analysed: Photo, django_capture_on_commit_callbacks: Any
) -> None:
    storage = analysed.image.storage
    files = [str(analysed.image.name), str(analysed.overlay.name)]

    with django_capture_on_commit_callbacks(execute=True):
        Client.objects.filter(pk=analysed.client_id).delete()

    assert not Photo.objects.exists()
    assert not PhotoMeasurement.objects.exists()
    assert not any(storage.exists(name) for name in files)
