"""A session played on a phone without the network and sent later: recorded once per key, dated
when it was done, refused clearly when the key or the body is wrong."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from collagen_coach.core.cues import GENTLER_ADVICE
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.journal.services import record_step, start_session_log
from collagen_coach.web.lib import dates
from collagen_coach.web.phone.models import SentLater
from collagen_coach.web.plans.services import save_program
from web.browser.live_server import Clock
from web.builders import program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SEND = reverse("phone:send_session")
DAY = dt.date(2031, 3, 4)  # the app's moved clock: a Tuesday
FOUR_STEPS = [60, 120, 120, 90]  # web.builders.session_on


@pytest.fixture
def clock(tmp_path: Path) -> Any:
    moved = Clock(tmp_path / "clock.txt")
    moved.set(DAY)
    with override_settings(CLOCK_FILE=str(moved.path)):
        yield moved


@pytest.fixture
def ann(browser_of: Callable[..., Any], clock: Clock) -> tuple[Any, Any]:
    """Give Ann signed in, with a session planned on DAY and the day before."""
    web, person = browser_of("ann")
    save_program(person, program(dates=[DAY - dt.timedelta(days=1), DAY]))
    return web, person


def played(person: Any, **changes: Any) -> dict[str, Any]:
    """Give a whole session played to its end, as the phone sends it ten minutes after."""
    body: dict[str, Any] = {
        "key": str(uuid.uuid4()),
        "person": person.account.pk,
        "date": DAY.isoformat(),
        "log": None,
        "started_ago_s": 600 + sum(FOUR_STEPS),
        "finished_ago_s": 600,
        "steps": [{"step": i, "done_s": s, "skipped": False} for i, s in enumerate(FOUR_STEPS)],
        "pain": False,
        "redness": None,
        "note": "done on the bus",
        "stopped": False,
    }
    return {**body, **changes}


def send(web: Any, body: Any) -> Any:
    return web.post(SEND, json.dumps(body), content_type="application/json")


def test_the_same_key_sent_twice_records_one_session_and_answers_the_same(ann) -> None:
    web, person = ann
    body = played(person)

    first = send(web, body)
    again = send(web, {**body, "finished_ago_s": 900, "started_ago_s": 1290})

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    log = SessionLog.objects.get(client=person)
    assert first.json()["log"] == log.pk
    assert log.status == SessionStatus.COMPLETED
    assert [s["done_s"] for s in log.steps] == FOUR_STEPS
    assert (log.pain, log.redness, log.comfort_note) == (False, None, "done on the bus")
    assert SentLater.objects.get().key == uuid.UUID(body["key"])
    assert "Well done" in first.json()["message"]


def test_the_session_is_dated_when_it_was_done_not_when_it_was_sent(ann) -> None:
    web, person = ann
    before = dates.now()
    # Played yesterday evening from the page kept then; sent a day later.
    body = played(
        person,
        date=(DAY - dt.timedelta(days=1)).isoformat(),
        started_ago_s=86400 + sum(FOUR_STEPS),
        finished_ago_s=86400,
    )

    assert send(web, body).status_code == 201

    log = SessionLog.objects.get(client=person)
    assert log.finished_at is not None
    done_at = before - dt.timedelta(seconds=86400)
    assert abs((log.finished_at - done_at).total_seconds()) < 60
    assert abs((log.started_at - (done_at - dt.timedelta(seconds=390))).total_seconds()) < 60
    assert log.planned_date == timezone.localtime(done_at).date()
    assert log.planned_date == DAY - dt.timedelta(days=1)


def test_pain_reported_offline_gets_the_same_advice_as_online(ann) -> None:
    web, person = ann

    answer = send(web, played(person, pain=True)).json()

    assert answer["gentler_next"] is True
    assert answer["message"].endswith(GENTLER_ADVICE)


def test_a_session_stopped_early_is_recorded_as_partial(ann) -> None:
    web, person = ann
    steps = [{"step": 0, "done_s": 60, "skipped": False}]

    answer = send(web, played(person, steps=steps, stopped=True, started_ago_s=660))

    assert answer.status_code == 201
    assert answer.json()["status"] == SessionStatus.ABANDONED
    assert "stopped early" in answer.json()["message"]


def test_a_session_started_online_keeps_its_saved_steps_and_gets_the_rest(ann) -> None:
    web, person = ann
    log = start_session_log(person, DAY)
    record_step(log, 0, 55)  # saved before the network went
    steps = [{"step": i, "done_s": s, "skipped": False} for i, s in enumerate(FOUR_STEPS)]

    answer = send(web, played(person, log=log.pk, steps=steps))

    assert answer.status_code == 201
    log.refresh_from_db()
    assert [s["done_s"] for s in log.steps] == [55, *FOUR_STEPS[1:]]
    assert log.status == SessionStatus.COMPLETED
    assert SessionLog.objects.filter(client=person).count() == 1


def test_a_key_another_person_used_is_refused_and_records_nothing(ann, browser_of) -> None:
    web, person = ann
    body = played(person)
    assert send(web, body).status_code == 201
    bob_web, bob = browser_of("bob")
    save_program(bob, program(dates=[DAY]))

    answer = send(bob_web, {**body, "person": bob.account.pk})

    assert answer.status_code == 409
    assert answer.json()["message"] == (
        "key: was already used for another person's session (allowed: a new key for each session)"
    )
    assert not SessionLog.objects.filter(client=bob).exists()


def test_a_session_recorded_for_someone_else_on_this_phone_is_not_taken(ann, browser_of) -> None:
    _, person = ann
    bob_web, _ = browser_of("bob")

    answer = send(bob_web, played(person))  # Ann's session, sent while Bob is signed in

    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "person"
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"key": "12345"}, "key", "'12345' is not a UUID"),
        ({"key": None}, "key", "is missing"),
        ({"date": "yesterday"}, "date", "YYYY-MM-DD"),
        ({"finished_ago_s": -5}, "finished_ago_s", "out of range"),
        ({"started_ago_s": 40 * 86400}, "started_ago_s", "30 days"),
        ({"finished_ago_s": 5000}, "finished_ago_s", "before the session started"),
        ({"steps": "all"}, "steps", "is not a list of steps"),
        ({"steps": [{"step": 9, "done_s": 10}]}, "step", "9 is out of range"),
        ({"pain": "maybe"}, "pain", "is not yes or no"),
        ({"log": 2**31 - 1}, "log", "is not one of your sessions"),
    ],
    ids=[
        "short-key",
        "no-key",
        "bad-date",
        "negative",
        "too-old",
        "ends-first",
        "steps",
        "step",
        "pain",
        "not-mine",
    ],
)
def test_bad_input_is_refused_in_one_line_and_records_nothing(ann, change, field, words) -> None:
    web, person = ann

    answer = send(web, played(person, **change))

    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == field
    assert words in answer.json()["message"]
    assert not SessionLog.objects.exists()
    assert not SentLater.objects.exists()


def test_signed_out_it_answers_401_and_records_nothing(client, ann) -> None:
    _, person = ann

    answer = send(client, played(person))

    assert answer.status_code == 401
    assert "signed out" in answer.json()["message"]
    assert not SessionLog.objects.exists()


def test_a_key_sent_before_an_export_and_import_is_still_known_after(
    ann, tmp_path: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from collagen_coach.web.my_data.importer import import_person
    from collagen_coach.web.my_data.services import delete_everything, write_export

    web, person = ann
    body = played(person)
    first = send(web, body).json()
    zipped = tmp_path / "ann.zip"
    with zipped.open("wb") as out:
        write_export(person, person.account, out)
    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(person.account)

    again = import_person(zipped).client
    sent = SentLater.objects.get(client=again)

    assert sent.key == uuid.UUID(body["key"])
    assert sent.session_log.client == again
    assert sent.session_log.planned_date.isoformat() == first["date"]
