"""Reminders by web push, end to end against a push service on this computer that checks the
VAPID signature with the site's public key and decrypts the payload with the device's key."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from collagen_coach.web.reminders.models import PushSubscription, SentReminder
from collagen_coach.web.reminders.sending import MAX_ATTEMPTS, send_due_reminders
from collagen_coach.web.reminders.services import vapid_key
from web.reminders.conftest import moment, on
from web.reminders.push_receiver import PushService, b64url, push_service, verify_vapid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


def subscribe(chosen: Any, service: PushService, name: str) -> None:
    device = service.device(name)
    PushSubscription.objects.create(
        client=chosen.client,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=b64url(device.auth),
    )


def test_a_reminder_reaches_each_of_her_devices_signed_and_encrypted(
    reminded: Callable[..., Any], service: PushService, settings: Any
) -> None:
    settings.VAPID_SUBJECT = "mailto:studio@example.org"
    chosen = reminded("ann", by_push=True, by_email=False)
    subscribe(chosen, service, "phone")
    subscribe(chosen, service, "laptop")

    assert send_due_reminders(moment(on(0))) == 1

    assert sorted(d.device for d in service.delivered) == ["laptop", "phone"]
    assert service.refused == []
    delivery = service.delivered[0]
    assert json.loads(delivery.text) == {
        "title": "Time for your session",
        "body": "Today's session takes about 7 minutes.",
        "url": "/session/today/",
    }
    assert delivery.claims["k"] == vapid_key().public_key  # signed with the site's key
    assert delivery.claims["sub"] == "mailto:studio@example.org"
    assert int(delivery.claims["exp"]) > dt.datetime.now(dt.UTC).timestamp()
    assert delivery.ttl == str(4 * 60 * 60)
    assert SentReminder.objects.get().pushed is True


def test_a_device_the_push_service_says_is_gone_is_forgotten(
    reminded: Callable[..., Any], service: PushService
) -> None:
    chosen = reminded("ann", by_push=True, by_email=False)
    subscribe(chosen, service, "old-phone")
    subscribe(chosen, service, "phone")
    service.answers["old-phone"] = 410

    send_due_reminders(moment(on(0)))

    assert [d.device for d in service.delivered] == ["phone"]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        service.devices["phone"].endpoint
    ]
    assert SentReminder.objects.get().status == "sent"


def test_a_push_service_that_fails_is_tried_again_a_bounded_number_of_times(
    reminded: Callable[..., Any], service: PushService
) -> None:
    chosen = reminded("ann", by_push=True, by_email=False)
    subscribe(chosen, service, "phone")
    service.answers["phone"] = 503
    for minute in range(1, 8):
        send_due_reminders(moment(on(0), 8, minute), retry_after=dt.timedelta(0))
    row = SentReminder.objects.get()
    assert (row.status, row.attempts, row.pushed) == ("gave_up", MAX_ATTEMPTS, False)
    assert row.error == "push: the push service answered 503"
    assert PushSubscription.objects.count() == 1  # kept: only 404 and 410 say it is gone


def test_the_push_service_here_refuses_a_signature_that_is_not_right() -> None:
    from py_vapid import Vapid02

    signer = Vapid02()
    signer.generate_keys()
    claims = {"aud": "http://127.0.0.1", "sub": "mailto:a@example.org", "exp": 4102444800}
    header = signer.sign(claims)["Authorization"]
    assert verify_vapid(header) is not None
    token = header.split("t=", 1)[1].split(",", 1)[0]
    forged = header.replace(token, token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"))
    assert verify_vapid(forged) is None
