"""Progress photo operations shared by the web app, the worker and the command line.

A photo is decoded (JPEG, PNG or HEIC/HEIF, EXIF orientation applied) before anything is kept,
and only a clean copy is stored: re-encoded pixels with no metadata (no GPS position, no camera,
no date), under a random name in the person's own folder. Its analysis runs in the background
(``tasks.analyse_photo_task``), queued once the upload is committed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import threading
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from collagen_coach.core.errors import UserError
from collagen_coach.vision import ALGORITHM
from collagen_coach.vision.face import PhotoProblem
from collagen_coach.vision.limits import value_and_limit
from collagen_coach.vision.load import (
    DEFAULT_MAX_PIXELS,
    TAKEN_FORMATS_TEXT,
    clean_copy,
    load_photo,
)
from collagen_coach.vision.load import Photo as DecodedPhoto
from collagen_coach.web.clients.changes import records_changed
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal import checks
from collagen_coach.web.photos.analysis import finish_analysis, jpeg_bytes, start_analysis
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.photos.tasks import analyse_photo_task, photo_ids_with_live_tasks

if TYPE_CHECKING:
    from collagen_coach.vision.compare import Comparison

logger = logging.getLogger(__name__)

# The clean copy keeps at most this long side: every phone photo up to 12 MP (4032 × 3024) as it
# is, larger ones halved or so. A face filling a fifth of such a frame still has its pupils
# ~330 px apart, above the 192 px every metric is computed at (vision.face.NORMALISED_IPD_PX).
STORED_LONG_SIDE_PX = 4096
STORED_JPEG_QUALITY = 95
# An upload is decoded into at most this many pixels, one upload at a time in a process, so
# that any number of uploads at once keep the server within a fixed memory budget: a decode
# takes about 8.5 bytes a pixel (Pillow's 4, the JPEG completeness check's 4 more, a NumPy
# copy's 3 once the check's are freed), ≤ 110 MB here; `serve` stays under 400 MB
# (benchmarks/bench_upload_memory.py). That is a 12-MP phone photo (4032 × 3024) or one of
# 4096 × 3072 whole; a larger JPEG is decoded at 1/2 to 1/8 size to fit (a 48-MP phone JPEG at
# half size), a larger PNG or HEIC, decoded whole, is refused.
MAX_DECODED_PIXELS = 12_600_000
_one_decode_at_a_time = threading.Lock()
THUMBNAIL_LONG_SIDE_PX = 360


def allowed_text() -> str:
    """Give what an upload may be, in words: the formats and the size limit."""
    return f"a {TAKEN_FORMATS_TEXT} photo up to {_megabytes(settings.PHOTO_MAX_BYTES)} MB"


def store_photo(
    client: Client, data: bytes | IO[bytes], original_name: str, taken_on: dt.date
) -> Photo:
    """Keep a clean copy of an uploaded photo and queue its analysis; give the saved Photo.

    ``data`` is the file's bytes or an open file (an upload). Anything that is not a readable
    JPEG, PNG or HEIC/HEIF photo within ``settings.PHOTO_MAX_BYTES`` raises one UserError naming
    what is wrong and what is allowed, and nothing is stored. The analysis is queued only once
    the transaction that saved the photo commits, so a worker never sees a photo that is not
    there.
    """
    name = _file_name(original_name)
    checks.journal_day("taken_on", taken_on)
    clean = _clean_copy(_within_size_limit(data, name), name)
    photo = Photo(client=client, taken_on=taken_on, original_name=name)
    photo.image.save("photo.jpg", ContentFile(clean), save=False)
    try:
        with transaction.atomic():
            photo.save()
            transaction.on_commit(lambda: queue_analysis(photo))
    except BaseException:
        photo.image.storage.delete(str(photo.image.name))
        raise
    return photo


def queue_analysis(photo: Photo) -> None:
    """Put the photo's analysis on the task queue (run at once under the immediate backend)."""
    analyse_photo_task.enqueue(photo.pk)


