"""Where a step belongs in a session, and what a hand-made session may offer: the warm-up first,
the finishing strokes last, and only the techniques screening leaves in."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.plan_checks import (
    allowed_techniques,
    move_step,
    order_problem,
    place_step,
)
from collagen_coach.core.planning import Profile, Step, build_plan
from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.core.techniques import load_library

DAY = dt.date(2026, 11, 24)
LIBRARY = load_library()


PLANNED = build_plan(Profile(age=60, start_date=DAY, weeks=8), screen(Intake(age=60)))


def step(technique: str, zone: str = "cheeks") -> Step:
    """Give a planned step changed to ``technique`` on ``zone``."""
    return PLANNED.sessions[0].steps[1].model_copy(update={"technique": technique, "zone": zone})


WARM, TAP, SWEEP = step("warm_up_effleurage"), step("tapping"), step("lymphatic_sweep", "neck")


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (
            step("circular_motions"),
            ["warm_up_effleurage", "tapping", "circular_motions", "lymphatic_sweep"],
        ),
        (
            step("warm_up_effleurage", "forehead"),
            ["warm_up_effleurage", "warm_up_effleurage", "tapping", "lymphatic_sweep"],
        ),
        (
            step("lymphatic_sweep", "jawline"),
            ["warm_up_effleurage", "tapping", "lymphatic_sweep", "lymphatic_sweep"],
        ),
    ],
    ids=["main-before-the-sweep", "warm-up-after-the-warm-up", "finishing-at-the-end"],
)
def test_a_new_step_goes_where_its_part_of_the_session_is(new: Step, expected: list[str]) -> None:
    placed = place_step([WARM, TAP, SWEEP], new, LIBRARY)
    assert [s.technique for s in placed] == expected
    assert order_problem(placed, LIBRARY) is None


def test_every_planned_session_is_in_an_order_the_rule_accepts() -> None:
    for session in PLANNED.sessions:
        assert order_problem(session.steps, LIBRARY) is None, session.date


def test_a_move_within_the_main_steps_is_allowed() -> None:
    circles = step("circular_motions")
    moved, problem = move_step([WARM, TAP, circles, SWEEP], 1, 1, LIBRARY)
    assert problem is None
    assert moved == [WARM, circles, TAP, SWEEP]


def test_a_move_past_the_closing_sweep_is_refused_and_changes_nothing() -> None:
    steps = [WARM, TAP, SWEEP]
    moved, problem = move_step(steps, 1, 1, LIBRARY)
    assert moved == steps
    assert problem is not None
    assert "the finishing strokes end the session" in problem


def test_only_techniques_screening_leaves_in_on_every_day_are_allowed() -> None:
    peel = Procedure(kind="chemical_peel", zones=["cheeks"], date=DAY - dt.timedelta(days=1))
    decision = screen(Intake(age=60, conditions=["fragile_skin"], procedures=[peel]), today=DAY)
    offered = allowed_techniques(decision, LIBRARY, [DAY, DAY + dt.timedelta(days=60)])
    assert "pinching" not in offered
    assert "tapping" in offered
    assert allowed_techniques(screen(Intake(age=60)), LIBRARY, [DAY]) == list(LIBRARY.techniques)
