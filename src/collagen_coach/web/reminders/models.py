"""What reminders need to keep: a person's choices, her devices' push subscriptions, the
reminders sent (one row per person, slot and day: the unique key that makes each at most once),
and the site's VAPID key pair for web push."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from collagen_coach.core.reminders import WEEKDAYS, Choices
from collagen_coach.web.clients.models import Client

DEFAULT_AT = dt.time(8, 0)


class ReminderSettings(models.Model):
    """A person's reminders: when, where (her time zone), how (push, email) and which.

    ``stopped`` is the one switch that stops them all, whatever else is chosen; nothing is sent
    either until she chooses a way (push or email) on the Reminders page.
    """

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="reminders")
    at = models.TimeField(default=DEFAULT_AT)
    time_zone = models.CharField(max_length=64)
    by_push = models.BooleanField(default=False)
    by_email = models.BooleanField(default=False)
    email = models.EmailField(blank=True, default="")
    nudge = models.BooleanField(default=True)
    weekly = models.BooleanField(default=False)
    summary_weekday = models.PositiveSmallIntegerField(default=6, choices=list(enumerate(WEEKDAYS)))
    stopped = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"reminders of {self.client} at {self.at:%H:%M} {self.time_zone}"

    @property
    def sends_anything(self) -> bool:
        """Give whether any reminder can go out: not stopped, and a way chosen."""
        return not self.stopped and (self.by_push or (self.by_email and bool(self.email)))

    def choices(self) -> Choices:
        """Give the choices as the rules in ``core.reminders`` read them."""
        return Choices(
            at=self.at,
            time_zone=self.time_zone,
            nudge=self.nudge,
            weekly=self.weekly,
            summary_weekday=self.summary_weekday,
        )


class PushSubscription(models.Model):
    """One device's browser, subscribed to web push for a person (a person may have several).

    Removed when she turns it off there, or when the push service answers that it is gone
    (404 or 410)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="push_devices")
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "device with notifications on"
        verbose_name_plural = "devices with notifications on"

    def __str__(self) -> str:
        return f"push to {self.device or 'a browser'} of {self.client}"

    def subscription_info(self) -> dict[str, Any]:
        """Give the subscription as the Push API gives it (what ``pywebpush`` sends to)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class SentReminder(models.Model):
    """One reminder of one person for one day and slot, written *before* it is sent (or the
    note that the day has nothing to remind of in that slot: a rest day, a session done).

    The unique key (client, slot, day) is the claim: a second worker, or the same one after a
    restart, cannot write the row again, so the reminder goes out at most once. Each way it
    goes (push, email) is marked once it went; a way that failed is tried again on later rounds,
    ``MAX_ATTEMPTS`` times in all, while the reminder is still due.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "being sent"
        SENT = "sent", "sent"
        FAILED = "failed", "failed, to be tried again"
        GAVE_UP = "gave_up", "not sent"
        NOTHING = "nothing", "nothing to remind of"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sent_reminders")
    slot = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)
    day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    pushed = models.BooleanField(default=False)
    emailed = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reminder log entry"
        verbose_name_plural = "reminder log entries"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "slot", "day"], name="reminder_once_per_slot_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of {self.client} for {self.day}: {self.status}"


class VapidKey(models.Model):
    """The site's one VAPID key pair (RFC 8292), made on first use and kept in the database, so
    every web process and worker on every host signs with the same key."""

    private_pem = models.TextField()
    public_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"VAPID key {self.public_key[:12]}…"
