"""A photo bucket that stops answering: the photo pages and the API answer 503 with what
happened and when to try again, an upload keeps nothing, and the rest of the app works on;
once the bucket answers again, so do the photos."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from collagen_coach.web.photo_storage import (
    UNREACHABLE,
    is_unreachable,
    parse_photo_storage_url,
    photo_storage,
)
from collagen_coach.web.photos.models import Photo
from web.browser.live_server import free_port

from .conftest import face_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def point_photos_at(settings: Any, url: str, folder: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": photo_storage(parse_photo_storage_url(url), folder),
    }


def test_photo_pages_answer_503_while_the_bucket_is_away_and_work_once_it_is_back(
    browser_of: Any, settings: Any, s3_bucket: Any, tmp_path: Any
) -> None:
    point_photos_at(settings, s3_bucket.url, tmp_path)
    web, _ = browser_of("ann")
    data = face_photo("JPEG", face="obama-240p.jpg")
    today = dt.date.today().isoformat()

    def upload() -> Any:
        photo = SimpleUploadedFile("me.jpg", data, content_type="image/jpeg")
        return web.post(reverse("photos:upload"), {"photo": photo, "taken_on": today})

    assert upload().status_code == 302
    photo = Photo.objects.get()
    image = reverse("photos:image", args=[photo.pk])
    assert web.get(image).status_code == 200

    # The bucket's server goes away: nobody listens at its address any more.
    away = f"s3://{s3_bucket.name}?endpoint=http://127.0.0.1:{free_port()}"
    point_photos_at(settings, away, tmp_path)
    for answer in (web.get(image), upload()):
        assert answer.status_code == 503
        assert answer["Retry-After"] == "60"
        assert UNREACHABLE.split(",")[0] in answer.content.decode().replace("&#x27;", "'")
    assert Photo.objects.count() == 1  # the upload kept nothing
    api = web.get(f"/api/photos/{photo.pk}/image")
    assert (api.status_code, api.json()["detail"]) == (503, UNREACHABLE)
    assert web.get(reverse("guide:today")).status_code == 200  # the rest works on

    point_photos_at(settings, s3_bucket.url, tmp_path)
    assert web.get(image).status_code == 200


def test_only_a_bucket_that_does_not_answer_counts_as_away() -> None:
    from botocore.exceptions import ClientError, EndpointConnectionError

    def answered(status: int) -> ClientError:
        return ClientError({"ResponseMetadata": {"HTTPStatusCode": status}}, "GetObject")

    assert is_unreachable(EndpointConnectionError(endpoint_url="http://127.0.0.1:1"))
    assert is_unreachable(answered(503))
    assert not is_unreachable(answered(403))  # refused us: a fault of ours, not its absence
    assert not is_unreachable(OSError("disk full"))
