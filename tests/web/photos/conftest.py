"""Photos made from the real test faces (tests/fixtures/faces/, see PROVENANCE.md there).

Each upload carries metadata a phone would write (a GPS position, the camera, an orientation),
so the tests can check that none of it is kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from django.conf import settings
from django.test import override_settings
from PIL import ExifTags, Image

pillow_heif.register_heif_opener()

FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def phone_exif(orientation: int = 1) -> Image.Exif:
    """Give EXIF as a phone writes it: camera, date, GPS position and an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2026:03:01 09:30:00"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 3.0),
    }
    return exif


def face_photo(format_name: str, *, face: str = "biden2.jpg", orientation: int = 1) -> bytes:
    """Give a test face encoded as JPEG, PNG or HEIF, with phone metadata (PNG: EXIF chunk)."""
    with Image.open(FACES / face) as original:
        image = original.convert("RGB")
    out = io.BytesIO()
    options: dict[str, Any] = {"exif": phone_exif(orientation).tobytes()}
    if format_name in ("JPEG", "HEIF"):
        options["quality"] = 92
    image.save(out, format=format_name, **options)
    return out.getvalue()


def stored_files() -> set[str]:
    """Give every file under the photo storage folder (relative paths)."""
    root = Path(settings.PHOTO_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def stored_names(folder: str = "") -> set[str]:
    """Give the name of every file kept in photo storage, whichever it is (folder or bucket)."""
    from django.core.files.storage import default_storage

    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return set()
    names = {f"{folder}/{name}" if folder else name for name in files}
    for inner in folders:
        names |= stored_names(f"{folder}/{inner}" if folder else inner)
    return names


@pytest.fixture(params=["folder", "bucket"])
def photo_backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> str:
    """Keep photos in a folder of the test's own, then (a second run of the test) in a new bucket
    of a real S3-compatible server, as PHOTO_STORAGE_URL chooses; give which."""
    from collagen_coach.web.photo_storage import parse_photo_storage_url, photo_storage

    url = request.getfixturevalue("s3_bucket").url if request.param == "bucket" else ""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": photo_storage(parse_photo_storage_url(url), tmp_path / "photos"),
    }
    return str(request.param)


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    """Run a queued task at once, in the process that queues it, instead of in a worker.

    Uploads queue their analysis when their transaction commits: wrap them in
    ``django_capture_on_commit_callbacks(execute=True)`` to see it run.
    """
    with override_settings(TASKS=IMMEDIATE):
        yield
