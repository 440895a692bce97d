"""Session logs: written before the first step, saved after every step, finished or abandoned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import SessionLog
from collagen_coach.web.journal.services import (
    abandon_session_log,
    done_session_dates,
    finish_session_log,
    partial_session_dates,
    record_step,
    start_session_log,
    unfinished_session_logs,
)
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import save_program

from ..builders import FUTURE, START, program, session_on, step

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def planned(self_carer: Client) -> StoredProgram:
    """The local client's current program: sessions on START, START+2 and START+4."""
    return save_program(self_carer, program(sessions=3))


def _stored(log: SessionLog) -> SessionLog:
    return SessionLog.objects.get(pk=log.pk)


def test_starting_a_session_writes_its_log_before_any_step(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START)
    stored = _stored(log)
    assert stored.status == "in_progress"
    assert stored.program == planned
    assert stored.finished_at is None
    assert all(s["done_s"] is None and not s["skipped"] for s in stored.steps)


def test_a_session_logs_the_steps_planned_for_that_day(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START, planned)
    assert [(s["technique"], s["zone"], s["side"], s["planned_s"]) for s in log.steps] == [
        ("tapping", "forehead", "both", 60),
        ("circular_motions", "cheeks", "left", 120),
        ("circular_motions", "cheeks", "right", 120),
        ("fascial_stretch", "jawline", "both", 90),
    ]
    assert log.planned_s == 390


def test_an_adapted_session_is_logged_with_its_own_steps(
    self_carer: Client, planned: StoredProgram
) -> None:
    gentler = session_on(START).model_copy(update={"steps": [step("tapping", "cheeks", 45)]})
    log = start_session_log(self_carer, START, session=gentler)
    assert [(s["technique"], s["planned_s"]) for s in log.steps] == [("tapping", 45)]
    assert log.program == planned


def test_each_step_is_saved_as_soon_as_it_is_recorded(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START)
    record_step(log, 0, 60, skipped=False)
    record_step(log, 1, 0, skipped=True)
    stored = _stored(log)
    assert [(s["done_s"], s["skipped"]) for s in stored.steps] == [
        (60, False),
        (0, True),
        (None, False),
        (None, False),
    ]
    assert log.steps == stored.steps, "the caller's log is refreshed too"


@pytest.mark.parametrize(
    ("step_index", "done_s", "message"),
    [
        pytest.param(4, 60, "step: 4 is out of range (allowed: 0–3)", id="step-past-the-end"),
        pytest.param(-1, 60, "step: -1 is out of range (allowed: 0–3)", id="negative-step"),
        pytest.param(0, -5, "done_s: -5 is out of range (allowed: 0–3600)", id="negative-time"),
        pytest.param(0, 3601, "done_s: 3601 is out of range (allowed: 0–3600)", id="over-an-hour"),
        pytest.param(
            0, 1.5, "done_s: 1.5 is not whole seconds (allowed: 0–3600)", id="fractional-time"
        ),
    ],
)
def test_a_bad_step_record_is_refused_and_changes_nothing(
    self_carer: Client, planned: StoredProgram, step_index: int, done_s: int, message: str
) -> None:
    log = start_session_log(self_carer, START)
    record_step(log, 0, 55)
    before = _stored(log).steps
    with pytest.raises(UserError) as caught:
        record_step(log, step_index, done_s)
    assert caught.value.message == message
    assert _stored(log).steps == before


def test_finishing_records_comfort_and_completes_the_session(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START)
    for index, planned_step in enumerate(log.steps):
        record_step(log, index, planned_step["planned_s"])
    finish_session_log(log, pain=False, redness=True, note="  cheeks pink for an hour ")
    stored = _stored(log)
    assert stored.status == "completed"
    assert stored.finished_at is not None
    assert stored.finished_at >= stored.started_at
    assert (stored.pain, stored.redness, stored.comfort_note) == (
        False,
        True,
        "cheeks pink for an hour",
    )
    assert stored.done_s == 390