def analyse(photo: Photo) -> Photo:
    """Analyse the photo now and record the result; give it back, done or failed.

    Done means the analysis ran: the quality verdict, pose and metrics are in its
    ``measurement`` (a journal PhotoMeasurement, which progress reads) and the annotated image
    in ``overlay``. Failed means it could not run; ``error`` says why in plain words.
    """
    if start_analysis(photo):
        finish_analysis(photo)
    return photo


def delete_photo(photo: Photo) -> None:
    """Delete the photo, its files and its measurement (the files once the deletion commits)."""
    with transaction.atomic():
        photo.delete()


def clean_copy_bytes(photo: Photo) -> bytes:
    """Give the stored clean copy (JPEG, no metadata)."""
    with photo.image.open("rb") as stored:
        data: bytes = stored.read()
    return data


def overlay_bytes(photo: Photo) -> bytes | None:
    """Give the annotated image (JPEG), or None when the analysis drew none."""
    if not photo.overlay:
        return None
    with photo.overlay.open("rb") as stored:
        data: bytes = stored.read()
    return data


def thumbnail_bytes(photo: Photo, long_side_px: int = THUMBNAIL_LONG_SIDE_PX) -> bytes:
    """Give a small JPEG of the photo, for lists (decoded at reduced size: a few milliseconds)."""
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        image.draft("RGB", (long_side_px, long_side_px))
        small = image.convert("RGB")
        small.thumbnail((long_side_px, long_side_px), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=85)
    return out.getvalue()


@dataclass(frozen=True)
class PhotoPair:
    """Two of a person's photos compared: the vision comparison and the aligned faces as JPEG.

    ``before_jpeg`` and ``after_jpeg`` are None when a face was missing in either photo (there is
    then nothing to line up); the after face is aligned onto the before face.
    """

    comparison: Comparison
    before_jpeg: bytes | None
    after_jpeg: bytes | None


def compare(before: Photo, after: Photo) -> PhotoPair:
    """Give the comparison of two photos of one person, with the aligned faces where found."""
    if before.client_id != after.client_id:
        raise UserError("after", "the two photos are of different people", "two of your photos")
    # The landmark model loads with the first comparison, not when the web app starts.
    from collagen_coach.vision.compare import compare_photos

    # Two decoded photos and the landmark model: one comparison (or upload) at a time per
    # process keeps the web server within the memory budget uploads are held to.
    with _one_decode_at_a_time:
        comparison, images = compare_photos(
            clean_copy_bytes(before),
            clean_copy_bytes(after),
            names=(before.original_name, after.original_name),
        )
    if images is None:
        return PhotoPair(comparison, None, None)
    return PhotoPair(comparison, jpeg_bytes(images.before), jpeg_bytes(images.after))


# A photo measured by an earlier version of the analysis is measured again by the current one
# (``vision.ALGORITHM``), so that a person's series holds one version again (progress compares
# only photos measured alike). It waits behind every photo just uploaded: the queue runs tasks
# of higher priority first.
REMEASURE_PRIORITY = -10


def queue_outdated_analyses() -> list[int]:
    """Queue again, behind new uploads, every analysed photo an earlier analysis measured.

    A photo keeps its earlier measurement until the new one replaces it. Each photo is taken
    from done to queued in one update, so workers sweeping at once queue it once. Gives the ids.
    """
    outdated = (
        Photo.objects.filter(status=PhotoStatus.DONE, measurement__isnull=False)
        .exclude(measurement__algorithm=ALGORITHM)
        .values_list("pk", flat=True)
    )
    queued = []
    for pk in outdated:
        with transaction.atomic():
            if Photo.objects.filter(pk=pk, status=PhotoStatus.DONE).update(
                status=PhotoStatus.QUEUED, attempts=0
            ):
                records_changed(Photo.objects.filter(pk=pk).values("client_id"))
                analyse_photo_task.using(priority=REMEASURE_PRIORITY).enqueue(pk)
                queued.append(pk)
    return queued


