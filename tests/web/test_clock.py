"""The app's clock: today and now follow a test's clock file, and only where DEBUG is on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from collagen_coach.core.errors import UserError
from collagen_coach.web.journal.services import finish_session_log, start_session_log
from collagen_coach.web.lib import dates
from collagen_coach.web.plans.services import save_program
from web.browser.live_server import Clock
from web.builders import program
from web.processes import embedded_env, run_cli

LONG_AGO = dt.date(2031, 3, 4)


@pytest.fixture
def clock(tmp_path: Path) -> Clock:
    moved = Clock(tmp_path / "clock.txt")
    moved.set(LONG_AGO)
    return moved


def test_today_and_now_are_the_clock_files_day(clock: Clock) -> None:
    with override_settings(CLOCK_FILE=str(clock.path)):
        assert dates.today() == LONG_AGO
        now = dates.now()
    assert timezone.is_aware(now)
    assert timezone.localtime(now).date() == LONG_AGO
    real = timezone.localtime(timezone.now())
    # The time of day stays this computer's: only the day moves.
    assert abs((now - real) - dt.timedelta(days=(LONG_AGO - real.date()).days)) < dt.timedelta(
        seconds=5
    )


def test_moving_the_clock_is_seen_at_once_without_a_restart(clock: Clock) -> None:
    with override_settings(CLOCK_FILE=str(clock.path)):
        assert dates.today() == LONG_AGO
        for days in range(1, 4):  # replaced quicker than a file's timestamp ticks
            clock.advance(1)
            assert dates.today() == LONG_AGO + dt.timedelta(days=days)


def test_without_a_clock_file_the_day_is_this_computers(tmp_path: Path) -> None:
    with override_settings(CLOCK_FILE=str(tmp_path / "no such file")):
        assert dates.today() == dt.date.today()
    with override_settings(CLOCK_FILE=None):
        assert dates.today() == dt.date.today()
        assert abs(dates.now() - timezone.now()) < dt.timedelta(seconds=5)


def test_a_clock_file_that_holds_no_date_is_refused_naming_what_is_allowed(tmp_path: Path) -> None:
    bad = tmp_path / "clock.txt"
    bad.write_text("next tuesday\n", encoding="utf-8")
    with override_settings(CLOCK_FILE=str(bad)), pytest.raises(UserError) as refused:
        dates.today()
    assert refused.value.field == "COLLAGEN_COACH_CLOCK_FILE"
    assert "'next tuesday'" in refused.value.problem
    assert refused.value.allowed == "YYYY-MM-DD"


@pytest.mark.postgres
def test_a_session_is_stamped_on_the_clocks_day(clock: Clock, make_person: Any) -> None:
    _, client = make_person("ann")
    save_program(client, program(start=LONG_AGO, sessions=1))
    with override_settings(CLOCK_FILE=str(clock.path)):
        log = start_session_log(client, LONG_AGO)
        finish_session_log(log, pain=False, redness=False)
    assert timezone.localtime(log.started_at).date() == LONG_AGO
    assert log.finished_at is not None
    assert timezone.localtime(log.finished_at).date() == LONG_AGO


def test_the_settings_refuse_a_clock_file_when_debug_is_off(tmp_path: Path, clock: Clock) -> None:
    env = {**embedded_env(tmp_path / "home"), "COLLAGEN_COACH_CLOCK_FILE": str(clock.path)}
    env.pop("DEBUG", None)
    result = run_cli("journal", env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "collagen-coach: COLLAGEN_COACH_CLOCK_FILE: moves the app's clock for tests, and DEBUG "
        "is off (allowed: unset it; it works only with DEBUG=1, never on a real server)"
    ]
