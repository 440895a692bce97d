"""What a phone sent later: a session played without the network, under the key it made for it."""

from __future__ import annotations

from django.db import models

from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import SessionLog


class SentLater(models.Model):
    """A session recorded on a phone without the network and sent once it was back online.

    ``key`` is the UUID the phone made when the session ended; a phone that sends the same
    session again (its first answer lost, two pages sending at once) sends the same key, and the
    session is recorded once. A key belongs to the person who sent it first.
    """

    key = models.UUIDField(unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sent_later")
    session_log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="sent_later")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "session sent later"
        verbose_name_plural = "sessions sent later"

    def __str__(self) -> str:
        return f"{self.session_log} sent later ({self.key})"
