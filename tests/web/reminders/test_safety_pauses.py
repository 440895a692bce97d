"""A day her safety check left nothing of is no missed day: no nudge about it, not counted
against her in the weekly summary, on Today's week strip or in her adherence; and the day's
reminder gives the session's length as Today plays it, after the check trimmed it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.guide.coach import habit
from collagen_coach.web.journal.services import finish_session_log, start_session_log
from collagen_coach.web.plans.services import current_program
from collagen_coach.web.reminders.sending import send_due_reminders
from web.browser.live_server import Clock
from web.mail_server import Inbox
from web.reminders.conftest import moment, on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def bodies(inbox: Inbox) -> list[tuple[str, str]]:
    """Give each email's subject and plain text."""
    return [(m["Subject"], m.get_body(("plain",)).get_content()) for m in inbox.messages]


def test_a_session_the_safety_check_paused_is_not_nudged_as_missed(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    chosen = reminded("ann")
    send_due_reminders(moment(on(0)))
    finish_session_log(start_session_log(chosen.client, on(0)), pain=False, redness=False)
    fever = Intake(age=58, conditions=["fever"], as_of=on(1))  # no massage on days 1 to 3
    save_intake(chosen.client, fever, screen(fever, today=on(1)))
    for n in range(1, 5):
        send_due_reminders(moment(on(n)))
    subjects = [subject for subject, _ in bodies(smtp_server)]
    # Day 2's session was paused, not missed: day 4 is a plain reminder, no fresh start.
    assert subjects == ["Time for your session", "Time for your session"]


def test_a_session_missed_before_a_pause_is_still_nudged_once(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    chosen = reminded("ann")
    send_due_reminders(moment(on(0)))  # day 0: missed
    fever = Intake(age=58, conditions=["fever"], as_of=on(1))
    save_intake(chosen.client, fever, screen(fever, today=on(1)))
    for n in range(1, 5):  # day 2 paused, day 4 the next session
        send_due_reminders(moment(on(n)))
    (first, _), (subject, text) = bodies(smtp_server)
    assert (first, subject) == ("Time for your session", "A fresh start today")
    assert "Your session on Monday 30 November did not happen." in text


def test_the_reminder_gives_the_length_of_the_session_the_check_trimmed(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    chosen = reminded("ann")
    filler = Intake(
        age=58,
        procedures=[Procedure(kind="dermal_filler", zones=["cheeks"], date=on(0))],
        as_of=on(0),
    )
    save_intake(chosen.client, filler, screen(filler, today=on(0)))
    send_due_reminders(moment(on(0)))
    ((_, text),) = bodies(smtp_server)
    # Planned: 6.5 minutes; the two cheek steps (4 minutes) are left out for two weeks.
    assert "Today's session takes about 3 minutes." in text


def test_the_week_strip_and_adherence_leave_a_paused_day_out(
    reminded: Callable[..., Any], browser_of: Callable[..., Any], tmp_path: Path
) -> None:
    web, person = browser_of("bea")
    reminded("bea", client=person)
    fever = Intake(age=58, conditions=["fever"], as_of=on(1))
    save_intake(person, fever, screen(fever, today=on(1)))
    clock = Clock(tmp_path / "clock.txt")
    clock.set(on(5))
    with override_settings(CLOCK_FILE=str(clock.path)):
        today = web.get("/session/today/").content.decode()
    strip = re.findall(r'class="strip-day strip-(\w+)', today)
    assert strip == ["missed", "rest", "paused", "rest", "missed", "rest", "rest"]
    assert "paused (safety check)" in today
    program = current_program(person)
    assert program is not None
    adherence = habit(program, person, on(5))
    assert (adherence.planned, adherence.done) == (2, 0)  # days 0 and 4; day 2 was paused
