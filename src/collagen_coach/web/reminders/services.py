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
from collagen_coach.web.guide.services import decision_of, fit_to_screening
from collagen_coach.web.journal.services import done_session_dates
from collagen_coach.web.plans.models import PlannedSession
from collagen_coach.web.plans.services import current_program
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
    baseline days and off blocks, and the days whose session was done."""
    program = current_program(client)
    if program is None:
        return Journey()
    rows = PlannedSession.objects.filter(
        program__client=client,
        program__is_current=True,
        date__range=(
            day - dt.timedelta(days=LOOK_BACK_DAYS + SUMMARY_DAYS),
            day + dt.timedelta(days=SUMMARY_DAYS),
        ),
    ).values_list("date", "duration_s")
    planned = dict(rows)
    if day in planned and not session_allowed(client, day):
        del planned[day]  # as Today shows it: nothing to do today, so nothing to remind of
    return Journey(
        planned=planned,
        baseline=tuple(program.baseline_days),
        off_spans=tuple(program.off_spans),
        done=frozenset(done_session_dates(client)),
    )


def session_allowed(client: Client, day: dt.date) -> bool:
    """Give whether the newest safety check leaves any step of ``day``'s planned session (a
    deferral, say, leaves none), as Today fits it (``guide.services.fit_to_screening``)."""
    row = (
        PlannedSession.objects.filter(program__client=client, program__is_current=True, date=day)
        .select_related("program")
        .first()
    )
    if row is None:
        return False
    fitted, _ = fit_to_screening(client, row.get_session(), day, decision_of(row.program))
    return bool(fitted.steps)


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
