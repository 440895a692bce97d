"""Sending the reminders that are due: by the worker, at each of its sweeps (about every 30 s).

For each person whose reminders are on and whose time has come, the reminder of the day (and
the weekly summary) is first *claimed* by writing its row (``SentReminder``, unique per person,
slot and day), then sent; a second worker, or the same worker after a restart, finds the row and
sends nothing. A way that failed (the mail server away, a push service answering 5xx) is tried
again at a later sweep, ``RETRY_AFTER`` apart, ``MAX_ATTEMPTS`` times in all, while the reminder
is due. A reminder whose sending was cut short by a kill stays "being sent" and is not sent
again: at most once comes before at least once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import smtplib
import zoneinfo
from collections import defaultdict
from email.utils import parseaddr
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from collagen_coach.core.reminders import (
    DAY_SLOT,
    WEEK_SLOT,
    Choices,
    Reminder,
    due_reminders,
    is_due,
    local_moment,
)
from collagen_coach.web.clients.models import Client
from collagen_coach.web.lib import dates
from collagen_coach.web.lib.links import address_outside_a_request
from collagen_coach.web.reminders.models import PushSubscription, ReminderSettings, SentReminder
from collagen_coach.web.reminders.services import journey_of, stop_token, vapid_key

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_AFTER = dt.timedelta(minutes=5)
# A push waits this long at the push service for a device that is off, then is dropped.
PUSH_TTL_S = 4 * 60 * 60
SEND_TIMEOUT_S = 10
PAGES = {"session": "guide:today", "photo": "photos:take", "progress": "progress:dashboard"}


def listen_to_the_worker() -> None:
    """Send the due reminders at each sweep of the worker (``photos.signals.worker_swept``)."""
    from collagen_coach.web.photos import signals

    signals.worker_swept.connect(_worker_swept, dispatch_uid="reminders-send-due")


def _worker_swept(sender: Any = None, **kwargs: Any) -> None:
    try:
        send_due_reminders()
    except DatabaseError:
        # The database is away for a moment: the reminders wait for the next sweep.
        logger.warning("reminders: the database could not be reached")


def send_due_reminders(
    now: dt.datetime | None = None, retry_after: dt.timedelta = RETRY_AFTER
) -> int:
    """Send every reminder due at ``now`` (default: the app's clock) not sent yet; give how
    many were claimed or tried again.

    Each sweep reads the settings of everyone whose reminders are on, and the rows of today
    of those whose time has come, in one query each; a person's days are read only when one of
    her reminders of the day is not settled yet."""
    now = now or dates.now()
    switched_on = ReminderSettings.objects.filter(stopped=False).filter(
        Q(by_push=True) | Q(by_email=True)
    )
    # Whose time has come, from the time and zone alone (the whole rows of those only).
    days: dict[int, dt.date] = {}
    zones: dict[str, dt.date] = {}
    for pk, at, zone in switched_on.values_list("pk", "at", "time_zone").iterator():
        if zone not in zones:
            try:
                zones[zone] = local_moment(now, zone).date()
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                logger.warning("reminders: %r is not a time zone this computer knows", zone)
                continue
        day = zones[zone]
        if is_due(day, Choices(at=at, time_zone=zone), now):
            days[pk] = day
    if not days:
        return 0
    due = [
        (chosen, days[chosen.pk])
        for chosen in switched_on.filter(pk__in=list(days)).select_related(
            "client", "client__practice"
        )
    ]
    found: dict[tuple[int, dt.date], dict[str, SentReminder]] = defaultdict(dict)
    for row in SentReminder.objects.filter(
        client_id__in=[chosen.client_id for chosen, _ in due], day__in={day for _, day in due}
    ):
        found[(row.client_id, row.day)][row.slot] = row
    count = 0
    for chosen, day in due:
        try:
            count += remind(chosen, day, now, found[(chosen.client_id, day)], retry_after)
        except DatabaseError:
            raise  # the database is away: every reminder waits for the next sweep
        except Exception:
            # One person's records that cannot be read (say) hold up no one else's reminders.
            logger.exception("reminders of client %s could not be sent", chosen.client_id)
    return count


def remind(
    chosen: ReminderSettings,
    day: dt.date,
    now: dt.datetime,
    rows: dict[str, SentReminder],
    retry_after: dt.timedelta = RETRY_AFTER,
) -> int:
    """Send the person's reminders of ``day`` due at ``now`` that her rows of the day (by slot)
    do not show as settled; give how many were claimed or retried."""
    choices = chosen.choices()
    slots = [
        DAY_SLOT,
        *([WEEK_SLOT] if choices.weekly and day.weekday() == choices.summary_weekday else []),
    ]
    if all(slot in rows and rows[slot].status != SentReminder.Status.FAILED for slot in slots):
        return 0  # the usual case once the day is decided: no days to read
    reminders = {r.slot: r for r in due_reminders(choices, journey_of(chosen.client, day), now)}
    count = 0
    for slot in slots:
        reminder, row = reminders.get(slot), rows.get(slot)
        if reminder is None:
            if row is None:
                note_nothing(chosen.client, slot, day)
            continue
        claimed = claim(chosen.client, reminder) if row is None else retry(row, retry_after)
        if claimed is not None:
            deliver(chosen, reminder, claimed)
            count += 1
    return count


def note_nothing(client: Client, slot: str, day: dt.date) -> None:
    """Note that ``day`` has nothing to remind of in ``slot`` (a rest day, a session done
    already), so that later sweeps of the day need not read her days again."""
    with contextlib.suppress(IntegrityError), transaction.atomic():
        SentReminder.objects.create(
            client=client, slot=slot, kind="none", day=day, status=SentReminder.Status.NOTHING
        )


def claim(client: Client, reminder: Reminder) -> SentReminder | None:
    """Write the reminder's row, or give None when it is there already (sent, or being sent
    by another worker)."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                client=client, slot=reminder.slot, kind=reminder.kind, day=reminder.day
            )
    except IntegrityError:
        return None


