"""Stored programs: saved whole, exactly one current per client, sessions queryable by day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.clients.models import Client, ClientProfile
from collagen_coach.web.clients.services import latest_profile
from collagen_coach.web.plans.models import PlannedSession, StoredProgram
from collagen_coach.web.plans.services import (
    current_program,
    current_stored_program,
    planned_sessions,
    save_program,
)

from ..builders import START, program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_saved_program_is_rebuilt_exactly(self_carer: Client) -> None:
    made = program(sessions=5)
    save_program(self_carer, made)
    assert current_program(self_carer) == made


def test_a_saved_program_keeps_its_profile_decision_and_planner_beside_it(
    self_carer: Client,
) -> None:
    made = program()
    stored = save_program(self_carer, made)
    stored.refresh_from_db()
    assert stored.planner == made.planner
    assert stored.profile == made.profile.model_dump(mode="json")
    assert stored.decision["decision"] == "go"
    assert stored.is_current


def test_saving_a_program_plans_one_row_per_session_day(self_carer: Client) -> None:
    made = program(sessions=4)
    stored = save_program(self_carer, made)
    rows = list(PlannedSession.objects.filter(program=stored).order_by("date"))
    assert [row.date for row in rows] == [s.date for s in made.sessions]
    assert all(row.duration_s == 390 and len(row.steps) == 4 for row in rows)
    assert {row.phase for row in rows} == {"foundation"}


def test_a_new_program_becomes_the_only_current_one(self_carer: Client) -> None:
    first = save_program(self_carer, program(sessions=2))
    second = save_program(self_carer, program(start=START + dt.timedelta(days=30)))
    first.refresh_from_db()
    assert not first.is_current
    assert current_stored_program(self_carer) == second
    assert StoredProgram.objects.filter(client=self_carer).count() == 2


def test_each_client_has_its_own_current_program(self_carer: Client) -> None:
    other = Client.objects.create(display_name="Ana")
    save_program(self_carer, program(sessions=2))
    save_program(other, program(sessions=3))
    mine = current_program(self_carer)
    assert mine is not None
    assert len(mine.sessions) == 2
    assert StoredProgram.objects.filter(is_current=True).count() == 2


def test_database_refuses_a_second_current_program_for_a_client(self_carer: Client) -> None:
    stored = save_program(self_carer, program())
    with pytest.raises(IntegrityError), transaction.atomic():
        StoredProgram.objects.create(
            client=self_carer,
            profile=stored.profile,
            decision=stored.decision,
            program=stored.program,
            planner=stored.planner,
            is_current=True,
        )


def test_a_program_that_fails_to_store_leaves_the_current_one_untouched(
    self_carer: Client,
) -> None:
    kept = save_program(self_carer, program(sessions=2))
    twice_on_one_day = program(dates=[START, START])
    with pytest.raises(IntegrityError):
        save_program(self_carer, twice_on_one_day)
    assert current_stored_program(self_carer) == kept
    assert StoredProgram.objects.count() == 1
    assert PlannedSession.objects.count() == 2


def test_current_program_is_none_before_the_first_plan(self_carer: Client) -> None:
    assert current_program(self_carer) is None
    assert planned_sessions(self_carer, START, START + dt.timedelta(days=90)) == []


def test_planned_sessions_are_those_of_the_current_program_within_the_dates(
    self_carer: Client,
) -> None:
    save_program(self_carer, program(sessions=10))
    newer = program(start=START + dt.timedelta(days=1), sessions=10)
    save_program(self_carer, newer)
    window = planned_sessions(self_carer, START, START + dt.timedelta(days=7))
    assert [s.date for s in window] == [START + dt.timedelta(days=d) for d in (1, 3, 5, 7)]
    assert window[0] == newer.sessions[0]


def test_planned_sessions_with_the_end_before_the_start_is_an_error(self_carer: Client) -> None:
    with pytest.raises(UserError, match=r"^end: 2025-03-02 is before the start 2025-03-03"):
        planned_sessions(self_carer, START, START - dt.timedelta(days=1))


def test_saving_a_program_makes_its_profile_the_current_profile(self_carer: Client) -> None:
    made = program(minutes_per_day=15)
    save_program(self_carer, made)
    save_program(self_carer, made)
    assert latest_profile(self_carer) == made.profile
    assert ClientProfile.objects.filter(client=self_carer).count() == 1


def test_a_program_from_the_planner_survives_the_round_trip(self_carer: Client) -> None:
    profile = Profile(age=62, concerns=["sagging", "fine_lines"], start_date=START, weeks=8)
    intake = Intake(age=62, as_of=START)
    made = build_plan(profile, screen(intake, today=START))
    assert made.sessions, "the planner should plan sessions for a go decision"
    save_program(self_carer, made)
    assert current_program(self_carer) == made
    assert PlannedSession.objects.filter(program__client=self_carer).count() == len(made.sessions)
