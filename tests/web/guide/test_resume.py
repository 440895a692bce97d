"""Resuming an unfinished session: the steps of the plan it was started from, fitted to the
screening that holds on the day it is resumed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from collagen_coach.core.planning import Session
from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.journal import services as journal
from collagen_coach.web.plans.services import save_program
from web.builders import program, step

from .test_session_pages import player_data

pytestmark = pytest.mark.postgres

TODAY = dt.date.today()


def started_session() -> Session:
    """Give today's session as first planned: pressures the technique defaults would not give."""
    steps = [
        step("tapping", "forehead", 60),
        step("circular_motions", "forehead", 60).model_copy(update={"pressure": 1}),
        step("circular_motions", "cheeks", 120, side="left"),
        step("fascial_stretch", "jawline", 90).model_copy(update={"pressure": 3}),
    ]
    return Session(date=TODAY, phase="foundation", steps=steps)


def a_later_plan_for_today() -> Session:
    """Give another session for today, as a plan made after the session began would have."""
    steps = [step("kneading", "chin", 60).model_copy(update={"pressure": 3}) for _ in range(4)]
    return Session(date=TODAY, phase="build", steps=steps)


def start_and_leave_unfinished(web, person) -> int:
    first = program(dates=[TODAY]).model_copy(update={"sessions": [started_session()]})
    save_program(person, first)
    log = journal.start_session_log(person, TODAY)
    journal.record_step(log, 0, 60)
    return log.pk


def resume(web, log_id: int) -> list[dict]:
    response = web.get(reverse("guide:play") + f"?log={log_id}")
    assert response.status_code == 200
    return player_data(response)["steps"]


def test_a_resumed_session_keeps_the_plan_it_was_started_from(browser_of):
    web, ann = browser_of("ann")
    log_id = start_and_leave_unfinished(web, ann)
    later = program(dates=[TODAY]).model_copy(update={"sessions": [a_later_plan_for_today()]})
    save_program(ann, later)

    cards = resume(web, log_id)

    assert [(c["technique"], c["zone"], c["pressure"]) for c in cards] == [
        ("tapping", "forehead", 2),
        ("circular_motions", "forehead", 1),
        ("circular_motions", "cheeks", 2),
        ("fascial_stretch", "jawline", 3),
    ]


def test_a_resumed_session_follows_the_safety_check_of_the_day_it_is_resumed(browser_of):
    web, ann = browser_of("ann")
    log_id = start_and_leave_unfinished(web, ann)
    # Since the session began: a filler in the cheeks three days ago, and blood thinners.
    answers = Intake(
        age=60,
        medications=["anticoagulant"],
        procedures=[
            Procedure(kind="dermal_filler", zones=["cheeks"], date=TODAY - dt.timedelta(days=3))
        ],
        as_of=TODAY,
    )
    decision = screen(answers, today=TODAY)
    save_intake(ann, answers, decision)

    cards = resume(web, log_id)

    left_out = [(c["zone"], bool(c["left_out"])) for c in cards]
    assert left_out == [
        ("forehead", False),
        ("forehead", False),
        ("cheeks", True),
        ("jawline", False),
    ]
    assert all(c["pressure"] <= decision.max_pressure for c in cards if not c["left_out"])
    assert cards[3]["pressure"] == decision.max_pressure  # lowered from the plan's 3
    assert "cheeks" in cards[2]["left_out"][0].lower()


def test_a_session_started_without_a_ruled_out_step_resumes_at_the_plans_pressures(browser_of):
    web, ann = browser_of("ann")
    save_program(ann, program(dates=[TODAY]).model_copy(update={"sessions": [started_session()]}))
    answers = Intake(
        age=60,
        procedures=[
            Procedure(kind="dermal_filler", zones=["cheeks"], date=TODAY - dt.timedelta(days=3))
        ],
        as_of=TODAY,
    )
    save_intake(ann, answers, screen(answers, today=TODAY))
    started = web.post(reverse("guide:start"), content_type="application/json")
    log_id = started.json()["log"]["id"]
    web.post(
        reverse("guide:step", args=[log_id]),
        {"step": 0, "done_s": 60},
        content_type="application/json",
    )

    cards = resume(web, log_id)

    assert [(c["technique"], c["zone"], c["pressure"]) for c in cards] == [
        ("tapping", "forehead", 2),
        ("circular_motions", "forehead", 1),
        ("fascial_stretch", "jawline", 3),
    ]