def test_comfort_not_given_is_stored_as_unknown(self_carer: Client, planned: StoredProgram) -> None:
    log = finish_session_log(start_session_log(self_carer, START), pain=None, redness=None)
    assert (log.pain, log.redness) == (None, None)


def test_a_finished_session_takes_no_more_steps(self_carer: Client, planned: StoredProgram) -> None:
    log = finish_session_log(start_session_log(self_carer, START), pain=False, redness=False)
    with pytest.raises(UserError, match=r"^session: 2025-03-03 is already completed$"):
        record_step(log, 0, 30)
    with pytest.raises(UserError):
        finish_session_log(log, pain=True, redness=True)


def test_a_session_left_in_progress_counts_as_partial_not_done(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START)
    record_step(log, 0, 60)
    assert unfinished_session_logs(self_carer) == [log]
    assert partial_session_dates(self_carer) == [START]
    assert done_session_dates(self_carer) == []


def test_an_abandoned_session_still_counts_as_partial(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START)
    abandon_session_log(log)
    assert _stored(log).status == "abandoned"
    assert unfinished_session_logs(self_carer) == []
    assert partial_session_dates(self_carer) == [START]


def test_a_day_with_a_completed_session_is_done_not_partial(
    self_carer: Client, planned: StoredProgram
) -> None:
    abandon_session_log(start_session_log(self_carer, START))
    finish_session_log(start_session_log(self_carer, START), pain=False, redness=False)
    later = START + dt.timedelta(days=2)
    finish_session_log(start_session_log(self_carer, later), pain=False, redness=False)
    assert done_session_dates(self_carer) == [START, later]
    assert partial_session_dates(self_carer) == []


def test_a_day_without_a_planned_session_is_refused_naming_the_next_one(
    self_carer: Client, planned: StoredProgram
) -> None:
    rest_day = START + dt.timedelta(days=1)
    with pytest.raises(UserError) as caught:
        start_session_log(self_carer, rest_day)
    assert caught.value.message == (
        "date: no session is planned on 2025-03-04 (allowed: a planned day, e.g. 2025-03-05)"
    )
    assert SessionLog.objects.count() == 0


def test_a_session_without_a_plan_is_refused(self_carer: Client) -> None:
    with pytest.raises(UserError, match=r"^program: there is no plan yet"):
        start_session_log(self_carer, START)
    assert SessionLog.objects.count() == 0


def test_a_session_cannot_be_logged_against_another_clients_program(
    self_carer: Client, planned: StoredProgram
) -> None:
    other = Client.objects.create(display_name="Ana")
    with pytest.raises(ValueError, match="another client"):
        start_session_log(other, START, planned)
    assert SessionLog.objects.count() == 0


def test_a_session_dated_in_the_future_is_refused(
    self_carer: Client, planned: StoredProgram
) -> None:
    with pytest.raises(UserError) as caught:
        start_session_log(self_carer, FUTURE, session=session_on(FUTURE))
    assert caught.value.message == "date: 2099-01-01 is in the future (allowed: today or earlier)"
    assert SessionLog.objects.count() == 0


def test_a_session_log_keeps_its_history_when_its_program_is_deleted(
    self_carer: Client, planned: StoredProgram
) -> None:
    log = start_session_log(self_carer, START)
    planned.delete()
    stored = _stored(log)
    assert stored.program is None
    assert len(stored.steps) == 4


def test_database_refuses_a_completed_session_without_a_finish_time(
    self_carer: Client,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionLog.objects.create(
            client=self_carer,
            planned_date=START,
            started_at=dt.datetime(2025, 3, 3, 8, tzinfo=dt.UTC),
            status="completed",
        )


def test_database_refuses_an_unknown_session_status(self_carer: Client) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionLog.objects.create(
            client=self_carer,
            planned_date=START,
            started_at=dt.datetime(2025, 3, 3, 8, tzinfo=dt.UTC),
            status="paused",
        )
