"""The client list's kept signals (``attention_store``): after weeks of every kind of entry on a
moved clock, and on a day that passes with no entry at all, each client's kept day is the day
``attention.practice_day`` works out; a missing or outdated row is worked out again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from web.browser.live_server import Clock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URL = "/practice/clients/"
# The journey ends two weeks after the real today, so that a progress analysis (stamped with
# the real time) is new for a week of the journey and then no longer.
START = dt.date.today() - dt.timedelta(days=7)
JOURNEY_DAYS = 22


@pytest.fixture
def clock(tmp_path: Path) -> Iterator[Clock]:
    moved = Clock(tmp_path / "clock.txt")
    moved.set(START)
    with override_settings(CLOCK_FILE=str(moved.path)):
        yield moved


def _kept_and_computed(practice: Any, today: dt.date) -> tuple[dict[int, Any], dict[int, Any]]:
    """Give each client's day as kept (read straight from the rows) and as worked out now."""
    from collagen_coach.web.practice.attention import practice_day
    from collagen_coach.web.practice.attention_store import day_of
    from collagen_coach.web.practice.models import ClientAttention

    rows = ClientAttention.objects.filter(client__practice=practice, computed_on=today)
    return {row.client_id: day_of(row, row.client_id) for row in rows}, practice_day(
        practice, today
    )


def _look(web: Any, query: str = "") -> Any:
    answer = web.get(URL + query)
    assert answer.status_code == 200
    return answer


def _check(web: Any, practice: Any, today: dt.date) -> dict[int, set[str]]:
    """Look at the list (which brings the kept days up to date), and check that every client's
    kept day, and each filter's count and clients, are what the rules work out; give each
    client's signals."""
    from collagen_coach.web.practice.attention import signal_counts

    answer = _look(web)
    kept, computed = _kept_and_computed(practice, today)
    assert set(kept) == set(computed)  # every client's row holds for today
    for pk, day in computed.items():
        assert (kept[pk].planned_today, kept[pk].done_today, kept[pk].reasons) == (
            day.planned_today,
            day.done_today,
            day.reasons,
        ), f"client {pk} on {today}"
    counts = signal_counts(computed)
    shown = {key: count for key, _, count, _ in answer.context["filters"]}
    assert shown == {"all": len(computed), **counts}
    for signal in ("attention", "missed", "pain", "restriction", "verdict", "note"):
        listed = {row.client.pk for row in _look(web, f"?show={signal}").context["rows"]}
        assert listed == {pk for pk, day in computed.items() if day.has(signal)}, signal
    return {
        pk: day.signals | ({"today"} if day.planned_today else set())
        for pk, day in computed.items()
    }


