"""A person's reminders: her choices, her days as the rules read them, her push devices, the
site's VAPID key, and the signed link that stops every reminder without signing in."""

from __future__ import annotations

import base64
import datetime as dt

from cryptography.hazmat.primitives import serialization
from django.core import signing
from django.db import IntegrityError, transaction
from py_vapid import Vapid02

from collagen_coach.core.reminders import LOOK_BACK_DAYS, SUMMARY_DAYS, Journey
from collagen_coach.local_time import local_time_zone
from collagen_coach.web.clients.models import Client
from collagen_coach.web.guide.services import todays_session
from collagen_coach.web.journal.services import done_session_dates
from collagen_coach.web.plans.models import PlannedSession
from collagen_coach.web.plans.services import current_stored_program, paused_days
from collagen_coach.web.reminders.models import PushSubscription, ReminderSettings, VapidKey

STOP_SALT = "collagen_coach.reminders.stop"


def settings_of(client: Client) -> ReminderSettings:
    """Give the person's reminder settings; before she saves any, the defaults (unsaved): 08:00
    in this computer's time zone, no way chosen, the email address her account has."""
    found = ReminderSettings.objects.filter(client=client).first()
    if found is not None:
        return found
    account_email = client.account.email if client.account is not None else ""
    return ReminderSettings(
        client=client, time_zone=local_time_zone(), email=account_email or client.email
    )


def journey_of(client: Client, day: dt.date) -> Journey:
    """Give the person's days around ``day`` as the reminder rules read them: the sessions her
    current plan holds (the routine her practice gave her, for a practice's client), its
    baseline days and off blocks, and the days whose session was done.

    A day her safety check left nothing of (``plans.services.paused_days``) is no planned day:
    nothing to remind her of, and not missed. ``day``'s own session lasts as long as Today
    plays it (made gentler, fitted to the screening: ``guide.services.todays_session``)."""
    stored = current_stored_program(client)
    if stored is None:
        return Journey()
    program = stored.get_program()
    rows = PlannedSession.objects.filter(
        program=stored,
        date__range=(
            day - dt.timedelta(days=LOOK_BACK_DAYS + SUMMARY_DAYS),
            day + dt.timedelta(days=SUMMARY_DAYS),
        ),
    )
    sessions = [row.get_session() for row in rows]
    paused = paused_days(client.pk, sessions)
    planned = {s.date: s.duration_s for s in sessions if s.date not in paused}
    if day in planned:
        today, _, _ = todays_session(client, day, stored)
        if today is None:
            del planned[day]  # as Today shows it: nothing to do today
        else:
            planned[day] = today.duration_s
    return Journey(
        planned=planned,
        baseline=tuple(program.baseline_days),
        off_spans=tuple(program.off_spans),
        done=frozenset(done_session_dates(client)),
        measures_herself=client.account_id is not None,
    )


# --- web push devices ------------------------------------------------------------------------


def vapid_key() -> VapidKey:
    """Give the site's VAPID key pair, making it the first time (once, whoever asks first)."""
    found = VapidKey.objects.order_by("pk").first()
    if found is not None:
        return found
    vapid = Vapid02()
    vapid.generate_keys()
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    public = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    try:
        with transaction.atomic():
            VapidKey.objects.create(
                pk=1, private_pem=vapid.private_pem().decode(), public_key=public
            )
    except IntegrityError:
        pass  # another process made it at the same moment: theirs is the site's key
    return VapidKey.objects.get(pk=1)


def add_device(client: Client, endpoint: str, p256dh: str, auth: str, device: str) -> None:
    """Keep the push subscription of one of the person's browsers (again: brought up to date)."""
    PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"client": client, "p256dh": p256dh, "auth": auth, "device": device[:200]},
    )


def remove_device(client: Client, endpoint: str) -> bool:
    """Forget one of the person's push subscriptions; give whether she had it."""
    deleted, _ = PushSubscription.objects.filter(client=client, endpoint=endpoint).delete()
    return bool(deleted)


# --- the link that stops them all ------------------------------------------------------------


def stop_token(client: Client) -> str:
    """Give the signed token, for the link in every reminder email, that stops her reminders."""
    return signing.dumps(client.pk, salt=STOP_SALT)


def client_of_stop_token(token: str) -> Client | None:
    """Give whose reminders ``token`` stops, or None for a token that is not one of ours."""
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Client.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_all(client: Client) -> None:
    """Stop every reminder of the person (the one switch), keeping her other choices."""
    settings = settings_of(client)
    settings.stopped = True
    settings.save()