def requeue_lost_photos(*, older_than_s: float = 60.0) -> list[int]:
    """Queue again the photos waiting or being analysed that no task will ever finish.

    That is a photo queued or analysing with no task ready or running for it (its queueing was
    lost when the process stopped between saving and queueing, or its task ended without
    finishing it). ``older_than_s`` leaves alone photos just saved, whose task may be on its
    way. Gives the ids queued again.
    """
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_s)
    waiting = Photo.objects.filter(
        status__in=(PhotoStatus.QUEUED, PhotoStatus.ANALYSING), created_at__lt=cutoff
    ).values_list("pk", flat=True)
    live = photo_ids_with_live_tasks()
    lost = [pk for pk in waiting if pk not in live]
    for photo in Photo.objects.filter(pk__in=lost):
        queue_analysis(photo)
    return lost


# ---------------------------------------------------------------------------------------------
# Inside


def _file_name(original_name: str) -> str:
    """Give the file name only (a browser may send a whole path), at most 255 characters."""
    name = PurePath(str(original_name).replace("\\", "/")).name.strip()
    return (name or "photo")[:255]


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def _within_size_limit(data: bytes | IO[bytes], name: str) -> bytes | IO[bytes]:
    """Give the upload to decode, refusing more than ``PHOTO_MAX_BYTES``.

    An upload that says its size (Django's, spooled to the data folder when large) is read
    from where it is; anything else is read into memory, never past the limit.
    """
    limit = int(settings.PHOTO_MAX_BYTES)
    size = len(data) if isinstance(data, bytes) else getattr(data, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_large(name, size)
    if isinstance(data, bytes) or (isinstance(size, int) and hasattr(data, "seek")):
        return data
    raw = data.read(limit + 1)
    if len(raw) > limit:
        raise _too_large(name, None)
    return raw


def _too_large(name: str, size: int | None) -> UserError:
    limit = int(settings.PHOTO_MAX_BYTES)
    if size is None:
        return UserError(
            "photo", f"“{name}” is more than the {_megabytes(limit)} MB allowed", allowed_text()
        )
    shown, bound = value_and_limit(size / 1024 / 1024, limit / 1024 / 1024)
    return UserError(
        "photo", f"“{name}” is {shown} MB, more than the {bound} MB allowed", allowed_text()
    )


def _clean_copy(upload: bytes | IO[bytes], name: str) -> bytes:
    """Give the photo decoded, upright and re-encoded as a JPEG without any metadata."""
    with _one_decode_at_a_time:
        try:
            photo = load_photo(
                upload,
                want_long_side_px=STORED_LONG_SIDE_PX,
                max_decoded_pixels=MAX_DECODED_PIXELS,
            )
        except PhotoProblem as exc:
            raise UserError("photo", _refusal(exc, name), allowed_text()) from None
        return _resized_clean_jpeg(photo)


def _resized_clean_jpeg(photo: DecodedPhoto) -> bytes:
    """Give the decoded photo as the stored JPEG: at most ``STORED_LONG_SIDE_PX`` long."""
    height, width = photo.rgb.shape[:2]
    scale = STORED_LONG_SIDE_PX / max(width, height)
    if scale < 1.0:
        resized = Image.fromarray(np.ascontiguousarray(photo.rgb)).resize(
            (max(1, round(width * scale)), max(1, round(height * scale))),
            Image.Resampling.LANCZOS,
        )
        photo = dataclasses.replace(photo, rgb=np.asarray(resized))
    return clean_copy(photo, "JPEG", quality=STORED_JPEG_QUALITY)


def _refusal(exc: PhotoProblem, name: str) -> str:
    """Say why a file is refused, in the person's words."""
    problem = exc.problem
    if problem.id == "unsupported_format":
        return f"“{name}” is an image in a format that is not taken"
    if problem.id == "too_large" and problem.value is not None:
        limit = problem.threshold or 0
        shown, bound = value_and_limit(problem.value / 1e6, limit / 1e6)
        if limit == MAX_DECODED_PIXELS:
            return (
                f"“{name}” has {shown} megapixels, more than the {bound} allowed for a PNG or "
                f"HEIC photo (a JPEG may have up to {_megapixels(DEFAULT_MAX_PIXELS)})"
            )
        return f"“{name}” has {shown} megapixels, more than the {bound} allowed"
    return f"“{name}” is not a photo that can be read (it is another kind of file, or damaged)"


def _megapixels(pixels: float) -> str:
    return f"{pixels / 1e6:.1f}".removesuffix(".0")
