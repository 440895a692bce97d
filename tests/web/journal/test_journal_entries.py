"""The journal listing: what happened each day, newest first, in plain words and as data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.readings import import_readings
from collagen_coach.web.journal.services import (
    abandon_session_log,
    finish_session_log,
    journal_entries,
    log_peptides,
    rate,
    record_step,
    start_session_log,
)
from collagen_coach.web.plans.services import save_program

from ..builders import START, program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DAY2 = START + dt.timedelta(days=2)
WEEK = (START, START + dt.timedelta(days=6))
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


def _a_full_session(client: Client, day: dt.date, skip: int | None = None) -> None:
    log = start_session_log(client, day)
    for index, step in enumerate(log.steps):
        record_step(log, index, 0 if index == skip else step["planned_s"], skipped=index == skip)
    finish_session_log(log, pain=False, redness=False)


def test_days_come_newest_first_and_within_a_day_sessions_then_peptides_rating_readings(
    self_carer: Client, write_csv: Callable[..., Path]
) -> None:
    save_program(self_carer, program(sessions=2))
    import_readings(
        self_carer,
        write_csv(
            "date,instrument,parameter,zone,side,value\n2025-03-05,cutometer,R2,cheeks,left,0.7\n"
        ),
    )
    rate(self_carer, DAY2, **SCORES)
    log_peptides(self_carer, DAY2, 5)
    _a_full_session(self_carer, DAY2)
    log_peptides(self_carer, START, 10)
    _a_full_session(self_carer, START)
    entries = journal_entries(self_carer, *WEEK)
    assert [(e.date, e.kind) for e in entries] == [
        (DAY2, "session"),
        (DAY2, "peptides"),
        (DAY2, "rating"),
        (DAY2, "readings"),
        (START, "session"),
        (START, "peptides"),
    ]


def test_days_outside_the_range_are_left_out(self_carer: Client) -> None:
    log_peptides(self_carer, START - dt.timedelta(days=1), 5)
    log_peptides(self_carer, START, 5)
    log_peptides(self_carer, WEEK[1] + dt.timedelta(days=1), 5)
    assert [e.date for e in journal_entries(self_carer, *WEEK)] == [START]


def test_a_completed_session_says_time_done_steps_skipped_and_comfort(self_carer: Client) -> None:
    save_program(self_carer, program(sessions=1))
    _a_full_session(self_carer, START, skip=1)
    (entry,) = journal_entries(self_carer, *WEEK)
    assert (
        entry.summary
        == "Session done: 4 min 30 s of 6 min 30 s, 1 of 4 steps skipped; no pain or redness"
    )
    assert (entry.details["steps_skipped"], entry.details["done_s"]) == (1, 270)


def test_a_session_with_pain_says_so(self_carer: Client) -> None:
    save_program(self_carer, program(sessions=1))
    finish_session_log(start_session_log(self_carer, START), pain=True, redness=None)
    (entry,) = journal_entries(self_carer, *WEEK)
    assert entry.summary.endswith("; pain reported")


def test_unfinished_and_abandoned_sessions_say_how_far_they_got(self_carer: Client) -> None:
    save_program(self_carer, program(sessions=2))
    first = start_session_log(self_carer, START)
    record_step(first, 0, 60)
    abandon_session_log(first)
    record_step(start_session_log(self_carer, DAY2), 0, 60)
    summaries = [e.summary for e in journal_entries(self_carer, *WEEK)]
    assert summaries == [
        "Session started, not finished: 1 of 4 steps done",
        "Session stopped early: 1 of 4 steps done",
    ]


def test_peptides_and_ratings_read_in_plain_words(self_carer: Client) -> None:
    log_peptides(self_carer, START, "2.50", "marine collagen")
    rate(self_carer, START, **SCORES, note="good week")
    peptides, rating = journal_entries(self_carer, *WEEK)
    assert peptides.summary == "Collagen peptides: 2.5 g (marine collagen)"
    assert peptides.details == {"grams": 2.5, "product": "marine collagen"}
    assert (
        rating.summary == "Self-rating: firmness 6, elasticity 5, fine lines 4, glow 7, sagging 3"
    )
    assert rating.details == {**SCORES, "note": "good week"}


def test_readings_are_grouped_per_day_and_instrument(
    self_carer: Client, write_csv: Callable[..., Path]
) -> None:
    csv = (
        "date,instrument,parameter,zone,side,value,unit\n"
        "2025-03-03,cutometer,R2,cheeks,left,0.71,\n"
        "2025-03-03,cutometer,R0,jawline,both,0.42,mm\n"
        "2025-03-03,corneometer,hydration,cheeks,left,48,AU\n"
        "2025-03-04,cutometer,R2,cheeks,left,0.72,\n"
    )
    import_readings(self_carer, write_csv(csv))
    entries = journal_entries(self_carer, *WEEK)
    assert [e.summary for e in entries] == [
        "Cutometer: 1 reading (R2) on cheeks",
        "Corneometer: 1 reading (hydration) on cheeks",
        "Cutometer: 2 readings (R0, R2) on cheeks, jawline",
    ]
    assert entries[2].details["readings"][0] == {
        "parameter": "R0",
        "zone": "jawline",
        "side": "both",
        "value": 0.42,
        "unit": "mm",
        "source": "cutometer.csv",
    }


def test_entries_are_json_ready(self_carer: Client) -> None:
    log_peptides(self_carer, START, 5)
    (entry,) = journal_entries(self_carer, *WEEK)
    assert entry.as_json() == {
        "date": "2025-03-03",
        "kind": "peptides",
        "summary": "Collagen peptides: 5 g",
        "details": {"grams": 5.0, "product": ""},
    }


def test_one_clients_journal_holds_nothing_of_another(self_carer: Client) -> None:
    other = Client.objects.create(display_name="Ana")
    log_peptides(other, START, 5)
    rate(other, START, **SCORES)
    assert journal_entries(self_carer, *WEEK) == []


def test_a_range_ending_before_it_starts_is_an_error(self_carer: Client) -> None:
    with pytest.raises(UserError, match=r"^end: 2025-03-02 is before the start 2025-03-03"):
        journal_entries(self_carer, START, START - dt.timedelta(days=1))
