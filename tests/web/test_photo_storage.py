"""PHOTO_STORAGE_URL: the data folder when unset, a bucket of S3-compatible storage when set,
one clear line naming what is allowed when it is neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from collagen_coach.core.errors import UserError
from collagen_coach.web.photo_storage import Bucket, parse_photo_storage_url, photo_storage
from web.processes import embedded_env, run_cli


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", None),
        ("  ", None),
        (
            "s3://coach-photos?endpoint=http://127.0.0.1:9000",
            Bucket("coach-photos", endpoint="http://127.0.0.1:9000"),
        ),
        (
            "s3://coach.photos/practice-1/?region=eu-west-3",
            Bucket("coach.photos", prefix="practice-1", region="eu-west-3"),
        ),
        (
            "s3://abc?endpoint=https://s3.example.org&region=auto",
            Bucket("abc", endpoint="https://s3.example.org", region="auto"),
        ),
    ],
    ids=["unset", "blank", "local-server", "prefix-and-region", "https-endpoint"],
)
def test_the_url_names_a_bucket_or_nothing(url: str, expected: Bucket | None) -> None:
    assert parse_photo_storage_url(url) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/srv/photos", "is not an s3:// URL"),
        ("http://127.0.0.1:9000/photos", "is not an s3:// URL"),
        ("s3://", "has no valid bucket name"),
        ("s3://Photos", "has no valid bucket name"),
        ("s3://ab", "has no valid bucket name"),
        ("s3://key:secret@photos", "has a user, password or port"),
        ("s3://photos:9000", "has a user, password or port"),
        ("s3://photos/a b", "has a prefix with characters other than"),
        ("s3://photos/../x", "has a prefix with characters other than"),
        ("s3://photos?endpoint=127.0.0.1:9000", "has an endpoint that is not an http(s)://"),
        ("s3://photos?endpoint=", "has an endpoint that is not an http(s)://"),
        ("s3://photos?acl=public-read", "has an unknown option 'acl'"),
        ("s3://photos?region=a&region=b", "gives 'region' more than once"),
        ("s3://photos?region=EU West", "has a region that is not a region name"),
    ],
)
def test_a_url_that_names_no_bucket_is_refused_saying_what_is_allowed(
    url: str, problem: str
) -> None:
    with pytest.raises(UserError) as refused:
        parse_photo_storage_url(url)
    assert refused.value.field == "PHOTO_STORAGE_URL"
    assert problem in refused.value.problem
    assert "s3://BUCKET" in str(refused.value.allowed)


def test_objects_are_written_private_and_never_overwritten() -> None:
    bucket = parse_photo_storage_url("s3://photos?endpoint=http://127.0.0.1:9000")
    chosen = photo_storage(bucket, Path("/unused"))

    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    options = chosen["OPTIONS"]
    assert options["default_acl"] is None  # the bucket's own: private
    assert options["file_overwrite"] is False
    assert options["addressing_style"] == "path"
    assert "custom_domain" not in options  # no public address for a photo


def test_unset_keeps_photos_in_the_data_folder_with_no_address(tmp_path: Path) -> None:
    chosen = photo_storage(None, tmp_path / "photos")
    assert chosen == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "photos"), "base_url": None},
    }


def test_the_command_line_refuses_a_bad_url_in_one_line(tmp_path: Path) -> None:
    env = {**embedded_env(tmp_path / "home"), "PHOTO_STORAGE_URL": "minio://photos"}
    result = run_cli("journal", env=env)

    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("collagen-coach: PHOTO_STORAGE_URL: 'minio://photos' is not an s3://")
    assert "(allowed: unset for the data folder, or s3://BUCKET" in line
