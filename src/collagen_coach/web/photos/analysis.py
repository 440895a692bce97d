"""A stored photo's analysis: marking it as being analysed, running the analysis and saving
what it found. The task queue (``tasks``) and an analysis run at once (``services.analyse``)
both go through here.
"""

from __future__ import annotations

import contextlib
import io
import logging

import numpy as np
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from numpy.typing import NDArray
from PIL import Image

from collagen_coach.web.clients.changes import records_changed
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.journal.services import log_photo
from collagen_coach.web.photos.baseline import baseline_look, judged_against_baseline
from collagen_coach.web.photos.models import Photo, PhotoStatus

logger = logging.getLogger(__name__)

# A photo whose analysis was begun this many times without finishing (its worker killed each
# time, e.g. out of memory) is given up on rather than retried for ever.
MAX_ATTEMPTS = 3
UNREADABLE = (
    "The stored copy of this photo could not be read or analysed. Delete it and upload it again."
)


def start_analysis(photo: Photo) -> bool:
    """Mark the photo as being analysed and count the attempt; give whether to go on.

    False when the photo is gone, or has used up its ``MAX_ATTEMPTS`` (it is then marked failed).
    """
    with transaction.atomic():
        locked = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if locked is None:
            return False
        locked.attempts += 1
        if locked.attempts > MAX_ATTEMPTS:
            locked.status = PhotoStatus.FAILED
            locked.error = (
                f"The analysis stopped {MAX_ATTEMPTS} times without finishing. Delete this photo "
                "and upload it again, or try a smaller copy of it."
            )
            locked.attempts = MAX_ATTEMPTS
        else:
            locked.status = PhotoStatus.ANALYSING
            locked.error = ""
        locked.save(update_fields=["attempts", "status", "error"])
    _refresh(photo)
    return bool(locked.status == PhotoStatus.ANALYSING)


def finish_analysis(photo: Photo) -> None:
    """Run the analysis of a photo marked as being analysed, and save what it found.

    A photo after her baseline is judged against her baseline look too (pose, distance,
    expression and light, ``baseline``); a baseline photo is judged on its own, as the module
    ``baseline`` says why."""
    # The vision stack (the landmark model, OpenCV) loads when a photo is first analysed,
    # not when the web app starts.
    from collagen_coach.vision.analysis import analyse_photo_in_detail
    from collagen_coach.vision.overlay import annotated_image

    look = None
    if judged_against_baseline(photo.client, photo.taken_on):
        look = baseline_look(photo.client, leaving_out=photo.measurement_id)
    try:
        with photo.image.open("rb") as stored:
            data = stored.read()
    except OSError:  # missing or unreadable; storage out of reach is not the photo's fault:
        # that error ends the task, the photo stays pending and is queued again (worker.recover)
        logger.exception("reading photo %s failed", photo.pk)
        _mark_failed(photo, UNREADABLE)
        return
    try:
        report, measured = analyse_photo_in_detail(data, name=photo.original_name, baseline=look)
        overlay_jpeg = None
        if measured is not None:
            # JPEG, not PNG: a photo with lines drawn on it is 5× smaller, and encoded in
            # milliseconds where an optimised PNG takes seconds.
            overlay_jpeg = jpeg_bytes(np.asarray(annotated_image(measured)))
    except DatabaseError:
        raise
    except Exception:
        logger.exception("analysing photo %s failed", photo.pk)
        _mark_failed(photo, UNREADABLE)
        return

    overlay_name = ""
    if overlay_jpeg is not None:
        overlay_name = photo.overlay.storage.save(
            photo.overlay.field.generate_filename(photo, "overlay.jpg"), ContentFile(overlay_jpeg)
        )
    try:
        with transaction.atomic():
            locked = Photo.objects.select_for_update().filter(pk=photo.pk).first()
            if locked is None:  # deleted while it was being analysed
                _delete_after_commit(photo, overlay_name)
                return
            old_measurement_id = locked.measurement_id
            old_overlay = locked.overlay.name
            locked.measurement = log_photo(locked.client, locked.taken_on, report)
            locked.overlay.name = overlay_name
            locked.status = PhotoStatus.DONE
            locked.error = ""
            locked.analysed_at = timezone.now()
            locked.save()
            if old_measurement_id is not None:
                PhotoMeasurement.objects.filter(pk=old_measurement_id).delete()
            if old_overlay:
                _delete_after_commit(locked, old_overlay)
    except BaseException:
        if overlay_name:
            photo.overlay.storage.delete(overlay_name)
        raise
    _refresh(photo)


def jpeg_bytes(rgb: NDArray[np.uint8]) -> bytes:
    """Give an RGB image as JPEG (quality 90): an overlay, or a compared face."""
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=90)
    return out.getvalue()


def _mark_failed(photo: Photo, error: str) -> None:
    Photo.objects.filter(pk=photo.pk).update(status=PhotoStatus.FAILED, error=error)
    records_changed(photo.client_id)
    photo.status = PhotoStatus.FAILED
    photo.error = error


def _refresh(photo: Photo) -> None:
    """Reload the photo's fields from the database (left as they are if it was deleted)."""
    with contextlib.suppress(Photo.DoesNotExist):
        photo.refresh_from_db()


def _delete_after_commit(photo: Photo, name: str) -> None:
    if not name:
        return
    storage = photo.overlay.storage

    def remove() -> None:
        storage.delete(name)

    transaction.on_commit(remove)
