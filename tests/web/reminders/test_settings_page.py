"""The Reminders page: her choices saved as she gives them, one clear message for a bad answer,
the one switch, a device's push subscription kept and forgotten, the service worker."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from collagen_coach.web.reminders.models import PushSubscription, ReminderSettings

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URL = "/reminders/"
GOOD = {
    "at": "07:30",
    "time_zone": "Europe/Berlin",
    "by_email": "on",
    "email": "ann@example.org",
    "nudge": "on",
    "summary_weekday": "6",
}


def test_the_page_offers_her_account_email_and_nothing_is_sent_until_she_chooses(
    browser_of: Callable[..., Any],
) -> None:
    web, _ = browser_of("ann")
    page = web.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="ann@example.org"' in html
    assert 'value="08:00"' in html
    assert "None on rest days." in html
    assert not ReminderSettings.objects.exists()


def test_her_choices_are_saved(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    answer = web.post(URL, {**GOOD, "weekly": "on", "summary_weekday": "0"}, follow=True)
    assert "Your reminders are saved." in answer.content.decode()
    chosen = ReminderSettings.objects.get(client=ann)
    assert (chosen.at, chosen.time_zone, chosen.by_email, chosen.by_push) == (
        dt.time(7, 30),
        "Europe/Berlin",
        True,
        False,
    )
    assert (chosen.nudge, chosen.weekly, chosen.summary_weekday, chosen.stopped) == (
        True,
        True,
        0,
        False,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"at": "25:00"}, "Enter a time such as 08:00."),
        ({"time_zone": "Mars/Olympus"}, "Mars/Olympus is not a time zone this computer knows"),
        ({"email": ""}, "Enter the email address your reminders should go to."),
        ({"email": "not an address"}, "Enter an email address such as ann@example.org."),
        ({"summary_weekday": "9"}, "Choose a day of the week, Monday to Sunday."),
    ],
    ids=["time", "zone", "no-email", "bad-email", "weekday"],
)
def test_a_bad_answer_is_named_and_nothing_is_saved(
    browser_of: Callable[..., Any], change: dict[str, str], message: str
) -> None:
    web, _ = browser_of("ann")
    answer = web.post(URL, {**GOOD, **change})
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not ReminderSettings.objects.exists()


def test_one_switch_stops_them_all_and_starts_them_again(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    web.post(URL, GOOD)
    page = web.post("/reminders/switch/", {"stop": "1"}, follow=True).content.decode()
    assert "All your reminders are stopped." in page
    assert "Start my reminders again" in page
    assert ReminderSettings.objects.get(client=ann).stopped is True
    web.post("/reminders/switch/", {"stop": "0"})
    assert ReminderSettings.objects.get(client=ann).stopped is False


def test_a_device_subscribes_and_unsubscribes(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    body = {"endpoint": "https://push.example.net/abc", "keys": {"p256dh": "BAAA", "auth": "xyz"}}
    answer = web.post("/reminders/devices/subscribe/", body, content_type="application/json")
    assert answer.json() == {"message": "Notifications are on for this device."}
    device = PushSubscription.objects.get()
    assert (device.client, device.p256dh, device.auth) == (ann, "BAAA", "xyz")
    web.post("/reminders/devices/unsubscribe/", {"endpoint": body["endpoint"]}, "application/json")
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"endpoint": "http://push.example.net/abc", "keys": {"p256dh": "B", "auth": "x"}},
        {"endpoint": "https://push.example.net/abc", "keys": {"p256dh": "B"}},
        {"keys": {}},
        "not json",
    ],
    ids=["not-https", "no-auth", "no-endpoint", "not-json"],
)
def test_a_subscription_that_is_not_one_is_refused(
    browser_of: Callable[..., Any], body: Any
) -> None:
    web, _ = browser_of("ann")
    data = json.dumps(body) if not isinstance(body, str) else body
    answer = web.post("/reminders/devices/subscribe/", data, content_type="application/json")
    assert answer.status_code == 400
    assert (
        "an endpoint (https://…) and its keys p256dh and auth are needed"
        in (answer.json()["message"])
    )
    assert not PushSubscription.objects.exists()


def test_another_persons_device_cannot_be_taken_off(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    other, _ = browser_of("bea")
    body = {"endpoint": "https://push.example.net/abc", "keys": {"p256dh": "B", "auth": "x"}}
    web.post("/reminders/devices/subscribe/", body, content_type="application/json")
    other.post(
        "/reminders/devices/unsubscribe/", {"endpoint": body["endpoint"]}, "application/json"
    )
    assert PushSubscription.objects.get().client == ann


def test_the_service_worker_shows_pushed_reminders(client: Any) -> None:
    answer = client.get("/service-worker.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert '"push_script": "/static/js/reminders-push.js"' in answer.content.decode()
    assert "importScripts(CONFIG.outbox_script, CONFIG.push_script);" in answer.content.decode()


def test_a_test_reminder_needs_a_way_chosen_first(browser_of: Callable[..., Any]) -> None:
    web, _ = browser_of("ann")
    page = web.post("/reminders/test/", follow=True).content.decode()
    assert "Choose how your reminders come and save, then try again." in page


def test_a_saved_time_zone_is_not_replaced_by_the_browsers(browser_of: Callable[..., Any]) -> None:
    web, _ = browser_of("ann")
    assert "data-browser-time-zone" in web.get(URL).content.decode()
    web.post(URL, GOOD)
    page = web.get(URL).content.decode()
    assert "data-browser-time-zone" not in page
    assert '<option value="Europe/Berlin" selected>' in page