def test_kept_signals_equal_the_rules_after_weeks_of_every_kind_of_entry(
    clock: Clock, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.core.screening import Intake, Procedure, screen
    from collagen_coach.web.clients.services import save_intake
    from collagen_coach.web.clinic.services import record_clinic_session
    from collagen_coach.web.journal.models import SessionLog
    from collagen_coach.web.journal.services import (
        abandon_session_log,
        finish_session_log,
        rate,
        start_session_log,
    )
    from collagen_coach.web.plans.services import save_program
    from collagen_coach.web.practice.models import SessionNote
    from collagen_coach.web.progress.stored_page import follow_change
    from web import builders

    cora, dan, practice = studio["cora"], studio["dan"], studio["practice"]
    web = browser(studio["pat"])
    days = [START + dt.timedelta(days=n) for n in range(JOURNEY_DAYS)]
    cora_plan = save_program(cora, builders.program(start=START, dates=days))
    dan_plan = save_program(dan, builders.program(start=START, dates=days[::2]))
    for client in (cora, dan):
        answers = Intake(age=58, as_of=START)
        save_intake(client, answers, screen(answers, today=START))
    steps = dan_plan.get_program().sessions[0].steps
    seen: dict[int, list[set[str]]] = {cora.pk: [], dan.pk: []}
    clinic_logs: list[Any] = []
    notes: list[Any] = []

    def same(today: dt.date) -> None:
        """Look at the list after an entry: each kept day is the day the rules give."""
        _look(web)
        kept, computed = _kept_and_computed(practice, today)
        assert {pk: (d.planned_today, d.done_today, d.reasons) for pk, d in kept.items()} == {
            pk: (d.planned_today, d.done_today, d.reasons) for pk, d in computed.items()
        }

    for n, today in enumerate(days):
        clock.set(today)
        _check(web, practice, today)  # the day has passed: no entry yet
        if n not in (4, 5, 6, 13):  # Cora misses a few days
            log = start_session_log(cora, today, cora_plan)
            if n == 9:
                abandon_session_log(log, pain=True)  # stopped: pain, and not done
            else:
                finish_session_log(log, pain=n == 8, redness=False)
            same(today)
        if n in (2, 16):
            clinic_logs.append(record_clinic_session(dan, steps, today, dan_plan))
            same(today)
        if n in (5, 17):
            notes.append(
                SessionNote.objects.create(
                    client=dan, session_log=clinic_logs[-1], author=studio["pat"]
                )
            )
            same(today)
        if n == 20:
            notes[-1].delete()  # the note on the second session in the clinic goes again
            same(today)
        if n == 3:
            flare = Intake(age=58, conditions=["rosacea_flare"], as_of=today)
            save_intake(dan, flare, screen(flare, today=today))  # a pause of a week
            same(today)
        if n == 10:
            log = start_session_log(dan, today, dan_plan)
            finish_session_log(log, pain=False, redness=True)
            same(today)
        if n == 12:
            filler = Procedure(kind="dermal_filler", zones=["cheeks"], date=today)
            answers = Intake(age=58, procedures=[filler], as_of=today)
            save_intake(cora, answers, screen(answers, today=today))  # limits for some days
            same(today)
        if n in (7, 11):
            # Three weeks of ratings (too few to judge), then ten weeks with firmness rising
            # to this week: the firmness verdict changes.
            for day in range(21 if n == 7 else 70):
                rate(
                    cora,
                    today - dt.timedelta(days=day),
                    firmness=5 if n == 7 else max(1, 9 - day // 8),
                    elasticity=5,
                    fine_lines=4,
                    glow=6,
                    sagging=3,
                )
            same(today)
            follow_change(cora, today, ["ratings"])  # what the worker does after a rating
            same(today)
        if n == 14:
            dan_plan = save_program(dan, builders.program(start=today, dates=days[n + 1 :]))
            same(today)
        if n == 15:
            SessionLog.objects.filter(client=cora, planned_date=days[14]).delete()
            same(today)

        for pk, signals in _check(web, practice, today).items():  # the day's entries made
            seen[pk].append(signals)

    # The journey showed every signal, and each one came and went again.
    shown = set().union(*seen[cora.pk], *seen[dan.pk])
    assert shown == {"today", "missed", "pain", "restriction", "verdict", "note"}
    for signal in shown:
        on = [signal in day for pk in seen for day in seen[pk]]
        assert any(on), signal  # shown on some day
        assert not all(on), signal  # and gone on another


def test_on_a_day_that_passes_with_no_entry_the_kept_signals_follow_the_clock(
    clock: Clock, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake
    from collagen_coach.web.plans.services import save_program
    from web import builders

    dan, practice = studio["dan"], studio["practice"]
    web = browser(studio["pat"])
    flare = Intake(age=60, conditions=["rosacea_flare"], as_of=START)
    save_intake(dan, flare, screen(flare, today=START))  # a pause until START + 7
    save_program(dan, builders.program(start=START, dates=[START + dt.timedelta(days=1)]))

    def dan_shows() -> set[str]:
        return _check(web, practice, clock.today)[dan.pk]

    assert dan_shows() == {"restriction"}
    clock.advance(1)
    assert dan_shows() == {"restriction", "today"}
    clock.advance(1)  # the planned day has passed: one missed is not yet "missed sessions"
    assert dan_shows() == {"restriction"}
    clock.advance(6)  # the pause lifted yesterday
    assert dan_shows() == set()
    clock.set(START)  # the clock moved back: the kept days follow it too
    assert dan_shows() == {"restriction"}


def test_a_missing_or_outdated_row_is_worked_out_again(
    clock: Clock, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.journal.models import SessionLog
    from collagen_coach.web.lib import dates
    from collagen_coach.web.practice.models import ClientAttention

    dan, practice = studio["dan"], studio["practice"]
    web = browser(studio["pat"])
    start = dt.datetime.combine(START, dt.time(8), tzinfo=dt.UTC)
    SessionLog.objects.create(
        client=dan,
        planned_date=START,
        started_at=start,
        finished_at=start + dt.timedelta(minutes=10),
        status="completed",
        pain=True,
    )
    ClientAttention.objects.filter(client=dan).delete()

    assert _check(web, practice, START)[dan.pk] == {"pain"}  # no row: worked out, and kept

    # A row kept past the moment it held until (new verdicts, a week after) is worked out again.
    ClientAttention.objects.filter(client=dan).update(
        reasons=[], pain=False, reason_count=0, holds_until=dates.now() - dt.timedelta(hours=1)
    )
    assert _check(web, practice, START)[dan.pk] == {"pain"}


def test_a_change_made_while_the_day_was_worked_out_is_not_kept_as_seen(
    clock: Clock, studio: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row whose version moved on while its day was read is left to be worked out again."""
    from collagen_coach.web.practice import attention, attention_store
    from collagen_coach.web.practice.models import ClientAttention

    dan, practice = studio["dan"], studio["practice"]
    real_practice_day = attention.practice_day

    def a_change_arrives_meanwhile(*args: Any, **kwargs: Any) -> Any:
        found = real_practice_day(*args, **kwargs)
        attention_store.entries_changed(dan.pk)  # e.g. a session saved by another request
        return found

    monkeypatch.setattr(attention_store, "practice_day", a_change_arrives_meanwhile)
    attention_store.refresh(practice, START)
    monkeypatch.undo()

    assert ClientAttention.objects.get(client=dan).computed_on is None
    assert ClientAttention.objects.get(client=studio["cora"]).computed_on == START
    assert attention_store.refresh(practice, START) == 1  # Dan alone, the next time


def test_the_photo_workers_sweep_works_out_a_new_day_ahead_of_the_first_visit(
    clock: Clock, studio: dict[str, Any]
) -> None:
    from collagen_coach.web.photos.signals import worker_swept
    from collagen_coach.web.practice.attention import practice_day
    from collagen_coach.web.practice.models import ClientAttention

    ClientAttention.objects.update(computed_on=None)
    clock.advance(1)

    worker_swept.send(sender=None)

    for practice in (studio["practice"], studio["other"]):
        rows = ClientAttention.objects.filter(client__practice=practice)
        assert {row.client_id for row in rows if row.computed_on == clock.today} == set(
            practice_day(practice, clock.today)
        )
