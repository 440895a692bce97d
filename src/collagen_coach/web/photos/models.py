"""Progress photos: the clean copy kept in private storage, its analysis and where it stands."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver

from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PhotoMeasurement


def client_folder(client_id: int) -> str:
    """Give the storage folder of one client's photos and overlays."""
    return f"client-{client_id}"


def _clean_copy_name(photo: Photo, filename: str) -> str:
    """Give a random name in the client's own folder (the person's file name is never used)."""
    return f"{client_folder(photo.client_id)}/{secrets.token_urlsafe(18)}.jpg"


def _overlay_name(photo: Photo, filename: str) -> str:
    return f"{client_folder(photo.client_id)}/{secrets.token_urlsafe(18)}-overlay.jpg"


class PhotoStatus(models.TextChoices):
    QUEUED = "queued", "waiting to be analysed"
    ANALYSING = "analysing", "being analysed"
    DONE = "done", "analysed"
    FAILED = "failed", "could not be analysed"


class Photo(models.Model):
    """One progress photo: a copy without metadata, and what analysing it found.

    ``status`` goes queued → analysing → done (whatever the quality verdict: the verdict is in
    ``measurement``) or failed (the analysis itself could not run; ``error`` says why in plain
    words). ``attempts`` counts analysis runs begun, so a photo that stops its worker every time
    is given up on instead of retried for ever.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="photos")
    client_id: int  # the foreign keys' columns, which Django adds (typed for mypy)
    measurement_id: int | None
    taken_on = models.DateField(help_text="The day the photo was taken.")
    original_name = models.CharField(
        max_length=255, help_text="The file name it was uploaded with, no folder."
    )
    image = models.FileField(upload_to=_clean_copy_name, max_length=200)
    overlay = models.FileField(upload_to=_overlay_name, max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.QUEUED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    measurement = models.OneToOneField(
        PhotoMeasurement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photo",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_on", "-created_at"]
        indexes = [
            models.Index(fields=["client", "taken_on"], name="photo_client_taken"),
            models.Index(fields=["status"], name="photo_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PhotoStatus.values), name="photo_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"photo of {self.taken_on} ({self.status})"

    @property
    def pending(self) -> bool:
        """Give whether the analysis is still to come (queued or running)."""
        return self.status in (PhotoStatus.QUEUED, PhotoStatus.ANALYSING)

    @property
    def passed(self) -> bool | None:
        """Give the quality verdict: True passed, False not passed, None not analysed (yet)."""
        if self.status != PhotoStatus.DONE or self.measurement is None:
            return None
        return bool(self.measurement.ok)


@receiver(post_delete, sender=Photo)
def _remove_files_and_measurement(sender: type[Photo], instance: Photo, **kwargs: Any) -> None:
    """Remove a deleted photo's files and its measurement, once the deletion is committed.

    The files go only after the commit, so a deletion rolled back never leaves a record without
    its image.
    """
    names = [f.name for f in (instance.image, instance.overlay) if f and f.name]
    storage = instance.image.storage
    if instance.measurement_id is not None:
        PhotoMeasurement.objects.filter(pk=instance.measurement_id).delete()

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
