"""Two weeks of reminders lived day by day: her sessions, a missed one nudged once, a session
her safety check paused (neither reminded of nor nudged about), and the weekly summary, whose
counts agree with the adherence Today shows her on the same day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.guide.coach import habit
from collagen_coach.web.journal.services import finish_session_log, start_session_log
from collagen_coach.web.plans.services import current_program, save_program
from collagen_coach.web.reminders.sending import send_due_reminders
from web.browser.live_server import Clock
from web.builders import program
from web.mail_server import Inbox
from web.reminders.conftest import START, moment, on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_two_weeks_of_reminders_agree_with_what_today_shows(
    reminded: Callable[..., Any], smtp_server: Inbox, tmp_path: Path
) -> None:
    clock = Clock(tmp_path / "clock.txt")
    chosen = reminded("ann", weekly=True, summary_weekday=6)  # summaries on Sundays
    ann = chosen.client
    save_program(ann, program(start=START, sessions=8))  # days 0, 2, 4, … 14
    done = {0, 4, 10, 12, 14}  # day 2 missed, day 6 paused, day 8 missed
    seen: dict[int, list[tuple[str, str]]] = {}
    for n in range(15):
        clock.set(on(n))
        if n == 5:  # a fever: no massage on days 5 to 7
            fever = Intake(age=58, conditions=["fever"], as_of=on(5))
            save_intake(ann, fever, screen(fever, today=on(5)))
        send_due_reminders(moment(on(n)))
        seen[n] = [
            (m["Subject"], m.get_body(("plain",)).get_content()) for m in smtp_server.messages
        ]
        smtp_server.messages.clear()
        if n in done:
            with override_settings(CLOCK_FILE=str(clock.path)):
                finish_session_log(start_session_log(ann, on(n)), pain=False, redness=False)

    subjects = {n: [subject for subject, _ in mails] for n, mails in seen.items() if mails}
    assert subjects == {
        0: ["Time for your session"],
        2: ["Time for your session"],
        4: ["A fresh start today"],  # after day 2, missed
        6: ["Your week"],  # the session was paused: no reminder of it
        8: ["Time for your session"],  # day 6 was paused, not missed: no nudge
        10: ["A fresh start today"],  # after day 8, missed
        12: ["Time for your session"],
        13: ["Your week"],
        14: ["Time for your session"],
    }
    assert "Your session on Wednesday 2 December did not happen." in seen[4][0][1]
    assert "Your session on Tuesday 8 December did not happen." in seen[10][0][1]

    plan = current_program(ann)
    assert plan is not None
    first_week, second_week = seen[6][0][1], seen[13][0][1]
    # Days 0 to 6: sessions on days 0, 2 and 4 (day 6 paused); done on 0 and 4.
    assert "In the last 7 days you did 2 of 3 planned sessions." in first_week
    # Days 7 to 13: sessions on days 8, 10 and 12; done on 10 and 12, two in a row.
    assert "In the last 7 days you did 2 of 3 planned sessions." in second_week
    assert "You have done 2 planned sessions in a row." in second_week
    assert "In the next 7 days: 1 session planned." in second_week
    # What Today shows on day 13: every planned day so far but the paused one; the same streak.
    today = habit(plan, ann, on(13))
    assert (today.planned, today.done, today.current_streak) == (6, 4, 2)
