"""Photos in a bucket: objects no one but the app can read; a bucket out of reach is not the
photo's fault (its analysis stops without failing it: it stays pending and is queued again by
photos.worker.recover once the bucket answers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from collagen_coach.web.photo_storage import parse_photo_storage_url, photo_storage
from collagen_coach.web.photos import services
from collagen_coach.web.photos.models import PhotoStatus
from web.browser.live_server import free_port

from .conftest import face_photo

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _photos_in(url: str, settings: Any) -> None:
    chosen = photo_storage(parse_photo_storage_url(url), settings.PHOTO_ROOT)
    settings.STORAGES = {**settings.STORAGES, "default": chosen}


def test_no_photo_is_readable_by_everyone(make_person: Any, s3_bucket: Any, settings: Any) -> None:
    _, ann = make_person("ann")
    _photos_in(s3_bucket.url, settings)
    photo = services.store_photo(ann, face_photo("JPEG"), "me.jpg", dt.date.today())

    [name] = s3_bucket.keys()
    assert name == photo.image.name
    grants = s3_bucket.grants(name)
    assert grants  # the owner's
    assert all(g["Grantee"].get("URI") != ALL_USERS for g in grants), grants


def test_an_analysis_that_cannot_reach_the_bucket_leaves_the_photo_pending(
    make_person: Any, s3_bucket: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, ann = make_person("ann")
    _photos_in(s3_bucket.url, settings)
    photo = services.store_photo(ann, face_photo("JPEG"), "me.jpg", dt.date.today())
    # The same bucket, its server gone: nothing listens at this address (asked once, no retries).
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    _photos_in(f"s3://{s3_bucket.name}?endpoint=http://127.0.0.1:{free_port()}", settings)

    with pytest.raises(EndpointConnectionError):
        services.analyse(photo)

    photo.refresh_from_db()
    assert (photo.status, photo.error) == (PhotoStatus.ANALYSING, "")
