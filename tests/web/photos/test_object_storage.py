"""Photos kept in the data folder or in a bucket of S3-compatible storage work the same way.

Each test runs twice (``photo_backend``): with the folder, and with a bucket of a real
S3-compatible server (moto's server mode, in a process of its own). Upload, analysis, the views
that serve a photo to its owner only, the export and deletion all go through Django's storage.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from collagen_coach.web.my_data.services import delete_everything
from collagen_coach.web.photos import services
from collagen_coach.web.photos.models import Photo, client_folder

from .conftest import face_photo, stored_names

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("photo_backend")]

TODAY = dt.date.today()


def upload(web: Any, django_capture_on_commit_callbacks: Any) -> Photo:
    """Upload a phone photo through the page; give it (analysed if tasks run at once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = face_photo("JPEG", face="obama-240p.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post(
            reverse("photos:upload"),
            {
                "photo": SimpleUploadedFile("me.jpg", data, content_type="image/jpeg"),
                "taken_on": TODAY.isoformat(),
            },
        )
    assert answer.status_code == 302, answer.content
    return Photo.objects.latest("pk")


@pytest.fixture
def analysed(browser_of: Any, django_capture_on_commit_callbacks: Any) -> tuple[Any, Photo]:
    """Ann, signed in, with one photo uploaded through the page and an annotated copy of it
    (a JPEG kept as the analysis keeps it, without running the analysis: it is tested once,
    below)."""
    web, _ = browser_of("ann")
    photo = upload(web, django_capture_on_commit_callbacks)
    photo.overlay.save("overlay.jpg", ContentFile(face_photo("JPEG", face="obama-240p.jpg")))
    return web, photo


def test_the_analysis_keeps_the_overlay_beside_the_photo_in_the_persons_folder(
    browser_of: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    web, ann = browser_of("ann")
    photo = upload(web, django_capture_on_commit_callbacks)

    assert photo.overlay, photo.error
    assert stored_names(client_folder(ann.pk)) == {str(photo.image.name), str(photo.overlay.name)}
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()  # the phone's GPS position and camera are not kept


def test_the_owner_is_given_her_photo_its_thumbnail_and_its_overlay(
    analysed: tuple[Any, Photo],
) -> None:
    web, photo = analysed
    image = web.get(reverse("photos:image", args=[photo.pk]))
    small = web.get(reverse("photos:image", args=[photo.pk]) + "?size=small")
    overlay = web.get(reverse("photos:overlay", args=[photo.pk]))

    assert image.status_code == small.status_code == overlay.status_code == 200
    assert image.content == services.clean_copy_bytes(photo)
    assert overlay.content == services.overlay_bytes(photo)
    with Image.open(io.BytesIO(small.content)) as thumbnail:
        assert max(thumbnail.size) == services.THUMBNAIL_LONG_SIDE_PX


def test_another_person_cannot_fetch_the_photo_or_its_overlay(
    analysed: tuple[Any, Photo], browser_of: Any
) -> None:
    _, photo = analysed
    other, _ = browser_of("bob")
    for name in ("photos:image", "photos:overlay"):
        assert other.get(reverse(name, args=[photo.pk])).status_code == 404


def test_the_export_holds_the_stored_bytes(analysed: tuple[Any, Photo]) -> None:
    web, photo = analysed
    answer = web.post(reverse("my_data:export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))

    assert archive.read(f"files/{photo.image.name}") == services.clean_copy_bytes(photo)
    assert archive.read(f"files/{photo.overlay.name}") == services.overlay_bytes(photo)


def test_deleting_the_photo_removes_its_files(
    analysed: tuple[Any, Photo], django_capture_on_commit_callbacks: Any
) -> None:
    _, photo = analysed
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(photo)

    assert stored_names(client_folder(photo.client_id)) == set()


def test_deleting_everything_removes_every_file_in_the_persons_folder(
    analysed: tuple[Any, Photo], browser_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.storage import default_storage

    _, photo = analysed
    _, bob = browser_of("bob")
    bobs = services.store_photo(bob, face_photo("JPEG"), "bob.jpg", TODAY)
    folder = client_folder(photo.client_id)
    # An overlay a worker saved as the photo was being deleted: no record points at it.
    default_storage.save(f"{folder}/left-behind-overlay.jpg", ContentFile(b"jpeg"))

    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(photo.client.account)

    assert stored_names(folder) == set()
    assert stored_names(client_folder(bob.pk)) == {str(bobs.image.name)}