def retry(row: SentReminder, retry_after: dt.timedelta) -> SentReminder | None:
    """Take a failed reminder for one more try, unless another worker took it, its tries are
    spent, or its last try is too recent; give the row, or None."""
    if row.status != SentReminder.Status.FAILED or row.attempts >= MAX_ATTEMPTS:
        return None
    taken = SentReminder.objects.filter(
        pk=row.pk,
        status=SentReminder.Status.FAILED,
        attempts=row.attempts,
        updated_at__lte=timezone.now() - retry_after,
    ).update(status=SentReminder.Status.SENDING, attempts=F("attempts") + 1)
    if not taken:
        return None
    row.refresh_from_db()
    return row


def deliver(chosen: ReminderSettings, reminder: Reminder, row: SentReminder) -> None:
    """Send ``reminder`` by each chosen way not yet done for ``row``, and note how it went."""
    problems: list[str] = []
    if chosen.by_push and not row.pushed:
        row.pushed, problem = push_to_devices(chosen.client, reminder)
        problems += [problem] if problem else []
    if chosen.by_email and chosen.email and not row.emailed:
        try:
            send_email(chosen, reminder)
            row.emailed = True
        except (OSError, smtplib.SMTPException) as exc:
            problems.append(f"email: {exc.__class__.__name__}: {exc}")
    if not problems:
        row.status = SentReminder.Status.SENT
    elif row.attempts < MAX_ATTEMPTS:
        row.status = SentReminder.Status.FAILED
    else:
        row.status = SentReminder.Status.GAVE_UP
    row.error = "; ".join(problems)[:500]
    row.save(update_fields=["status", "pushed", "emailed", "error", "updated_at"])
    if problems:
        logger.warning("reminder %s: %s", row.pk, row.error)


# --- web push --------------------------------------------------------------------------------


def push_payload(reminder: Reminder) -> str:
    """Give what the device's service worker shows: the title, the words, the page to open."""
    url = reverse(PAGES[reminder.page])
    return json.dumps({"title": reminder.title, "body": reminder.body, "url": url})


def vapid_subject() -> str:
    """Give who sends the pushes, as push services want it (RFC 8292 ``sub``): VAPID_SUBJECT,
    else the site's address, else the sender of the app's email."""
    subject = str(getattr(settings, "VAPID_SUBJECT", "") or "")
    if subject:
        return subject
    site = str(getattr(settings, "SITE_URL", "") or "")
    if site.startswith("https://"):
        return site
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "collagen-coach@localhost")


def push_to_devices(client: Client, reminder: Reminder) -> tuple[bool, str]:
    """Push ``reminder`` to each of the person's devices; forget a device the push service says
    is gone (404, 410). Give whether any device got it, and the problem when none did."""
    devices = list(PushSubscription.objects.filter(client=client))
    if not devices:
        return False, ""
    key = vapid_key()
    signer = Vapid02.from_pem(key.private_pem.encode())
    payload = push_payload(reminder)
    reached, problems = False, []
    for device in devices:
        try:
            webpush(
                device.subscription_info(),
                data=payload,
                vapid_private_key=signer,
                vapid_claims={"sub": vapid_subject()},
                ttl=PUSH_TTL_S,
                timeout=SEND_TIMEOUT_S,
            )
            reached = True
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):
                device.delete()
                continue
            problems.append(f"push: the push service answered {status}")
        except requests.RequestException as exc:
            problems.append(f"push: {exc.__class__.__name__}")
    return reached, "" if reached else "; ".join(problems)


# --- email -----------------------------------------------------------------------------------


def email_context(chosen: ReminderSettings, reminder: Reminder) -> dict[str, Any]:
    """Give what the reminder email says: the words, the page, the practice that gave the
    routine (if any), and the links to change or stop the reminders. A practice's client with
    no account of her own gets no link to pages she cannot sign in to: she asks her practice
    to change them, and stops them with the link."""
    client = chosen.client
    stop = reverse("reminders:stop", kwargs={"token": stop_token(client)})
    return {
        "name": client.display_name,
        "has_account": client.account_id is not None,
        "reminder": reminder,
        "practice": client.practice.name if client.practice is not None else "",
        "open_url": address_outside_a_request(reverse(PAGES[reminder.page])),
        "settings_url": address_outside_a_request(reverse("reminders:settings")),
        "stop_url": address_outside_a_request(stop),
    }


def send_email(chosen: ReminderSettings, reminder: Reminder) -> None:
    """Send ``reminder`` to the person's address (plain text and simple HTML), with a link that
    stops every reminder in one step and the headers mail apps use for their own button."""
    context = email_context(chosen, reminder)
    message = EmailMultiAlternatives(
        reminder.title,
        render_to_string("reminders/email.txt", context),
        None,
        [chosen.email],
        headers={
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("reminders/email.html", context), "text/html")
    message.send()


def send_test(chosen: ReminderSettings) -> list[str]:
    """Send a test reminder now by each chosen way (nothing is logged); give the problems."""
    reminder = Reminder(
        "day",
        "session",
        dates.today(),
        "A test reminder",
        "This is how your reminders will look.",
        "session",
    )
    problems = []
    if chosen.by_push:
        reached, problem = push_to_devices(chosen.client, reminder)
        if not reached:
            problems.append(problem or "push: no device of yours is set up for notifications")
    if chosen.by_email and chosen.email:
        try:
            send_email(chosen, reminder)
        except (OSError, smtplib.SMTPException) as exc:
            problems.append(f"email: {exc.__class__.__name__}: {exc}")
    return problems
